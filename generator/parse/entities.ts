/**
 * XML entity decoding for fast-xml-parser. Its default decoder (v5) expands the five predefined
 * entities but leaves character references such as `&#10;` or `&#x41;` as they are, which XML
 * requires to be expanded (gdbus-codegen and every XML library do). One pass over the text, so
 * `&amp;#65;` stays `&#65;` and an expansion is never expanded again.
 */
import type { X2jOptions } from 'fast-xml-parser';

type EntityDecoder = NonNullable<X2jOptions['entityDecoder']>;

const PREDEFINED: Readonly<Record<string, string>> = {
  lt: '<',
  gt: '>',
  amp: '&',
  quot: '"',
  apos: "'",
};

const REFERENCE = /&(?:#x([0-9A-Fa-f]{1,6})|#([0-9]{1,7})|([A-Za-z_:][\w.:-]*));/g;

function character(code: number): string | undefined {
  const valid = code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff);
  return valid ? String.fromCodePoint(code) : undefined;
}

/** Expands character references, the predefined entities and those of `declared`, in one pass. */
export function expandReferences(
  text: string,
  declared: Readonly<Record<string, string>> = {},
): string {
  if (!text.includes('&')) return text;
  return text.replace(REFERENCE, (ref, hex?: string, dec?: string, name?: string) => {
    if (hex !== undefined) return character(Number.parseInt(hex, 16)) ?? ref;
    if (dec !== undefined) return character(Number.parseInt(dec, 10)) ?? ref;
    const n = name!;
    if (Object.hasOwn(PREDEFINED, n)) return PREDEFINED[n]!;
    return Object.hasOwn(declared, n) ? declared[n]! : ref;
  });
}

/**
 * A decoder for the predefined entities, character references and the DOCTYPE's own entities.
 * A declared entity's value has its own references expanded once, when it is declared, but not
 * references to other declared entities (no recursion, so no exponential expansion).
 */
export function xmlEntityDecoder(): EntityDecoder {
  let declared: Record<string, string> = {};
  return {
    setExternalEntities: () => {},
    addInputEntities: (entities) => {
      for (const [name, value] of Object.entries(entities)) {
        declared[name] = expandReferences(value);
      }
    },
    reset: () => {
      declared = {};
    },
    setXmlVersion: () => {},
    decode: (text) => expandReferences(text, declared),
  };
}
