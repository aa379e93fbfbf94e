/** Value transforms for tests: to dbus-next's forms, and to our receive-side forms. */
import dbus from 'dbus-next';
import { DoubleKeyMap } from '../../runtime/double-key-map.js';
import { Variant } from '../../runtime/variant.js';
import { parseSignature, type TypeNode } from '../../spec/signature.js';

/** Our values -> dbus-next's (its own Variant class, Buffer for ay). */
export function toDbusNext(node: TypeNode, v: unknown): unknown {
  switch (node.kind) {
    case 'basic':
      return v;
    case 'variant': {
      const inner = v as Variant;
      return new dbus.Variant(
        inner.signature,
        toDbusNext(parseSignature(inner.signature)[0]!, inner.value),
      );
    }
    case 'array':
      if (node.element.signature === 'y') return Buffer.from(v as Uint8Array);
      return (v as unknown[]).map((x) => toDbusNext(node.element, x));
    case 'struct':
      return (v as unknown[]).map((x, i) => toDbusNext(node.fields[i]!, x));
    case 'dict':
      return Object.fromEntries(
        Object.entries(v as Record<string, unknown>).map(([k, x]) => [
          k,
          toDbusNext(node.value, x),
        ]),
      );
  }
}

/**
 * Expected receive-side form of a sent value (Buffer for ay, bigint for x/t, null-prototype
 * objects for string-keyed dicts, DoubleKeyMap for DOUBLE keys, Map for other keys).
 */
export function received(node: TypeNode, v: unknown): unknown {
  switch (node.kind) {
    case 'basic':
      return (node.code === 'x' || node.code === 't') && typeof v === 'number' ? BigInt(v) : v;
    case 'variant': {
      const inner = v as Variant;
      return new Variant(
        inner.signature,
        received(parseSignature(inner.signature)[0]!, inner.value),
      );
    }
    case 'array':
      if (node.element.signature === 'y') return Buffer.from(v as Uint8Array);
      return (v as unknown[]).map((x) => received(node.element, x));
    case 'struct':
      return (v as unknown[]).map((x, i) => received(node.fields[i]!, x));
    case 'dict': {
      const entries = (v instanceof Map ? [...v] : Object.entries(v as object)).map(
        ([k, x]) => [k, received(node.value, x)] as [unknown, unknown],
      );
      const code = node.key.code;
      if (code === 's' || code === 'o' || code === 'g') {
        // Received string-keyed dicts have no prototype ("__proto__" is an ordinary key).
        const out = Object.create(null) as Record<string, unknown>;
        for (const [k, x] of entries) out[k as string] = x;
        return out;
      }
      return code === 'd' ? new DoubleKeyMap(entries as [number, unknown][]) : new Map(entries);
    }
  }
}
