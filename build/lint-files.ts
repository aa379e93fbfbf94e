/**
 * Lint of XML files: the D-Bus API Design Guidelines as warnings on the checked model, after
 * the checks' own diagnostics, with the config file's `lint` settings merged in. The data
 * behind `dbus-codegen-ts lint`; the CLI prints it and turns it into an exit code.
 */
import { type Diagnostic, sortDiagnostics } from '../generator/diagnostics.js';
import { lint } from '../generator/lint.js';
import { type InputOptions, loadInputs, noInput } from './inputs.js';

/** What to lint against, beyond the inputs; each list adds to the config file's. */
export interface LintFilesOptions extends InputOptions {
  /** Report every guideline finding as an error. Default: the config's `lint.strict`. */
  readonly strict?: boolean;
  /** Name prefixes this project owns, e.g. `org.qemu`. */
  readonly owner?: readonly string[];
  /** Well-known bus names the service uses, checked too. */
  readonly busName?: readonly string[];
  /** Lint codes to skip, e.g. `DBUS115`. */
  readonly disable?: readonly string[];
}

/** What {@link lintFiles} found. */
export interface LintFilesResult {
  /** The checks' diagnostics and the lint findings, sorted; any error fails a lint gate. */
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Reads and checks `files` (or the config's `inputs` when empty) and lints the result.
 *
 * @example
 * ```ts
 * import { hasErrors, lintFiles } from 'dbus-codegen-ts';
 * const { diagnostics } = lintFiles(['interfaces/org.example.Thing1.xml'], { owner: ['org.example'] });
 * if (hasErrors(diagnostics)) process.exitCode = 1;
 * ```
 */
export function lintFiles(
  files: readonly string[],
  options: LintFilesOptions = {},
  cwd = process.cwd(),
): LintFilesResult {
  const loaded = loadInputs(files, options, cwd);
  if (files.length === 0 && loaded.files.length === 0) return { diagnostics: [noInput()] };
  const cfg = loaded.config.lint;
  const findings = lint(loaded.result.documents, {
    strict: options.strict ?? cfg.strict,
    owners: [...cfg.owners, ...(options.owner ?? [])],
    busNames: [...cfg.busNames, ...(options.busName ?? [])],
    disable: [...cfg.disable, ...(options.disable ?? [])],
    ...(options.busName?.length || loaded.config.busNamesLocation === undefined
      ? {}
      : { busNameLocation: loaded.config.busNamesLocation }),
  });
  return { diagnostics: sortDiagnostics([...loaded.diagnostics, ...findings]) };
}
