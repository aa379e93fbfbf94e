/**
 * The checking front end: XML sources -> checked model + every diagnostic. This is the hook
 * other tools use (the `lint` command runs its guideline rules over `interfaces`; it does not
 * re-parse). Nothing here writes files or imports templates.
 */

import type { Document, Interface, Location, Node } from '../spec/model.js';
import { buildDocument } from './build-model.js';
import { type Code, type Diagnostic, Diagnostics, sortDiagnostics } from './diagnostics.js';
import { type AnnotationOverride, applyOverlay } from './overlay.js';
import type { RawElement } from './parse/raw.js';
import { parseXml } from './parse.js';

/** One XML document to check. */
export interface SourceInput {
  /** The path shown in diagnostics and headers (relative to the working directory). */
  readonly file: string;
  readonly text: string;
}

/** Options of {@link check}; every one defaults to none. */
export interface CheckOptions {
  /** Values for `$(env.NAME)` in QEMU-style `<?if?>` blocks. Default: none. */
  readonly defines?: Readonly<Record<string, string>>;
  /** Error codes reported as warnings instead (only those in `RELAXABLE`, diagnostics.ts). Default: none. */
  readonly relax?: readonly Code[];
  /**
   * Annotation overrides (`--annotate`, overlay files; generator/overlay.ts), applied to the
   * parsed XML before any check, so they are validated like annotations written in the XML.
   * Default: none.
   */
  readonly annotations?: readonly AnnotationOverride[];
}

/** One interface of the run with every file that defines it (identical definitions merged). */
export interface CheckedInterface {
  readonly iface: Interface;
  readonly sources: readonly string[];
}

/** What {@link check} found. */
export interface CheckResult {
  /** Documents without errors, sorted by file. */
  readonly documents: readonly Document[];
  /** Interfaces of the error-free documents, merged across files, sorted by name. */
  readonly interfaces: readonly CheckedInterface[];
  /** Every problem found, sorted by file and position. */
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Parses and checks introspection XML without writing anything: every problem as a located
 * {@link Diagnostic}, and the interfaces of the error-free documents as the checked model.
 *
 * @example
 * ```ts
 * const r = check([{ file: 'a.xml', text: xml }]);
 * if (hasErrors(r.diagnostics)) console.error(r.diagnostics.map(formatDiagnostic).join('\n'));
 * else for (const { iface } of r.interfaces) console.log(iface.name);
 * ```
 */
export function check(sources: readonly SourceInput[], options: CheckOptions = {}): CheckResult {
  const defines = new Map(Object.entries(options.defines ?? {}));
  const diags = new Diagnostics(new Set(options.relax ?? []));
  const documents: Document[] = [];
  const sorted = [...sources].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const parsed: { file: string; root: RawElement | undefined; local: Diagnostics }[] = [];
  for (const src of sorted) {
    const local = diags.child();
    parsed.push({ file: src.file, root: parseXml(src.file, src.text, { defines }, local), local });
  }
  const overridden = options.annotations?.length
    ? applyOverlay(
        parsed.filter((p): p is typeof p & { root: RawElement } => p.root !== undefined),
        options.annotations,
        diags,
      )
    : [];
  for (const p of parsed) {
    const root = overridden.find((o) => o.file === p.file)?.root ?? p.root;
    const doc = root === undefined ? undefined : buildDocument(p.file, root, p.local);
    diags.items.push(...p.local.items);
    if (doc !== undefined && !p.local.hasErrors) documents.push(doc);
  }
  const interfaces = merge(documents, diags);
  return { documents, interfaces, diagnostics: sortDiagnostics(diags.items) };
}

function* nodeInterfaces(node: Node): Generator<Interface> {
  yield* node.interfaces;
  for (const c of node.children) yield* nodeInterfaces(c);
}

/**
 * An interface defined in several places (several nodes, several files) is one interface when
 * every definition is identical (same canonical XML); otherwise each differing definition is a
 * located error naming the first.
 */
function merge(documents: readonly Document[], diags: Diagnostics): CheckedInterface[] {
  const byName = new Map<string, { iface: Interface; sources: string[] }>();
  for (const doc of documents) {
    for (const iface of nodeInterfaces(doc.root)) {
      const seen = byName.get(iface.name);
      if (seen === undefined) {
        byName.set(iface.name, { iface, sources: [doc.file] });
      } else if (seen.iface.xml !== iface.xml) {
        diags.error(
          'DBUS056',
          `interface "${iface.name}" is defined differently at ${place(seen.iface.location)} (${firstDifference(seen.iface.xml, iface.xml)}); one run needs one definition`,
          iface.location,
        );
      } else if (!seen.sources.includes(doc.file)) {
        seen.sources.push(doc.file);
      }
    }
  }
  return [...byName.values()]
    .sort((a, b) => (a.iface.name < b.iface.name ? -1 : a.iface.name > b.iface.name ? 1 : 0))
    .map((e) => ({ iface: e.iface, sources: e.sources.sort() }));
}

function place(at: Location): string {
  return `${at.file}:${at.line}:${at.column}`;
}

function firstDifference(a: string, b: string): string {
  const la = a.split('\n');
  const lb = b.split('\n');
  for (let i = 0; i < Math.max(la.length, lb.length); i++) {
    const x = la[i]?.trim();
    const y = lb[i]?.trim();
    if (x !== y) return `there: ${x ?? '(nothing)'}; here: ${y ?? '(nothing)'}`;
  }
  return 'they differ';
}
