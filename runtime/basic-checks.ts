/**
 * The pieces every value check shares ({@link Issue}, {@link Check}, {@link describeValue})
 * and the checks of the basic types: integer ranges, 64-bit integers as bigint or safe
 * numbers, doubles, booleans, and strings (no NUL, well-formed; object paths and signatures
 * by their grammar). Containers are compiled in compile-type.ts.
 */
import { isValidObjectPath } from '../spec/names.js';
import { isValidSignature } from '../spec/signature.js';
import { UnixFd } from './unix-fd.js';
import { Variant } from './variant.js';

export interface Issue {
  /** Path segments, innermost first (`.value`, `[3]`, `["key"]`). */
  readonly segments: string[];
  /** Signature of the type expected where the value failed. */
  readonly signature: string;
  readonly reason: string;
}

export type Check = (value: unknown, depth: number) => Issue | undefined;

const INT_RANGES: Readonly<Record<string, readonly [number, number]>> = {
  y: [0, 0xff],
  n: [-0x8000, 0x7fff],
  q: [0, 0xffff],
  i: [-0x80000000, 0x7fffffff],
  u: [0, 0xffffffff],
};
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** Whether `s` is a valid object path (the rule is spec/names.ts's {@link isValidObjectPath}). */
export const isObjectPath: (s: string) => boolean = isValidObjectPath;

/** `typeof`, refined: names what a user passed without echoing large or secret values. */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `array(${v.length})`;
  if (v instanceof Variant) return `Variant<${v.signature}>`;
  if (v instanceof Uint8Array) return `${v.constructor.name}(${v.length})`;
  if (v instanceof Map) return `Map(${v.size})`;
  return typeof v;
}

/** An issue at the value itself (containers add the path segments). */
export function issue(signature: string, reason: string): Issue {
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
  if (code === 'o' && !isValidObjectPath(v)) {
    return issue(code, `${JSON.stringify(v.slice(0, 80))} is not a valid object path`);
  }
  if (code === 'g' && !isValidSignature(v)) {
    return issue(code, `${JSON.stringify(v.slice(0, 80))} is not a valid signature`);
  }
  return undefined;
}

/** The check of one basic type code (`y` … `g`). */
export function basicCheck(code: string): Check {
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
    case 'h':
      // A UnixFd (what is received) or an fd number of this process (what may be sent).
      return (v) =>
        v instanceof UnixFd
          ? v.open
            ? undefined
            : issue(code, 'the UnixFd was already closed or taken')
          : typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 0x7fffffff
            ? undefined
            : issue(code, `expected a UnixFd or an fd number, got ${describeValue(v)}`);
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
