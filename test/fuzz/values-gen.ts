/**
 * Random D-Bus types and values for the values target: a valid value in the send-side
 * form (emitters/types.ts), sometimes corrupted at one place; `toReceived` gives the form the
 * other side must get back; `same` compares received forms.
 */

import { Variant } from '../../runtime/variant.js';
import { parseSingleType, type TypeNode } from '../../spec/signature.js';
import type { Rng } from './rng.js';

// 'h' needs fd passing, which is not what this target exercises.
const BASIC = ['y', 'b', 'n', 'q', 'i', 'u', 'x', 't', 'd', 's', 'o', 'g'] as const;
const STRING_KEYS = new Set(['s', 'o', 'g']);

export function randomSignature(rng: Rng, depth = 0): string {
  const roll = depth >= 4 ? 0 : rng.int(10);
  if (roll <= 4) return rng.pick(BASIC);
  if (roll === 5) return 'v';
  if (roll === 6) return `a${randomSignature(rng, depth + 1)}`;
  if (roll === 7) return `a{${rng.pick(BASIC)}${randomSignature(rng, depth + 1)}}`;
  if (roll === 8) return 'ay';
  const n = rng.range(1, 4);
  return `(${Array.from({ length: n }, () => randomSignature(rng, depth + 1)).join('')})`;
}

const STRINGS = [
  '',
  'a',
  'héllo',
  '日本語',
  '😀 emoji',
  ' spaces ',
  'x'.repeat(300),
  '\u00ff\u0100',
  'tab\tnew\nline',
];
const PATHS = ['/', '/a', '/org/qemu/VMState1', '/a_b/C9', `/${'p'.repeat(100)}`];
const DOUBLES = [
  0,
  -0,
  1.5,
  -1e308,
  5e-324,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  Math.PI,
];

function basicValue(rng: Rng, code: string): unknown {
  switch (code) {
    case 'y':
      return rng.int(256);
    case 'b':
      return rng.chance(0.5);
    case 'n':
      return rng.range(-0x8000, 0x7fff);
    case 'q':
      return rng.int(0x10000);
    case 'i':
      return rng.chance(0.2) ? rng.pick([-0x80000000, 0x7fffffff]) : rng.range(-1e6, 1e6);
    case 'u':
      return rng.chance(0.2) ? 0xffffffff : rng.int(2 ** 32);
    case 'x':
      return rng.chance(0.5)
        ? rng.pick([-(2n ** 63n), 2n ** 63n - 1n, 0n, -5n])
        : rng.range(-1e9, 1e9);
    case 't':
      return rng.chance(0.5) ? rng.pick([2n ** 64n - 1n, 0n, 7n]) : Number.MAX_SAFE_INTEGER;
    case 'd':
      return rng.chance(0.5) ? rng.pick(DOUBLES) : (rng.next() - 0.5) * 1e6;
    case 's':
      return rng.pick(STRINGS);
    case 'o':
      return rng.pick(PATHS);
    case 'g':
      return randomSignature(rng);
    default:
      throw new RangeError(`no generator for ${code}`);
  }
}

/** A valid send-side value of `type`. */
export function validValue(rng: Rng, type: TypeNode, depth = 0): unknown {
  switch (type.kind) {
    case 'basic':
      return basicValue(rng, type.code);
    case 'variant': {
      const sig = randomSignature(rng, Math.min(depth, 4) + 1);
      return new Variant(sig, validValue(rng, parseSingleType(sig), depth + 1));
    }
    case 'array':
      if (type.element.kind === 'basic' && type.element.code === 'y') {
        const b = rng.bytes(rng.int(64));
        return rng.chance(0.5) ? Buffer.from(b) : b;
      }
      return Array.from({ length: rng.int(4) }, () => validValue(rng, type.element, depth + 1));
    case 'dict': {
      const n = rng.int(4);
      if (STRING_KEYS.has(type.key.code)) {
        const rec: Record<string, unknown> = {};
        for (let i = 0; i < n; i++)
          rec[basicValue(rng, type.key.code) as string] = validValue(rng, type.value, depth + 1);
        return rec;
      }
      const m = new Map<unknown, unknown>();
      const seen = new Set<string>();
      for (let i = 0; i < n; i++) {
        const k = basicValue(rng, type.key.code);
        const norm = String(toReceived(type.key, k)); // 1 and 1n are one key on the wire
        if (seen.has(norm) || (typeof k === 'number' && Number.isNaN(k))) continue;
        seen.add(norm);
        m.set(k, validValue(rng, type.value, depth + 1));
      }
      return m;
    }
    case 'struct':
      return type.fields.map((f) => validValue(rng, f, depth + 1));
  }
}

