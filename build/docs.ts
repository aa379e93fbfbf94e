/**
 * Markdown reference pages from XML: one page per interface (`<interface>.md`: methods with
 * their args, signals, properties with access and change behaviour, deprecations, Since) and
 * `index.md`, from XML comments and `org.gtk.GDBus.DocString` annotations. The data behind
 * `dbus-codegen-ts docs`; only pages whose content changed are rewritten.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { emitMarkdown, type MarkdownPage, pageName } from '../emitters/markdown.js';
import { type Diagnostic, hasErrors } from '../generator/diagnostics.js';
import type { Document, Node } from '../spec/model.js';
import { type InputOptions, loadInputs, noInput } from './inputs.js';
import { containedPaths, outputNameProblem } from './output-path.js';
import { readOrUndefined } from './write.js';

/** Inputs, output directory and title of a docs run. */
export interface DocsOptions extends InputOptions {
  /** Output directory. Default: the config's `docs.outDir`, else `docs`. */
  readonly output?: string;
  /** Title of index.md. Default: the config's `docs.title`, else `"D-Bus interfaces"`. */
  readonly title?: string;
}

/** The rendered pages, or the diagnostics that stopped the run (then `pages` is empty). */
export interface DocsResult {
  readonly diagnostics: readonly Diagnostic[];
  readonly pages: readonly MarkdownPage[];
  /** The output directory the pages are meant for (relative to `cwd` unless absolute). */
  readonly outDir: string;
}

/** {@link DocsResult} plus what {@link writeDocs} wrote. */
export interface WrittenDocs extends DocsResult {
  /** Pages actually (re)written, relative to the output directory. */
  readonly written: readonly string[];
}

/**
 * Reads, checks and renders; writes nothing. Any error in `diagnostics` means no pages.
 *
 * @example
 * ```ts
 * import { buildDocs } from 'dbus-codegen-ts';
 * const { pages } = buildDocs(['interfaces/org.qemu.VMState1.xml'], { title: 'VMState' });
 * for (const p of pages) console.log(p.path, p.content.length);
 * ```
 */
export function buildDocs(
  files: readonly string[],
  options: DocsOptions = {},
  cwd = process.cwd(),
): DocsResult {
  const loaded = loadInputs(files, options, cwd);
  const outDir = options.output ?? loaded.config.docs.outDir;
  const fail = { diagnostics: loaded.diagnostics, pages: [], outDir };
  if (hasErrors(loaded.diagnostics)) return fail;
  if (loaded.files.length === 0) return { ...fail, diagnostics: [noInput()] };
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
  return { diagnostics: loaded.diagnostics, pages, outDir };
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

/**
 * {@link buildDocs}, then writes the pages whose content changed under `outDir` (resolved
 * against `cwd`). Every page is checked before the first write: one that would land outside
 * the directory writes nothing.
 */
export function writeDocs(
  files: readonly string[],
  options: DocsOptions = {},
  cwd = process.cwd(),
): WrittenDocs {
  const built = buildDocs(files, options, cwd);
  if (hasErrors(built.diagnostics)) return { ...built, written: [] };
  const dir = resolve(cwd, built.outDir);
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
