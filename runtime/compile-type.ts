/**
 * {@link compileType}: one validator per complete type, compiled once and cached by
 * signature (a bounded cache). Containers (arrays, dicts, structs, variants) check their
 * elements with the compiled element checks, enforce the specification's limits (a value
 * nests at most 64 containers deep, an array holds at most 64 MiB), and add their path
 * segment to an issue on its way out.
 */

import { parseSignatureCached, type TypeNode } from '../spec/signature.js';
import { basicCheck, type Check, describeValue, type Issue, issue } from './basic-checks.js';
import { Variant } from './variant.js';

/** Containers (arrays, structs, dict entries, variants) on the path to any value. */
export const MAX_VALUE_DEPTH = 64;
/** Marshalled bytes of one array's elements (2^26). */
export const MAX_ARRAY_BYTES = 67_108_864;

/** Marshalled size of each fixed-size basic type. */
export const FIXED_SIZE: Readonly<Record<string, number>> = {
  y: 1,
  b: 4,
  n: 2,
  q: 2,
  i: 4,
  u: 4,
  h: 4,
  x: 8,
  t: 8,
  d: 8,
};

function tooDeep(signature: string): Issue {
  return issue(signature, `value nested more than ${MAX_VALUE_DEPTH} containers deep`);
}

function within(i: Issue | undefined, segment: string): Issue | undefined {
  if (i !== undefined) i.segments.push(segment);
  return i;
}

function keySegment(k: unknown): string {
  return typeof k === 'string' ? `[${JSON.stringify(k)}]` : `[${String(k)}]`;
}

function arrayCheck(node: TypeNode & { kind: 'array' }): Check {
  const sig = node.signature;
  const el = node.element;
  if (el.kind === 'basic' && el.code === 'y') {
    return (v, depth) => {
      if (depth + 1 > MAX_VALUE_DEPTH) return tooDeep(sig);
      if (!(v instanceof Uint8Array))
        return issue(sig, `expected Uint8Array, got ${describeValue(v)}`);
      if (v.length > MAX_ARRAY_BYTES) return issue(sig, `array is ${v.length} bytes, over 64 MiB`);
      return undefined;
    };
  }
  const size = el.kind === 'basic' ? FIXED_SIZE[el.code] : undefined;
  const check = compileType(el);
  return (v, depth) => {
    const d = depth + 1;
    if (d > MAX_VALUE_DEPTH) return tooDeep(sig);
    if (!Array.isArray(v)) return issue(sig, `expected array, got ${describeValue(v)}`);
    if (size !== undefined && v.length * size > MAX_ARRAY_BYTES) {
      return issue(sig, `array is ${v.length * size} bytes, over 64 MiB`);
    }
    for (let i = 0; i < v.length; i++) {
      const bad = check(v[i], d);
      if (bad !== undefined) return within(bad, `[${i}]`);
    }
    return undefined;
  };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function dictCheck(node: TypeNode & { kind: 'dict' }): Check {
  const sig = node.signature;
  const code = node.key.code;
  const stringKeys = code === 's' || code === 'o' || code === 'g';
  const checkKey = compileType(node.key);
  const checkValue = compileType(node.value);
  const int64 = code === 'x' || code === 't';
  return (v, depth) => {
    const d = depth + 2; // the array and the dict entry
    if (d > MAX_VALUE_DEPTH) return tooDeep(sig);
    let entries: Iterable<[unknown, unknown]>;
    if (v instanceof Map) entries = v;
    else if (stringKeys && isRecord(v)) entries = Object.entries(v);
    else {
      const want = stringKeys ? 'Record or Map' : 'Map';
      return issue(sig, `expected ${want}, got ${describeValue(v)}`);
    }
    const seen = int64 ? new Set<bigint>() : undefined;
    for (const [k, val] of entries) {
      const badKey = checkKey(k, d);
      if (badKey !== undefined) {
        return within(issue(badKey.signature, `dict key: ${badKey.reason}`), keySegment(k));
      }
      if (seen !== undefined) {
        const n = BigInt(k as bigint | number);
        if (seen.has(n)) return within(issue(sig, 'duplicate dict key'), keySegment(k));
        seen.add(n);
      }
      const bad = checkValue(val, d);
      if (bad !== undefined) return within(bad, keySegment(k));
    }
    return undefined;
  };
}

function structCheck(node: TypeNode & { kind: 'struct' }): Check {
  const sig = node.signature;
  const checks = node.fields.map(compileType);
  return (v, depth) => {
    const d = depth + 1;
    if (d > MAX_VALUE_DEPTH) return tooDeep(sig);
    if (!Array.isArray(v))
      return issue(sig, `expected a ${checks.length}-tuple, got ${describeValue(v)}`);
    if (v.length !== checks.length) {
      return issue(sig, `expected a ${checks.length}-tuple, got ${v.length} elements`);
    }
    for (let i = 0; i < checks.length; i++) {
      const bad = checks[i]!(v[i], d);
      if (bad !== undefined) return within(bad, `[${i}]`);
    }
    return undefined;
  };
}

/** Checks a variant: its signature is one complete type and its value fits it. */
const variantCheck: Check = (v, depth) => {
  const d = depth + 1;
  if (d > MAX_VALUE_DEPTH) return tooDeep('v');
  if (!(v instanceof Variant)) return issue('v', `expected Variant, got ${describeValue(v)}`);
  const sig: unknown = v.signature;
  if (typeof sig !== 'string') return issue('v', 'Variant signature is not a string');
  let types: readonly TypeNode[];
  try {
    types = parseSignatureCached(sig);
  } catch {
    return issue('v', `Variant signature ${JSON.stringify(sig.slice(0, 80))} is not valid`);
  }
  if (types.length !== 1) {
    return issue('v', `Variant signature ${JSON.stringify(sig)} is not one complete type`);
  }
  return within(compileType(types[0]!)(v.value, d), '.value');
};

/**
 * Compiled checks by signature. Peers choose variant signatures, so the cache is bounded:
 * past {@link MAX_CACHED_CHECKS} signatures new ones are compiled on each use, not kept.
 */
const cache = new Map<string, Check>();
export const MAX_CACHED_CHECKS = 4096;

/** The validator for one complete type; compiled once per signature. */
export function compileType(node: TypeNode): Check {
  let check = cache.get(node.signature);
  if (check !== undefined) return check;
  switch (node.kind) {
    case 'basic':
      check = basicCheck(node.code);
      break;
    case 'variant':
      check = variantCheck;
      break;
    case 'array':
      check = arrayCheck(node);
      break;
    case 'dict':
      check = dictCheck(node);
      break;
    case 'struct':
      check = structCheck(node);
      break;
    default: {
      const never: never = node;
      throw new Error(`unknown type node ${String(never)}`);
    }
  }
  if (cache.size < MAX_CACHED_CHECKS) cache.set(node.signature, check);
  return check;
}
