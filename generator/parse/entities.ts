/**
 * XML entity decoding for fast-xml-parser. Its default decoder (v5) expands the five predefined
 * entities but leaves character references such as `&#10;` or `&#x41;` as they are, which XML
 * requires to be expanded (gdbus-codegen and every XML library do). One pass over the text, so
 * `&amp;#65;` stays `&#65;` and an expansion is never expanded again.
 *
 * Bound: no recursion means no exponential blow-up, but one declared entity referenced many
 * times still multiplies (a 16 KB file expanded to 58 MB of output). The text produced by
 * declared entities, summed over the whole document, is capped at {@link expansionLimit}:
 * max(1 MiB, 16 x the document's length), in UTF-16 code units. Past it the parse stops
 * with {@link EntityExpansionError}, which parse.ts reports as DBUS015 at the declaration.
 * Character references and the predefined entities never count: each is longer than what it
 * stands for.
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

/** The floor of {@link expansionLimit}: small documents may still use entities freely. */
export const MIN_EXPANSION = 1 << 20;
/** The multiple of the document's length that declared entities may expand to in total. */
export const EXPANSION_FACTOR = 16;

/** How much text declared entities may produce, in total, for a document of `length`. */
export function expansionLimit(length: number): number {
  return Math.max(MIN_EXPANSION, EXPANSION_FACTOR * length);
}

/** The document's declared entities expanded past {@link expansionLimit}. */
export class EntityExpansionError extends Error {
  override readonly name = 'EntityExpansionError';
  constructor(
    /** The entity whose reference crossed the limit. */
    readonly entity: string,
    readonly limit: number,
  ) {
    super(
      `entity expansion exceeds the limit: declared entities would produce more than ${limit} characters (max(${MIN_EXPANSION}, ${EXPANSION_FACTOR} x the document's length)); "&${entity};" crossed it`,
    );
  }
}

/**
 * Expands character references, the predefined entities and those of `declared`, in one pass.
 * `spend` is told the length of each declared entity's expansion before it is used.
 */
export function expandReferences(
  text: string,
  declared: Readonly<Record<string, string>> = {},
  spend?: (entity: string, length: number) => void,
): string {
  if (!text.includes('&')) return text;
  return text.replace(REFERENCE, (ref, hex?: string, dec?: string, name?: string) => {
    if (hex !== undefined) return character(Number.parseInt(hex, 16)) ?? ref;
    if (dec !== undefined) return character(Number.parseInt(dec, 10)) ?? ref;
    const n = name!;
    if (Object.hasOwn(PREDEFINED, n)) return PREDEFINED[n]!;
    if (!Object.hasOwn(declared, n)) return ref;
    const value = declared[n]!;
    spend?.(n, value.length);
    return value;
  });
}

/** fast-xml-parser's decoder, plus the length of the document about to be parsed. */
export interface BoundedEntityDecoder extends EntityDecoder {
  /** Sets the budget of the next parse to {@link expansionLimit}(`length`). */
  limitTo(length: number): void;
}

/**
 * A decoder for the predefined entities, character references and the DOCTYPE's own entities.
 * A declared entity's value has its own references expanded once, when it is declared, but not
 * references to other declared entities (no recursion, so no exponential expansion). The total
 * expansion of one document is bounded (see the file comment); `reset` (at each parse's start)
 * refills the budget.
 */
export function xmlEntityDecoder(): BoundedEntityDecoder {
  let declared: Record<string, string> = {};
  let limit = MIN_EXPANSION;
  let spent = 0;
  const spend = (entity: string, length: number): void => {
    spent += length;
    if (spent > limit) throw new EntityExpansionError(entity, limit);
  };
  return {
    limitTo: (length) => {
      limit = expansionLimit(length);
    },
    setExternalEntities: () => {},
    addInputEntities: (entities) => {
      for (const [name, value] of Object.entries(entities)) {
        declared[name] = expandReferences(value);
      }
    },
    reset: () => {
      declared = {};
      spent = 0;
    },
    setXmlVersion: () => {},
    decode: (text) => expandReferences(text, declared, spend),
  };
}
