/**
 * Documentation from the three places real XML keeps it: gtk-doc comments before an element
 * (`Name:` then `@arg: text`, as gdbus-codegen reads them), `doc:`/`tp:` elements, and
 * `org.gtk.GDBus.DocString*` / `org.gtk.GDBus.Since` annotations. An annotation wins over a
 * comment, a comment over a foreign element.
 */
import type { Docs } from '../../spec/model.js';
import type { RawElement } from '../parse/raw.js';

/**
 * A gtk-doc comment: `Symbol:` on its first line, `@param: text` lines, then the body. A line
 * after an `@param:` line continues its description when it is indented deeper than the `@`
 * (a wrapped description), until a blank line or the next `@tag`. A line at the `@`'s own
 * indentation starts the body, as gdbus-codegen reads it: real files (Flatpak, udisks,
 * NetworkManager) start the body right under their last `@param:` line.
 */
export interface DocComment {
  readonly symbol: string;
  readonly body: string;
  readonly params: ReadonlyMap<string, string>;
}

export function parseDocComment(comment: string): DocComment | undefined {
  const lines = comment.split(/\r?\n/);
  let i = 0;
  while (i < lines.length && lines[i]!.trim() === '') i++;
  const first = lines[i]?.trim();
  if (first === undefined) return undefined;
  let symbol: string;
  const body: string[] = [];
  const colon = first.indexOf(': ');
  if (colon !== -1) {
    symbol = first.slice(0, colon);
    const rest = first.slice(colon + 2).trim();
    if (rest !== '') body.push(rest);
  } else if (first.endsWith(':')) {
    symbol = first.slice(0, -1);
  } else {
    return undefined;
  }
  if (symbol === '' || /\s/.test(symbol)) return undefined;
  const params = new Map<string, string>();
  let inParams = true;
  let continuing: string | undefined; // the param whose description may wrap onto this line
  let paramIndent = 0;
  let blank = false;
  for (const raw of lines.slice(i + 1)) {
    const line = raw.trim();
    if (inParams) {
      const m = /^@([^:\s]+):\s?(.*)$/.exec(line);
      if (m !== null) {
        params.set(m[1]!, m[2]!.trim());
        continuing = m[1]!;
        paramIndent = indentOf(raw);
        continue;
      }
      if (line === '') {
        continuing = undefined;
        blank = true;
        continue;
      }
      if (continuing !== undefined && indentOf(raw) > paramIndent) {
        params.set(continuing, `${params.get(continuing)!} ${line}`.trim());
        continue;
      }
      inParams = false;
      if (blank && body.length > 0) body.push(''); // `Symbol: text`, blank line, more text
    }
    body.push(raw);
  }
  return { symbol, body: dedent(body), params };
}

/** Removes common indentation and surrounding blank lines; keeps paragraphs. */
export function dedent(lines: readonly string[]): string {
  const expanded = lines.map((l) => l.replace(/\t/g, '    ').replace(/\s+$/, ''));
  const indents = expanded.filter((l) => l !== '').map((l) => /^ */.exec(l)![0].length);
  const cut = indents.length === 0 ? 0 : Math.min(...indents);
  return expanded
    .map((l) => l.slice(cut))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

const BLOCK =
  /(?:^|:)(?:para|p|li|item|list|ul|ol|title|description|summary|definition|term|errors?|docstring|dl|dt|dd|br)$/;

/** Text of a documentation element: inline runs collapsed, blocks separated by blank lines. */
export function flattenText(el: RawElement): string {
  const blocks: string[] = [];
  let current = '';
  const flush = (): void => {
    const t = current.replace(/\s+/g, ' ').trim();
    if (t !== '') blocks.push(t);
    current = '';
  };
  const walk = (e: RawElement): void => {
    for (const c of e.content) {
      if (typeof c === 'string') current += c;
      else if (BLOCK.test(c.name)) {
        flush();
        walk(c);
        flush();
      } else {
        walk(c);
      }
    }
  };
  walk(el);
  flush();
  return blocks.join('\n\n');
}

/** Docs carried by `doc:doc` / `tp:docstring` children of `el`. */
export function foreignDocs(el: RawElement): { text?: string; summary?: string } {
  let summary: string | undefined;
  const parts: string[] = [];
  for (const c of el.children) {
    if (c.name === 'tp:docstring') {
      const t = flattenText(c);
      if (t !== '') parts.push(t);
    } else if (c.name === 'doc:doc') {
      for (const d of c.children) {
        const t = flattenText(d);
        if (t === '') continue;
        if (d.name === 'doc:summary' && summary === undefined) summary = t;
        else if (d.name !== 'doc:errors' && d.name !== 'doc:permission') parts.push(t);
      }
    }
  }
  const out: { text?: string; summary?: string } = {};
  if (parts.length > 0) out.text = parts.join('\n\n');
  if (summary !== undefined) out.summary = summary;
  return out;
}

export interface DocSources {
  /** The element's own gtk-doc comment, when its symbol names the element. */
  readonly comment: DocComment | undefined;
  /** Text for an arg from its member's comment (`@name: text`). */
  readonly paramText?: string | undefined;
  readonly annotations: ReadonlyMap<string, string>;
  readonly foreign: { text?: string; summary?: string };
}

export function mergeDocs(s: DocSources): Docs {
  const text =
    s.annotations.get('org.gtk.GDBus.DocString') ??
    nonEmpty(s.comment?.body) ??
    nonEmpty(s.paramText) ??
    s.foreign.text;
  const summary =
    s.annotations.get('org.gtk.GDBus.DocString.Short') ??
    nonEmpty(s.comment?.params.get('short_description')) ??
    s.foreign.summary;
  const since =
    s.annotations.get('org.gtk.GDBus.Since') ?? nonEmpty(s.comment?.params.get('since'));
  const docs: { text?: string; summary?: string; since?: string } = {};
  if (text !== undefined) docs.text = text;
  if (summary !== undefined) docs.summary = summary;
  if (since !== undefined) docs.since = since;
  return docs;
}

function nonEmpty(s: string | undefined): string | undefined {
  return s === undefined || s.trim() === '' ? undefined : s;
}

/** Width of a line's leading white space (a tab counts as one column, as in the other lines). */
function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}
