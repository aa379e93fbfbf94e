/**
 * `dbus-codegen-ts generate <xml...> -o <dir> [--define NAME=VALUE]... [--check]`
 *
 * Diagnostics go to stderr as `path:line:col: error|warning CODE: message`. Nothing is
 * written when any error exists. With --check nothing is written at all and each stale or
 * missing file is named.
 */
import type { Command } from 'commander';
import { type Code, formatDiagnostic } from '../diagnostics.js';
import { type GenerateResult, generate } from '../generate.js';
import { parseDefines } from '../options.js';
import { getCommandLineAnnotations } from '../overlay-file.js';
import { projectGenerateOptions } from '../project.js';
import { watchGenerate } from '../watch.js';

interface Flags {
  readonly out?: string;
  readonly overlay: string[];
  readonly watch?: boolean;
  readonly define: string[];
  readonly relax: string[];
  readonly check?: boolean;
  readonly warningsAsErrors?: boolean;
  readonly quiet?: boolean;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function register(program: Command): void {
  program
    .command('generate')
    .description('generate TypeScript modules from D-Bus introspection XML')
    .argument('[xml...]', 'introspection XML files (default: "inputs" of dbus-codegen.config.json)')
    .option('-o, --out <dir>', 'output directory (default: "outDir" of the config, else generated)')
    .option(
      '-D, --define <NAME=VALUE>',
      'value of $(env.NAME) in <?if?> blocks (repeatable)',
      collect,
      [],
    )
    .option('--check', 'write nothing; exit 1 naming every stale or missing file')
    .option(
      '--relax <CODE>',
      'report this error code as a warning: DBUS030, DBUS034 or DBUS041 (repeatable)',
      collect,
      [],
    )
    .option('--warnings-as-errors', 'fail on warnings too')
    .option('--overlay <file>', 'annotation overlay file, JSON (repeatable)', collect, [])
    .option('--annotate <what>', 'WHAT KEY VALUE: add or change an annotation (repeatable)')
    .option('-w, --watch', 'regenerate whenever an input changes (Ctrl-C to stop)')
    .option('-q, --quiet', 'print only diagnostics and problems')
    .action(async (xml: string[], flags: Flags) => {
      process.exitCode = await run(xml, flags);
    });
}

async function run(xml: string[], flags: Flags): Promise<number> {
  // Inputs, -o, defines, overlays and annotations merged with dbus-codegen.config.json.
  const project = projectGenerateOptions({
    inputs: xml,
    ...(flags.out !== undefined ? { outDir: flags.out } : {}),
    defines: parseDefines(flags.define),
    relax: flags.relax as Code[],
    overlays: flags.overlay,
    annotations: getCommandLineAnnotations(),
  });
  for (const d of project.diagnostics)
    process.stderr.write(`${formatDiagnostic(d)}
`);
  if (project.options === undefined) return 1;
  const options = {
    ...project.options,
    check: flags.check === true,
    warningsAsErrors: flags.warningsAsErrors === true,
  };
  if (flags.watch === true) {
    const w = watchGenerate(options, {
      extraFiles: project.watchFiles,
      onResult: (r, changed) => {
        if (changed.length > 0) process.stderr.write(`changed: ${changed.join(', ')}\n`);
        report(r, flags);
      },
      onError: (e) => process.stderr.write(`dbus-codegen-ts: ${(e as Error).message}\n`),
    });
    await w.ready;
    process.stderr.write('watching for changes (Ctrl-C to stop)\n');
    await new Promise<void>((done) => process.once('SIGINT', () => done()));
    await w.close();
    return 0;
  }
  return report(await generate(options), flags);
}

function report(result: GenerateResult, flags: Flags): number {
  for (const d of result.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
  const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
  if (errors > 0) {
    process.stderr.write(`${errors} error${errors === 1 ? '' : 's'}; nothing written\n`);
    return 1;
  }
  if (flags.check === true) {
    const bad = result.files.filter((f) => f.status === 'stale' || f.status === 'missing');
    for (const f of bad) process.stderr.write(`${f.path}: ${f.status}\n`);
    if (bad.length > 0) {
      process.stderr.write(
        `${bad.length} generated file${bad.length === 1 ? ' is' : 's are'} out of date; run the regenerate command in their header\n`,
      );
      return 1;
    }
    if (flags.quiet !== true) process.stdout.write(`${result.files.length} files up to date\n`);
    return 0;
  }
  if (flags.quiet !== true) {
    const written = result.files.filter((f) => f.status === 'written').length;
    process.stdout.write(`${written} written, ${result.files.length - written} unchanged\n`);
  }
  return 0;
}
