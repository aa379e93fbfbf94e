/**
 * Value validators, compiled once per type tree and cached by signature. They enforce the
 * value rules of dbus-rules.md §2 on the send-side TypeScript forms (DESIGN.md §4), which
 * include the receive-side forms, so replies and incoming calls go through the same checks.
 *
 * A check returns `undefined` for a good value, or an {@link Issue} naming where the value
 * broke which rule. Containers add their path segment while the issue travels outwards.
 */
import type { ArgDescriptor } from './descriptor.js';
import { type ValidationDirection, ValidationError } from './errors.js';
import { isValidSignature, parseSignatureCached, type TypeNode } from './signature.js';
import { Variant } from './variant.js';

/** Containers (arrays, structs, dict entries, variants) on the path to any value. */
export const MAX_VALUE_DEPTH = 64;
/** Marshalled bytes of one array's elements (2^26). */
export const MAX_ARRAY_BYTES = 67_108_864;

export interface Issue {
  /** Path segments, innermost first (`.value`, `[3]`, `["key"]`). */
  readonly segments: string[];
  /** Signature of the type expected where the value failed. */
  readonly signature: string;
  readonly reason: string;
}

export type Check = (value: unknown, depth: number) => Issue | undefined;

const OBJECT_PATH = /^\/(?:[A-Za-z0-9_]+(?:\/[A-Za-z0-9_]+)*)?$/;
const FIXED_SIZE: Readonly<Record<string, number>> = {
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
const INT_RANGES: Readonly<Record<string, readonly [number, number]>> = {
  y: [0, 0xff],
  n: [-0x8000, 0x7fff],
  q: [0, 0xffff],
  i: [-0x80000000, 0x7fffffff],
  u: [0, 0xffffffff],
  h: [0, 0xffffffff],
};
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

export function isObjectPath(s: string): boolean {
  return OBJECT_PATH.test(s);
}

/** `typeof`, refined: names what a user passed without echoing large or secret values. */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `array(${v.length})`;
  if (v instanceof Variant) return `Variant<${v.signature}>`;
  if (v instanceof Uint8Array) return `${v.constructor.name}(${v.length})`;
  if (v instanceof Map) return `Map(${v.size})`;
  return typeof v;
}

function issue(signature: string, reason: string): Issue {
  return { segments: [], signature, reason };
}

function wellFormed(s: string): boolean {
  return (s as string & { isWellFormed(): boolean }).isWellFormed();
}

function checkString(code: string, v: unknown): Issue | undefined {
  if (typeof v !== 'string') return issue(code, `expected string, got ${describeValue(v)}`);
  if (v.includes('\0'))
    return issue(code, `string contains NUL (U+0000) at index ${v.indexOf('\0')}`);
  if (!wellFormed(v)) return issue(code, 'string is not well-formed UTF-16 (lone surrogate)');
  if (code === 'o' && !OBJECT_PATH.test(v)) {
    return issue(code, `${JSON.stringify(v.slice(0, 80))} is not a valid object path`);
  }
  if (code === 'g' && !isValidSignature(v)) {
    return issue(code, `${JSON.stringify(v.slice(0, 80))} is not a valid signature`);
  }
  return undefined;
}

function basicCheck(code: string): Check {
  const range = INT_RANGES[code];
  if (range !== undefined) {
    const [min, max] = range;
    return (v) =>
      typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max
        ? undefined
        : issue(
            code,
            typeof v === 'number'
              ? `expected an integer in ${min}..${max}, got ${v}`
              : `expected number, got ${describeValue(v)}`,
          );
  }
  switch (code) {
    case 'x':
    case 't': {
      const min = code === 'x' ? INT64_MIN : 0n;
      const max = code === 'x' ? INT64_MAX : UINT64_MAX;
      return (v) => {
        if (typeof v === 'bigint') {
          return v >= min && v <= max
            ? undefined
            : issue(code, `expected ${min}..${max}, got ${v}`);
        }
        if (typeof v === 'number') {
          if (!Number.isSafeInteger(v)) {
            return issue(code, `expected bigint or a safe integer number, got ${v}`);
          }
          return code === 't' && v < 0
            ? issue(code, `expected ${min}..${max}, got ${v}`)
            : undefined;
        }
        return issue(code, `expected bigint, got ${describeValue(v)}`);
      };
    }
    case 'd':
      return (v) =>
        typeof v === 'number' ? undefined : issue(code, `expected number, got ${describeValue(v)}`);
    case 'b':
      return (v) =>
        typeof v === 'boolean'
          ? undefined
          : issue(code, `expected boolean, got ${describeValue(v)}`);
    default:
      return (v) => checkString(code, v);
  }
}

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

