/**
 * Mutations of introspection XML: bit flips, truncation, tag and attribute shuffles, and
 * insertions of XML-significant fragments. Each returns new text; none throws.
 */
import type { Rng } from './rng.js';

const TAG = /<[^<>]*>/g;
const ATTR = /\s([A-Za-z_:][\w:.-]*)\s*=\s*("[^"]*"|'[^']*')/g;
const FRAGMENTS = [
  '<',
  '>',
  '&',
  '&amp;',
  '&#0;',
  '&#xD800;',
  '"',
  "'",
  '<!--',
  '-->',
  '<![CDATA[',
  ']]>',
  '<?if $(env.HOST_OS) == windows?>',
  '<?endif?>',
  '<?else?>',
  '<!DOCTYPE node [<!ENTITY a "b">]>',
  '<node>',
  '</node>',
  '<interface name="a.b">',
  '</interface>',
  '<method name="M">',
  '</method>',
  '<arg type="a{sv}" direction="out"/>',
  '<arg type="((((((((((((((((((((((((((((((((((y))))))))))))))))))))))))))))))))"/>',
  '<property name="P" type="v" access="readwrite"/>',
  '<signal name="S"><arg type="h"/></signal>',
  '<annotation name="org.freedesktop.DBus.Deprecated" value="maybe"/>',
  'type="aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaay"',
  '\u0000',
  '\uFFFE',
  '\uD800',
  '\t\r\n',
  ' name=""',
  ' xmlns:doc="x"',
];

function matches(re: RegExp, text: string): { index: number; text: string }[] {
  return [...text.matchAll(re)].map((m) => ({ index: m.index ?? 0, text: m[0] }));
}

function splice(text: string, at: number, remove: number, insert: string): string {
  return text.slice(0, at) + insert + text.slice(at + remove);
}

export function bitFlip(rng: Rng, text: string): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length === 0) return text;
  const flips = rng.range(1, 8);
  for (let i = 0; i < flips; i++) {
    const at = rng.int(bytes.length);
    bytes[at] = (bytes[at] ?? 0) ^ (1 << rng.int(8));
  }
  return bytes.toString('utf8');
}

export function truncate(rng: Rng, text: string): string {
  return text.slice(0, rng.int(text.length + 1));
}

/** Swaps, duplicates or drops whole tags. */
export function shuffleTags(rng: Rng, text: string): string {
  const tags = matches(TAG, text);
  if (tags.length < 2) return text;
  const a = rng.pick(tags);
  const b = rng.pick(tags);
  switch (rng.int(3)) {
    case 0: {
      const [first, second] = a.index < b.index ? [a, b] : [b, a];
      if (first.index + first.text.length > second.index) return text;
      return (
        text.slice(0, first.index) +
        second.text +
        text.slice(first.index + first.text.length, second.index) +
        first.text +
        text.slice(second.index + second.text.length)
      );
    }
    case 1:
      return splice(text, b.index, 0, a.text);
    default:
      return splice(text, a.index, a.text.length, '');
  }
}

/** Moves, swaps, duplicates or drops attributes and their values. */
export function shuffleAttributes(rng: Rng, text: string): string {
  const attrs = matches(ATTR, text);
  if (attrs.length === 0) return text;
  const a = rng.pick(attrs);
  const b = rng.pick(attrs);
  switch (rng.int(4)) {
    case 0: {
      // swap values
      const va = a.text.slice(a.text.indexOf('='));
      const vb = b.text.slice(b.text.indexOf('='));
      const na = a.text.slice(0, a.text.indexOf('='));
      const replaced = splice(text, a.index, a.text.length, na + vb);
      return b.index > a.index
        ? replaced
        : splice(replaced, b.index, b.text.length, b.text.slice(0, b.text.indexOf('=')) + va);
    }
    case 1:
      return splice(text, b.index, 0, a.text);
    case 2:
      return splice(text, a.index, a.text.length, '');
    default: {
      // a value from the dictionary
      const name = a.text.slice(0, a.text.indexOf('='));
      return splice(
        text,
        a.index,
        a.text.length,
        `${name}="${rng.pick(FRAGMENTS).replace(/"/g, '&quot;')}"`,
      );
    }
  }
}

export function insertFragment(rng: Rng, text: string): string {
  return splice(text, rng.int(text.length + 1), 0, rng.pick(FRAGMENTS));
}

export const MUTATORS = {
  bitFlip,
  truncate,
  shuffleTags,
  shuffleAttributes,
  insertFragment,
} as const;

/** One to three mutations; returns the text and what was done. */
export function mutateXml(rng: Rng, text: string): { text: string; steps: string[] } {
  const names = Object.keys(MUTATORS) as (keyof typeof MUTATORS)[];
  const steps: string[] = [];
  let out = text;
  for (let i = rng.range(1, 3); i > 0; i--) {
    const name = rng.pick(names);
    steps.push(name);
    out = MUTATORS[name](rng, out);
  }
  return { text: out, steps };
}
