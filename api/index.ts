/**
 * dbus-codegen-ts: D-Bus introspection XML -> typed TypeScript proxies and skeletons.
 * The public generator API; the runtime that generated code imports is `dbus-codegen-ts/runtime`.
 */

export { emitMarkdown, type MarkdownInput, type MarkdownPage } from '../emitters/markdown.js';
export type * from '../spec/model.js';
export {
  busNameProblem,
  errorNameProblem,
  interfaceNameProblem,
  isValidBusName,
  isValidErrorName,
  isValidInterfaceName,
  isValidMemberName,
  isValidObjectPath,
  memberNameProblem,
  objectPathProblem,
} from '../spec/names.js';
export {
  type CheckedInterface,
  type CheckOptions,
  type CheckResult,
  check,
  type SourceInput,
} from './check.js';
export { type DiffOptions, type DiffResult, runDiff } from './commands/diff.js';
// Lint, docs, annotation overlays, config file, watch mode, live introspection (issue 6).
export {
  buildDocs,
  type DocsCommandOptions,
  type DocsCommandResult,
  runDocs,
} from './commands/docs.js';
export { type LintCommandOptions, type LintCommandResult, runLint } from './commands/lint.js';
export {
  CONFIG_DEFAULTS,
  CONFIG_FILE,
  expandInputs,
  loadConfig,
  type ProjectConfig,
} from './config.js';
export {
  CODES,
  type Code,
  type Diagnostic,
  formatDiagnostic,
  hasErrors,
  InternalError,
  RELAXABLE,
  type Severity,
  UsageError,
} from './diagnostics.js';
export { type ApiChange, compareInterfaces, type Verdict } from './diff/compare.js';
export { type GeneratedFile, type GenerateResult, generate } from './generate.js';
export {
  type IntrospectedInterface,
  type IntrospectOptions,
  type IntrospectResult,
  introspect,
  writeIntrospected,
} from './introspect-api.js';
export { LINT_CODES, type LintOptions, lint } from './lint.js';
export { DEFAULTS, type GenerateOptions } from './options.js';
export { type AnnotationOverride, applyOverlay, parseTarget, type Target } from './overlay.js';
export { extractAnnotateArgs, loadOverlayFile, parseOverlay } from './overlay-file.js';
export { type ProjectFlags, type ProjectOptions, projectGenerateOptions } from './project.js';
export { type Watcher, type WatchOptions, watchGenerate } from './watch.js';
export type { FileStatus } from './write.js';
