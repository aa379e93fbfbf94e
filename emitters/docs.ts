/**
 * TSDoc text for generated members: the XML's own docs, then the D-Bus name and signature, then
 * tags. ts-morph adds the comment delimiters; this module only makes the text safe inside them.
 */
import type { Docs } from '../spec/model.js';

/** Keeps free text from closing the comment or starting TSDoc tags by accident. */
export function escapeDocText(text: string): string {
  return text
    .replace(/\*\//g, '*\\/')
    .replace(/(^|\s)@(?=\w)/g, '$1\\@')
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t]+$/gm, '')
    .trim();
}

export interface DocTag {
  readonly tag: string;
  readonly text: string;
}

export interface DocParts {
  readonly docs: Docs;
  /** The line naming the D-Bus member and its signature. */
  readonly dbus: string;
  readonly deprecated?: boolean;
  readonly tags?: readonly DocTag[];
}

/** The docs' body: the full text when there is one, else the summary. */
export function docBody(docs: Docs): string | undefined {
  const text = docs.text ?? docs.summary;
  if (text === undefined) return undefined;
  const escaped = escapeDocText(text);
  return escaped === '' ? undefined : escaped;
}

/** One TSDoc comment body (without delimiters). */
export function docText(parts: DocParts): string {
  const blocks: string[] = [];
  const body = docBody(parts.docs);
  if (body !== undefined) blocks.push(body);
  blocks.push(parts.dbus);
  const tags: string[] = (parts.tags ?? []).map((t) =>
    t.text === '' ? `@${t.tag}` : `@${t.tag} ${t.text}`,
  );
  if (parts.deprecated === true) tags.push('@deprecated Marked deprecated in the D-Bus interface.');
  if (parts.docs.since !== undefined) tags.push(`@since ${escapeDocText(parts.docs.since)}`);
  if (tags.length > 0) blocks.push(tags.join('\n'));
  return blocks.join('\n\n');
}

/** `@param` text for one arg: its D-Bus type, then its docs. */
export function argDoc(signature: string, docs: Docs): string {
  const body = docBody(docs);
  return body === undefined ? `\`${signature}\`` : `\`${signature}\` ${body}`;
}

/** Shows a signature in docs; the empty signature reads as "none". */
export function sig(signature: string): string {
  return signature === '' ? 'none' : `\`${signature}\``;
}

/** A complete `/** ... *\/` comment at `indent`, in ts-morph's layout (one line when it fits). */
export function jsDoc(text: string, indent = ''): string {
  const lines = text.split('\n');
  if (lines.length === 1) return `${indent}/** ${lines[0]} */`;
  const body = lines.map((l) => (l === '' ? `${indent} *` : `${indent} * ${l}`));
  return [`${indent}/**`, ...body, `${indent} */`].join('\n');
}
