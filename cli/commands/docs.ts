/**
 * `dbus-codegen-ts docs <xml...> -o docs/`
 *
 * One Markdown page per interface plus `index.md` (build/docs.ts renders and writes them);
 * only pages whose content changed are rewritten. Exit 0, or 1 when the inputs have errors.
 */
import type { Command } from 'commander';
import { type DocsOptions, writeDocs } from '../../build/docs.js';
import { formatDiagnostic, hasErrors } from '../../generator/diagnostics.js';
import { addInputOptions, type CliContext } from './input-options.js';

export function register(program: Command, cli: CliContext): void {
  const cmd = program
    .command('docs')
    .description('write Markdown reference pages (one per interface, plus index.md)')
    .argument('[xml...]', 'introspection XML files (default: "inputs" of dbus-codegen.config.json)')
    .option(
      '-o, --output <dir>',
      'output directory (default: docs.outDir of the config, else "docs")',
    )
    .option('--title <text>', 'title of index.md (default: "D-Bus interfaces")');
  addInputOptions(cmd).action((files: string[], opts: DocsOptions) => {
    const r = writeDocs(files, { ...opts, annotations: cli.annotations });
    for (const d of r.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
    const failed = hasErrors(r.diagnostics);
    if (!failed) {
      process.stderr.write(
        `${r.pages.length} page(s) in ${r.outDir}, ${r.written.length} written\n`,
      );
    }
    process.exitCode = failed ? 1 : 0;
  });
}
