/**
 * `dbus-codegen-ts lint <xml...> [--strict] [--owner PREFIX]... [--bus-name NAME]...`
 *
 * The D-Bus API Design Guidelines as warnings on the checked
 * model, after the checks' own diagnostics. Exit 0 when nothing is an error, 1 otherwise;
 * `--strict` makes every finding an error (a CI gate). Without XML arguments the config's
 * `inputs` are linted with its `lint` settings.
 */
import { type Command, InvalidArgumentError } from 'commander';
import {
  CODES,
  type Diagnostic,
  formatDiagnostic,
  hasErrors,
  sortDiagnostics,
} from '../diagnostics.js';
import { LINT_CODES, lint } from '../lint.js';
import { addInputOptions, type InputOptions, loadInputs } from './input-options.js';

export interface LintCommandOptions extends InputOptions {
  readonly strict?: boolean;
  readonly owner?: readonly string[];
  readonly busName?: readonly string[];
  readonly disable?: readonly string[];
}

export interface LintCommandResult {
  readonly exitCode: 0 | 1;
  readonly diagnostics: readonly Diagnostic[];
}

export function runLint(
  files: readonly string[],
  options: LintCommandOptions,
  cwd = process.cwd(),
): LintCommandResult {
  const loaded = loadInputs(files, options, cwd);
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
  const diagnostics = sortDiagnostics([...loaded.diagnostics, ...findings]);
  if (files.length === 0 && loaded.files.length === 0) {
    const none: Diagnostic = {
      severity: 'error',
      code: 'DBUS090',
      message: 'no input: give XML files or list "inputs" in dbus-codegen.config.json',
      location: { file: '<command line>', line: 1, column: 1 },
    };
    return { exitCode: 1, diagnostics: [none] };
  }
  return { exitCode: hasErrors(diagnostics) ? 1 : 0, diagnostics };
}

export function register(program: Command): void {
  const collect = (v: string, prev: string[] = []) => [...prev, v];
  const lintCode = (v: string, prev: string[] = []) => {
    const code = v.toUpperCase();
    if (!(LINT_CODES as readonly string[]).includes(code)) {
      throw new InvalidArgumentError('not a lint code (dbus-codegen-ts lint --list shows them)');
    }
    return [...prev, code];
  };
  const cmd = program
    .command('lint')
    .description('check XML against the D-Bus API design guidelines (warnings; --strict: errors)')
    .argument('[xml...]', 'introspection XML files (default: "inputs" of dbus-codegen.config.json)')
    .option('--strict', 'report guideline findings as errors (exit 1)')
    .option(
      '--owner <prefix>',
      'a name prefix this project owns, e.g. org.qemu for QEMU itself (repeatable)',
      collect,
    )
    .option(
      '--bus-name <name>',
      'a well-known bus name the service uses, checked too (repeatable)',
      collect,
    )
    .option('--disable <code>', 'skip a lint code, e.g. DBUS115 (repeatable)', lintCode)
    .option('--list', 'list the lint codes and exit');
  addInputOptions(cmd).action((files: string[], opts: LintCommandOptions & { list?: boolean }) => {
    if (opts.list) {
      for (const c of LINT_CODES) process.stdout.write(`${c}  ${CODES[c as keyof typeof CODES]}\n`);
      return;
    }
    const r = runLint(files, opts);
    for (const d of r.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
    const warnings = r.diagnostics.filter((d) => d.severity === 'warning').length;
    const errors = r.diagnostics.length - warnings;
    const n = (k: number, what: string) => `${k} ${what}${k === 1 ? '' : 's'}`;
    if (r.diagnostics.length > 0)
      process.stderr.write(`${n(errors, 'error')}, ${n(warnings, 'warning')}\n`);
    process.exitCode = r.exitCode;
  });
}
