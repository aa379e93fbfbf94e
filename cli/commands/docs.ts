/**
 * `dbus-codegen-ts docs <xml...> -o docs/`
 *
 * One Markdown page per interface (`<interface>.md`: methods with their args, signals,
 * properties with access and change behaviour, deprecations, Since) and `index.md`, from XML
 * comments and `org.gtk.GDBus.DocString` annotations. Mentions of interfaces of the same run
 * become links. Only pages whose content changed are rewritten.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { emitMarkdown, type MarkdownPage, pageName } from '../../emitters/markdown.js';
import type { Document, Node } from '../../spec/model.js';
import { type Diagnostic, formatDiagnostic, hasErrors } from '../diagnostics.js';
import { containedPaths, outputNameProblem } from '../output-path.js';
import { readOrUndefined } from '../write.js';
import { addInputOptions, type InputOptions, loadInputs } from './input-options.js';

export interface DocsCommandOptions extends InputOptions {
  /** Output directory. Default: the config's `docs.outDir`, else `docs`. */
  readonly output?: string;
  readonly title?: string;
}

export interface DocsCommandResult {
  readonly exitCode: 0 | 1;
  readonly diagnostics: readonly Diagnostic[];
  readonly pages: readonly MarkdownPage[];
  /** Pages actually (re)written, relative to the output directory. */
  readonly written: readonly string[];
  readonly outDir: string;
}

/** Reads, checks and renders; writes nothing. */
export function buildDocs(
  files: readonly string[],
  options: DocsCommandOptions,
  cwd = process.cwd(),
): Omit<DocsCommandResult, 'written'> {
  const loaded = loadInputs(files, options, cwd);
  const outDir = options.output ?? loaded.config.docs.outDir;
  const fail = { exitCode: 1 as const, diagnostics: loaded.diagnostics, pages: [], outDir };
  if (hasErrors(loaded.diagnostics)) return fail;
  if (loaded.files.length === 0) {
    const none: Diagnostic = {
      severity: 'error',
      code: 'DBUS090',
      message: 'no input: give XML files or list "inputs" in dbus-codegen.config.json',
      location: { file: '<command line>', line: 1, column: 1 },
    };
    return { ...fail, diagnostics: [none] };
  }
  const escaping = loaded.result.interfaces.flatMap(({ iface }) => {
    const d = outputNameProblem(iface.name, pageName(iface.name), iface.location);
    return d === undefined ? [] : [d];
  });
  if (escaping.length > 0) return { ...fail, diagnostics: [...loaded.diagnostics, ...escaping] };
  const command = ['dbus-codegen-ts docs', ...[...loaded.files].sort(), '-o', outDir].join(' ');
  const pages = emitMarkdown({
    interfaces: loaded.result.interfaces.map((i) => i.iface),
    sources: new Map(loaded.result.interfaces.map((i) => [i.iface.name, i.sources])),
    paths: interfacePaths(loaded.result.documents),
    command,
    title: options.title ?? loaded.config.docs.title,
  });
  return { exitCode: 0, diagnostics: loaded.diagnostics, pages, outDir };
}

/** Interface name -> the object paths the XML declares it at, sorted. */
function interfacePaths(documents: readonly Document[]): Map<string, string[]> {
  const out = new Map<string, Set<string>>();
  const walk = (node: Node): void => {
    for (const i of node.interfaces) {
      if (node.path === undefined) continue;
      const set = out.get(i.name) ?? new Set<string>();
      set.add(node.path);
      out.set(i.name, set);
    }
    for (const c of node.children) walk(c);
  };
  for (const d of documents) walk(d.root);
  return new Map([...out].map(([k, v]) => [k, [...v].sort()]));
}

/** {@link buildDocs}, then writes the pages whose content changed. */
export function runDocs(
  files: readonly string[],
  options: DocsCommandOptions,
  cwd = process.cwd(),
): DocsCommandResult {
  const built = buildDocs(files, options, cwd);
  if (built.exitCode !== 0) return { ...built, written: [] };
  const dir = resolve(cwd, built.outDir);
  // Every page is checked before the first write: one that escapes `dir` writes nothing.
  const paths = containedPaths(
    dir,
    built.pages.map((p) => p.path),
  );
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const [i, page] of built.pages.entries()) {
    const path = paths[i]!;
    if (readOrUndefined(path) === page.content) continue;
    writeFileSync(path, page.content);
    written.push(page.path);
  }
  return { ...built, written };
}

export function register(program: Command): void {
  const cmd = program
    .command('docs')
    .description('write Markdown reference pages (one per interface, plus index.md)')
    .argument('[xml...]', 'introspection XML files (default: "inputs" of dbus-codegen.config.json)')
    .option(
      '-o, --output <dir>',
      'output directory (default: docs.outDir of the config, else "docs")',
    )
    .option('--title <text>', 'title of index.md (default: "D-Bus interfaces")');
  addInputOptions(cmd).action((files: string[], opts: DocsCommandOptions) => {
    const r = runDocs(files, opts);
    for (const d of r.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
    if (r.exitCode === 0) {
      process.stderr.write(
        `${r.pages.length} page(s) in ${r.outDir}, ${r.written.length} written\n`,
      );
    }
    process.exitCode = r.exitCode;
  });
}