const WRONG: unknown[] = [
  undefined,
  null,
  'str',
  42,
  -1,
  1.5,
  2 ** 53,
  2n ** 64n,
  true,
  {},
  [],
  new Map(),
  Symbol('s'),
  'a\0b',
  '\uD800',
  'not a path',
  '/trailing/',
  '(unclosed',
  new Variant('zz', 1),
  new Variant('s', 5),
  new Variant('ai', ['x']),
  () => 0,
  new Uint8Array([300 as number]),
  Number.NaN,
];

/** Replaces one node of `value` (or the value itself) with something of the wrong shape. */
export function corrupt(rng: Rng, type: TypeNode, value: unknown): unknown {
  if (rng.chance(0.35)) return rng.pick(WRONG);
  switch (type.kind) {
    case 'array':
      if (Array.isArray(value) && value.length > 0) {
        const i = rng.int(value.length);
        return value.map((v, j) => (j === i ? corrupt(rng, type.element, v) : v));
      }
      return rng.pick(WRONG);
    case 'struct': {
      const t = value as unknown[];
      if (rng.chance(0.2)) return rng.chance(0.5) ? t.slice(1) : [...t, 0];
      const i = rng.int(type.fields.length);
      return t.map((v, j) => (j === i ? corrupt(rng, type.fields[i]!, v) : v));
    }
    case 'variant': {
      const v = value as Variant;
      return new Variant(v.signature, corrupt(rng, parseSingleType(v.signature), v.value));
    }
    default:
      return rng.pick(WRONG);
  }
}

/** What the receiving side gets for a valid send-side value. */
export function toReceived(type: TypeNode, v: unknown): unknown {
  switch (type.kind) {
    case 'basic':
      return type.code === 'x' || type.code === 't' ? BigInt(v as number | bigint) : v;
    case 'variant': {
      const x = v as Variant;
      return new Variant(x.signature, toReceived(parseSingleType(x.signature), x.value));
    }
    case 'array':
      if (type.element.kind === 'basic' && type.element.code === 'y')
        return Buffer.from(v as Uint8Array);
      return (v as unknown[]).map((e) => toReceived(type.element, e));
    case 'dict': {
      if (STRING_KEYS.has(type.key.code)) {
        const out: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(v as object)) out[k] = toReceived(type.value, x);
        return out;
      }
      const out = new Map<unknown, unknown>();
      for (const [k, x] of v as Map<unknown, unknown>)
        out.set(toReceived(type.key, k), toReceived(type.value, x));
      return out;
    }
    case 'struct':
      return (v as unknown[]).map((e, i) => toReceived(type.fields[i]!, e));
  }
}

/** Deep equality of received forms (bigint, Buffer, Map, Variant, NaN and -0 exact). */
export function same(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return Object.is(a, b);
  if (a instanceof Variant || b instanceof Variant) {
    return (
      a instanceof Variant &&
      b instanceof Variant &&
      a.signature === b.signature &&
      same(a.value, b.value)
    );
  }
  if (Buffer.isBuffer(a) || Buffer.isBuffer(b))
    return Buffer.isBuffer(a) && Buffer.isBuffer(b) && a.equals(b);
  if (a instanceof Map || b instanceof Map) {
    if (!(a instanceof Map && b instanceof Map) || a.size !== b.size) return false;
    for (const [k, v] of a) if (!b.has(k) || !same(v, b.get(k))) return false;
    return true;
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) &&
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((x, i) => same(x, b[i]))
    );
  }
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b).sort();
    return (
      same(ka, kb) &&
      ka.every((k) => same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
    );
  }
  return a === b;
}
