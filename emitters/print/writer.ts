/**
 * The pieces of ts-morph's structure printer (node_modules/ts-morph/dist/ts-morph.js, class
 * `Printer` and friends) that the fast printer (structures.ts) shares: the writer with the
 * options ts-morph's project creates it with, nested-writer text, comma-separated lists, and the
 * checks that turn any structure field we do not print into {@link Unsupported}.
 */
import CodeBlockWriter from 'code-block-writer';

/**
 * A structure, or a field of one, that the fast printer does not cover. The caller prints the
 * module with ts-morph instead, so an unsupported field is never a silent difference.
 */
export class Unsupported extends Error {
  override readonly name = 'Unsupported';
}

/** What emitters/index.ts configures ts-morph's project with: two spaces, LF, single quotes. */
const OPTIONS = {
  newLine: '\n',
  indentNumberOfSpaces: 2,
  useTabs: false,
  useSingleQuote: true,
} as const;

export function newWriter(): CodeBlockWriter {
  return new CodeBlockWriter(OPTIONS);
}

export type Writer = CodeBlockWriter;
export type Fields = Readonly<Record<string, unknown>>;

/** Throws unless every field of `s` that is set is one of `allowed`. */
export function only(s: unknown, allowed: readonly string[], what: string): Fields {
  if (typeof s !== 'object' || s === null || Array.isArray(s)) throw new Unsupported(what);
  for (const [k, v] of Object.entries(s)) {
    if (v !== undefined && !allowed.includes(k)) throw new Unsupported(`${what}.${k}`);
  }
  return s as Fields;
}

/** A structure's `kind`, when given, must be `kind` (emitters leave it out on members). */
export function kindIs(s: Fields, kind: number, what: string): void {
  if (s['kind'] !== undefined && s['kind'] !== kind) throw new Unsupported(`${what}.kind`);
}

export function optString(s: Fields, key: string, what: string): string | undefined {
  const v = s[key];
  if (v === undefined || typeof v === 'string') return v;
  throw new Unsupported(`${what}.${key}`);
}

export function string(s: Fields, key: string, what: string): string {
  const v = optString(s, key, what);
  if (v === undefined) throw new Unsupported(`${what}.${key}`);
  return v;
}

export function flag(s: Fields, key: string, what: string): boolean {
  const v = s[key];
  if (v === undefined || typeof v === 'boolean') return v === true;
  throw new Unsupported(`${what}.${key}`);
}

export function list(s: Fields, key: string, what: string): readonly unknown[] {
  const v = s[key];
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new Unsupported(`${what}.${key}`);
  return v;
}

/** ts-morph's (and @ts-morph/common's) whitespace set. */
const WHITESPACE = new Set([' ', '\f', '\n', '\r', '\t', '\v', '\u00A0', '\u2028', '\u2029']);

export function isNullOrWhitespace(text: string | undefined): boolean {
  if (text === undefined) return true;
  for (const c of text) if (!WHITESPACE.has(c)) return false;
  return true;
}

/** `Printer.getText`: the text as a fresh writer with the same options writes it. */
export function textOf(w: Writer, text: string): string {
  return new CodeBlockWriter(w.getOptions()).write(text).toString();
}

/** `isLastNonWhitespaceCharCloseBrace` of ts-morph. */
export function lastIsCloseBrace(w: Writer): boolean {
  return (
    w.iterateLastChars((c) => (c === '}' ? true : WHITESPACE.has(c) ? undefined : false)) ?? false
  );
}

/** The characters written since `pos` (ts-morph's `WriterUtils.getLastCharactersToPos`). */
function since(w: Writer, pos: number): string {
  const chars: string[] = new Array(w.getLength() - pos);
  w.iterateLastChars((c, i) => {
    if (i < pos) return true;
    chars[i - pos] = c;
    return undefined;
  });
  return chars.join('');
}

/**
 * Where ts-morph appends a list item's comma (`getAppendCommaPos`): after its last token, before
 * trailing trivia; -1 for an empty item or one that already ends in a comma. ts-morph runs
 * TypeScript's scanner for this; here only items whose answer needs no scanner are accepted:
 * printable ASCII on one line (no conflict marker can start a later line), no `/` (no comment
 * anywhere), not ending in a space, no shebang or conflict marker at the start (the other
 * trivia). Anything else is {@link Unsupported}.
 */
export function appendCommaPos(item: string): number {
  if (item === '') return -1;
  let plain = !item.endsWith(' ') && !item.startsWith('#') && !/^([<=>|])\1{6}/.test(item);
  for (let i = 0; plain && i < item.length; i++) {
    const c = item.charCodeAt(i);
    plain = c >= 0x20 && c <= 0x7e && c !== 0x2f;
  }
  if (!plain) throw new Unsupported(`list item ${JSON.stringify(item)}`);
  return item.endsWith(',') ? -1 : item.length;
}

/**
 * `CommaSeparatedStructuresPrinter`: items separated by a space, then a comma inserted after
 * every item but the last (ts-morph inserts them afterwards, so do we).
 */
export function commaSeparated<T>(w: Writer, items: readonly T[], print: (item: T) => void): void {
  const at: (number | false)[] = [];
  for (let i = 0; i < items.length; i++) {
    if (i > 0) w.spaceIfLastNot();
    const start = w.getLength();
    print(items[i]!);
    const pos = appendCommaPos(since(w, start));
    at.push(pos === -1 ? false : pos + start);
  }
  let foundLast = false;
  for (let i = at.length - 1; i >= 0; i--) {
    const pos = at[i]!;
    if (pos === false) continue;
    if (!foundLast) foundLast = true;
    else w.unsafeInsert(pos, ',');
  }
}
