/**
 * dbus-codegen-ts: D-Bus introspection XML -> typed TypeScript proxies and skeletons.
 * The public generator API (package entry `dbus-codegen-ts`). Every function returns data
 * (results, diagnostics, pages, changes); printing them and choosing exit codes is the CLI's
 * business (cli/). The runtime that generated code imports is `dbus-codegen-ts/runtime`, which
 * is also the one home of the D-Bus name rules (`isValidBusName`, `busNameProblem`, ...).
 *
 * Layering: api/ re-exports build/ (files, config, generate, watch), generator/ (the stages:
 * parse, check, lint, diff) and emitters/; nothing below imports it. Steps that report into the
 * internal diagnostics collector (config and overlay-file readers) stay internal: `check`,
 * `generate` and `projectGenerateOptions` run them and return their diagnostics.
 */

export { CONFIG_DEFAULTS, CONFIG_FILE, type ProjectConfig } from '../build/config.js';
export { type DiffOptions, type DiffResult, diffFiles } from '../build/diff.js';
export {
  buildDocs,
  type DocsOptions,
  type DocsResult,
  type WrittenDocs,
  writeDocs,
} from '../build/docs.js';
export { type GeneratedFile, type GenerateResult, generate } from '../build/generate.js';
export type { InputOptions } from '../build/inputs.js';
export { type LintFilesOptions, type LintFilesResult, lintFiles } from '../build/lint-files.js';
export { DEFAULTS, type GenerateOptions } from '../build/options.js';
export {
  type ProjectFlags,
  type ProjectOptions,
  projectGenerateOptions,
} from '../build/project.js';
export { type Watcher, type WatchOptions, watchGenerate } from '../build/watch.js';
export type { FileStatus } from '../build/write.js';
export { emitMarkdown, type MarkdownInput, type MarkdownPage } from '../emitters/markdown.js';
export {
  type CheckedInterface,
  type CheckOptions,
  type CheckResult,
  check,
  type SourceInput,
} from '../generator/check.js';
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
} from '../generator/diagnostics.js';
export { type ApiChange, compareInterfaces, type Verdict } from '../generator/diff/compare.js';
export { LINT_CODES, type LintOptions, lint } from '../generator/lint.js';
export { type AnnotationOverride, parseTarget, type Target } from '../generator/overlay.js';
export type * from '../spec/model.js';
export {
  type IntrospectedInterface,
  type IntrospectOptions,
  type IntrospectResult,
  introspect,
  writeIntrospected,
} from './introspect.js';
