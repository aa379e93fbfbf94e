/**
 * `dbus-codegen-ts diff OLD NEW` (XML files or directories of them) or
 * `dbus-codegen-ts diff --git REV [PATH...]` (PATH as committed at REV vs the working tree).
 *
 * Every API change on stdout, one located line each (`new.xml:12:5: wire-breaking: out
 * signature of Save changed ay -> a(say)`), then a summary and, for a versioned interface with
 * wire-breaking changes, the advice to publish its next version (generator/diff/compare.ts has
 * the rules). `--json` prints the same as one JSON object. Exit 0; 1 when the inputs have
 * errors or when `--fail-on wire|source` finds a change that bad; 2 usage errors.
 */
import { type Command, InvalidArgumentError } from 'commander';
import {
  type Code,
  type Diagnostic,
  formatDiagnostic,
  hasErrors,
  UsageError,
} from '../diagnostics.js';
import { type ApiChange, compareInterfaces } from '../diff/compare.js';
import { readGitSide, readSide, type Side } from '../diff/load.js';
import {
  fails,
  formatChange,
  jsonReport,
  summaryLine,
  versionSuggestions,
} from '../diff/report.js';
import { parseDefines } from '../options.js';

/** Options of {@link runDiff}: `git` diffs against the inputs as committed at that revision. */
export interface DiffOptions {
  readonly git?: string;
  readonly define?: readonly string[];
  readonly relax?: readonly string[];
  /** Compare docs (default true); false for a side without any, e.g. introspected XML. */
  readonly docs?: boolean;
}

/** What {@link runDiff} found: every classified change, or the diagnostics that stopped it. */
export interface DiffResult {
  readonly changes: readonly ApiChange[];
  /** Problems reading or checking either side; no changes are computed when there are errors. */
  readonly diagnostics: readonly Diagnostic[];
}

/** `paths`: OLD and NEW, or with `git` the paths to compare against their committed version. */
export function runDiff(
  paths: readonly string[],
  options: DiffOptions,
  cwd = process.cwd(),
): DiffResult {
  const o = {
    defines: parseDefines(options.define ?? []),
    relax: (options.relax ?? []) as Code[],
  };
  let before: Side;
  let after: Side;
  if (options.git !== undefined) {
    if (paths.length === 0) throw new UsageError('diff --git REV needs the paths to compare');
    before = readGitSide(options.git, paths, o, cwd);
    after = readSide(paths, o, cwd);
  } else {
    if (paths.length !== 2) throw new UsageError('diff needs OLD and NEW (or --git REV PATH...)');
    before = readSide([paths[0]!], o, cwd);
    after = readSide([paths[1]!], o, cwd);
  }
  const diagnostics = [...before.diagnostics, ...after.diagnostics];
  if (hasErrors(diagnostics)) return { changes: [], diagnostics };
  const changes = compareInterfaces(before.interfaces, after.interfaces, {
    docs: options.docs ?? true,
  });
  return { changes, diagnostics };
}

interface Flags {
  git?: string;
  json?: boolean;
  failOn?: 'wire' | 'source';
  define?: string[];
  relax?: string[];
  docs?: boolean;
}

export function register(program: Command): void {
  const collect = (v: string, prev: string[] = []) => [...prev, v];
  program
    .command('diff')
    .description(
      'classify every API change between two versions of the XML (wire/source/compatible)',
    )
    .argument('[paths...]', 'OLD NEW (files or directories of XML); with --git: PATH...')
    .option('--git <rev>', 'compare PATH... as committed at REV with the working tree')
    .option('--no-docs', 'ignore docs changes (a side without docs: introspected XML)')
    .option('--json', 'print the changes, summary and suggestions as one JSON object')
    .option(
      '--fail-on <level>',
      'exit 1 on a wire-breaking (wire) or any breaking (source) change',
      (v) => {
        if (v !== 'wire' && v !== 'source')
          throw new InvalidArgumentError('expected wire or source');
        return v;
      },
    )
    .option(
      '-D, --define <name=value>',
      'value for $(env.NAME) in <?if?> blocks (repeatable)',
      collect,
    )
    .option('--relax <code>', 'report this error code as a warning: DBUS030 or DBUS041', collect)
    .action((paths: string[], flags: Flags) => {
      const r = runDiff(paths, flags);
      // Only errors: warnings about the XML itself are `lint`'s and `generate`'s business.
      for (const d of r.diagnostics.filter((x) => x.severity === 'error'))
        process.stderr.write(`${formatDiagnostic(d)}\n`);
      if (hasErrors(r.diagnostics)) {
        process.exitCode = 1;
        return;
      }
      if (flags.json === true) {
        process.stdout.write(`${JSON.stringify(jsonReport(r.changes), null, 2)}\n`);
      } else {
        for (const c of r.changes) process.stdout.write(`${formatChange(c)}\n`);
        process.stdout.write(`${summaryLine(r.changes)}\n`);
        for (const s of versionSuggestions(r.changes)) process.stdout.write(`suggestion: ${s}\n`);
      }
      process.exitCode = fails(r.changes, flags.failOn) ? 1 : 0;
    });
}