const cache = new Map<string, Check>();

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
  cache.set(node.signature, check);
  return check;
}

/** Validates one value against a single complete type given as a signature or tree. */
export function checkValue(type: string | TypeNode, value: unknown): Issue | undefined {
  const node = typeof type === 'string' ? parseSignatureCached(type)[0] : type;
  if (node === undefined) return issue('', 'empty signature');
  return compileType(node)(value, 0);
}

/** The full value path: argument name plus the issue's segments. */
export function issuePath(argument: string, i: Issue): string {
  let path = argument;
  for (let k = i.segments.length - 1; k >= 0; k--) path += i.segments[k];
  return path;
}

/** Bodies that already passed validation (so the connection does not check them twice). */
const validatedBodies = new WeakSet<readonly unknown[]>();

/**
 * True (once) when `body` passed {@link validateArgs} and has not been sent since: the mark
 * is consumed, so a caller that mutates and resends an array is checked again.
 */
export function takeValidated(body: readonly unknown[]): boolean {
  return validatedBodies.delete(body);
}

/**
 * Validates a message body against its signature (one value per complete type); throws
 * {@link ValidationError} naming the value as `arg<i>`.
 */
export function validateBody(
  interfaceName: string,
  member: string,
  signature: string,
  body: readonly unknown[],
): void {
  const checks = parseSignatureCached(signature).map(compileType);
  checkEach(
    interfaceName,
    member,
    () => signature,
    checks,
    body,
    (i) => `arg${i}`,
    'argument',
  );
}

/**
 * Runs one check per value, the count first; throws {@link ValidationError} naming a bad
 * value `nameOf(i)`. `signature` (for the count error) is only built when it is needed.
 */
function checkEach(
  interfaceName: string,
  member: string,
  signature: () => string,
  checks: readonly Check[],
  values: readonly unknown[],
  nameOf: (i: number) => string,
  direction: ValidationDirection,
): void {
  if (values.length !== checks.length) {
    throw new ValidationError(
      interfaceName,
      member,
      '',
      '',
      signature(),
      `expected ${checks.length} values, got ${values.length}`,
      direction,
    );
  }
  for (let i = 0; i < checks.length; i++) {
    const bad = checks[i]!(values[i], 0);
    if (bad !== undefined) {
      const name = nameOf(i);
      throw new ValidationError(
        interfaceName,
        member,
        name,
        issuePath(name, bad),
        bad.signature,
        bad.reason,
        direction,
      );
    }
  }
}

const argChecks = new WeakMap<readonly ArgDescriptor[], readonly Check[]>();

function checksFor(args: readonly ArgDescriptor[]): readonly Check[] {
  let checks = argChecks.get(args);
  if (checks === undefined) {
    checks = args.map((a) => compileType(parseSignatureCached(a.type)[0]!));
    argChecks.set(args, checks);
  }
  return checks;
}

/**
 * Validates a list of values against argument descriptors; throws {@link ValidationError}
 * naming the interface, member, argument (its wire name, or tsName when unnamed) and path.
 */
export function validateArgs(
  interfaceName: string,
  member: string,
  args: readonly ArgDescriptor[],
  values: readonly unknown[],
  direction: ValidationDirection = 'argument',
): void {
  checkEach(
    interfaceName,
    member,
    () => args.map((a) => a.type).join(''),
    checksFor(args),
    values,
    (i) => {
      const a = args[i]!;
      return a.name !== '' ? a.name : a.tsName;
    },
    direction,
  );
  validatedBodies.add(values);
}
