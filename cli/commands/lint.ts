/**
 * `dbus-codegen-ts lint <xml...> [--strict] [--owner PREFIX]... [--bus-name NAME]...`
 *
 * The D-Bus API Design Guidelines as warnings on the checked
 * model, after the checks' own diagnostics (build/lint-files.ts). Exit 0 when nothing is an
 * error, 1 otherwise; `--strict` makes every finding an error (a CI gate). Without XML
 * arguments the config's `inputs` are linted with its `lint` settings.
 */
import { type Command, InvalidArgumentError } from 'commander';
import { type LintFilesOptions, lintFiles } from '../../build/lint-files.js';
import {
  CODES,
  type Diagnostic,
  formatDiagnostic,
  hasErrors,
} from '../../generator/diagnostics.js';
import { LINT_CODES } from '../../generator/lint.js';
import { addInputOptions, addRepeatable, type CliContext } from './input-options.js';

/** {@link lintFiles} with the command's exit code: 1 when any diagnostic is an error. */
export function runLint(
  files: readonly string[],
  options: LintFilesOptions,
  cwd = process.cwd(),
): { readonly exitCode: 0 | 1; readonly diagnostics: readonly Diagnostic[] } {
  const { diagnostics } = lintFiles(files, options, cwd);
  return { exitCode: hasErrors(diagnostics) ? 1 : 0, diagnostics };
}

export function register(program: Command, cli: CliContext): void {
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
    .option('--strict', 'report guideline findings as errors (exit 1)');
  addRepeatable(cmd, {
    '--owner <prefix>':
      'a name prefix this project owns, e.g. org.qemu for QEMU itself (repeatable)',
    '--bus-name <name>': 'a well-known bus name the service uses, checked too (repeatable)',
  })
    .option('--disable <code>', 'skip a lint code, e.g. DBUS115 (repeatable)', lintCode)
    .option('--list', 'list the lint codes and exit');
  addInputOptions(cmd).action((files: string[], opts: LintFilesOptions & { list?: boolean }) => {
    if (opts.list) {
      for (const c of LINT_CODES) process.stdout.write(`${c}  ${CODES[c as keyof typeof CODES]}\n`);
      return;
    }
    const r = runLint(files, { ...opts, annotations: cli.annotations });
    for (const d of r.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
    const warnings = r.diagnostics.filter((d) => d.severity === 'warning').length;
    const errors = r.diagnostics.length - warnings;
    const n = (k: number, what: string) => `${k} ${what}${k === 1 ? '' : 's'}`;
    if (r.diagnostics.length > 0)
      process.stderr.write(`${n(errors, 'error')}, ${n(warnings, 'warning')}\n`);
    process.exitCode = r.exitCode;
  });
}
