/**
 * Received values: dbus-next's reader gives plain objects for every dict (keys turned into
 * strings) and its own Variant class. This module turns them into our forms (DESIGN.md §4):
 * our {@link Variant}, `Map` for dicts whose keys are not string-like, everything else as is
 * (`Buffer` for `ay`, `bigint` for `x`/`t`, arrays for structs). Converters are compiled once
 * per signature; types that need no change convert by identity.
 */
import { parseSignatureCached, type TypeNode } from './signature.js';
import { Variant } from './variant.js';

type Convert = (v: unknown) => unknown;

const identity: Convert = (v) => v;
const cache = new Map<string, Convert>();

function keyParser(code: string): (k: string) => unknown {
  switch (code) {
    case 's':
    case 'o':
    case 'g':
      return (k) => k;
    case 'x':
    case 't':
      return (k) => BigInt(k);
    case 'b':
      return (k) => k === 'true';
    default:
      return (k) => Number(k);
  }
}

function convertVariant(v: unknown): unknown {
  const { signature, value } = v as { signature: string; value: unknown };
  const node = parseSignatureCached(signature)[0];
  return new Variant(signature, node === undefined ? value : converter(node)(value));
}

/** The converter for a type; `identity` when the wire form already is ours. */
export function converter(node: TypeNode): Convert {
  let c = cache.get(node.signature);
  if (c !== undefined) return c;
  switch (node.kind) {
    case 'basic':
      c = identity;
      break;
    case 'variant':
      c = convertVariant;
      break;
    case 'array': {
      const el = converter(node.element);
      c = el === identity ? identity : (v) => (v as unknown[]).map(el);
      break;
    }
    case 'struct': {
      const fields = node.fields.map(converter);
      c = fields.every((f) => f === identity)
        ? identity
        : (v) => (v as unknown[]).map((x, i) => (fields[i] ?? identity)(x));
      break;
    }
    case 'dict': {
      const val = converter(node.value);
      const code = node.key.code;
      if (code === 's' || code === 'o' || code === 'g') {
        // Always rebuilt: dbus-next assigns keys onto a plain object, so a peer's
        // "__proto__" key would set its prototype. Only own entries are copied (that key is
        // dropped, and no injected prototype reaches the handler).
        c = (v) => {
          const out: Record<string, unknown> = {};
          for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[k] = val(x);
          return out;
        };
      } else {
        const key = keyParser(code);
        c = (v) => {
          const out = new Map<unknown, unknown>();
          for (const [k, x] of Object.entries(v as Record<string, unknown>))
            out.set(key(k), val(x));
          return out;
        };
      }
      break;
    }
    default: {
      const never: never = node;
      throw new Error(`unknown type node ${String(never)}`);
    }
  }
  cache.set(node.signature, c);
  return c;
}

/** Converts a received body (one value per complete type of `signature`). */
export function fromWireBody(signature: string, body: readonly unknown[]): unknown[] {
  if (signature === '') return [];
  const types = parseSignatureCached(signature);
  const out = new Array<unknown>(types.length);
  for (let i = 0; i < types.length; i++) out[i] = converter(types[i]!)(body[i]);
  return out;
}
