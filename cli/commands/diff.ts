/**
 * `dbus-codegen-ts diff OLD NEW` (XML files or directories of them) or
 * `dbus-codegen-ts diff --git REV [PATH...]` (PATH as committed at REV vs the working tree).
 *
 * Every API change on stdout, one located line each (`new.xml:12:5: wire-breaking: out
 * signature of Save changed ay -> a(say)`), then a summary and, for a versioned interface with
 * wire-breaking changes, the advice to publish its next version (build/diff.ts computes them,
 * generator/diff/compare.ts has the rules). `--json` prints the same as one JSON object. Exit 0;
 * 1 when the inputs have errors or when `--fail-on wire|source` finds a change that bad; 2 usage
 * errors.
 */
import { type Command, InvalidArgumentError } from 'commander';
import { diffFiles } from '../../build/diff.js';
import { formatDiagnostic, hasErrors } from '../../generator/diagnostics.js';
import {
  fails,
  formatChange,
  jsonReport,
  summaryLine,
  versionSuggestions,
} from '../../generator/diff/report.js';
import { addRepeatable } from './input-options.js';

interface Flags {
  git?: string;
  json?: boolean;
  failOn?: 'wire' | 'source';
  define?: string[];
  relax?: string[];
  docs?: boolean;
}

export function register(program: Command): void {
  const cmd = program
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
    );
  addRepeatable(cmd, {
    '-D, --define <name=value>': 'value for $(env.NAME) in <?if?> blocks (repeatable)',
    '--relax <code>': 'report this error code as a warning: DBUS030 or DBUS041',
  }).action((paths: string[], flags: Flags) => {
    const r = diffFiles(paths, flags);
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
