/**
 * Value validators (the specification's value rules): ranges, strings, object paths, signatures, struct
 * arity, dict keys, variants, depth and array size; error messages name the value path.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../runtime/errors.js';
import { checkValue, issuePath, MAX_VALUE_DEPTH, validateArgs } from '../../runtime/validate.js';
import { Variant } from '../../runtime/variant.js';
import { typeArb, valueArb } from '../support/arbitraries.js';

const ok = (sig: string, v: unknown) =>
  expect(checkValue(sig, v), `${sig} ${String(v)}`).toBeUndefined();
const bad = (sig: string, v: unknown, reason?: RegExp) => {
  const i = checkValue(sig, v);
  expect(i, `${sig} should reject ${String(v)}`).toBeDefined();
  if (reason) expect(i!.reason).toMatch(reason);
};

describe('integers', () => {
  const ranges: [string, number, number][] = [
    ['y', 0, 255],
    ['n', -32768, 32767],
    ['q', 0, 65535],
    ['i', -2147483648, 2147483647],
    ['u', 0, 4294967295],
  ];
  it.each(ranges)('%s in %d..%d', (sig, min, max) => {
    ok(sig, min);
    ok(sig, max);
    bad(sig, min - 1, /expected an integer/);
    bad(sig, max + 1);
    bad(sig, 1.5);
    bad(sig, Number.NaN);
    bad(sig, '1', /expected number, got string/);
    bad(sig, 1n);
  });
  it('x and t: bigint in range, safe-integer numbers accepted', () => {
    ok('x', -(2n ** 63n));
    ok('x', 2n ** 63n - 1n);
    bad('x', 2n ** 63n);
    bad('x', -(2n ** 63n) - 1n);
    ok('x', Number.MAX_SAFE_INTEGER);
    ok('x', -5);
    bad('x', 2 ** 60, /safe integer/);
    bad('x', 0.5);
    ok('t', 2n ** 64n - 1n);
    bad('t', 2n ** 64n);
    bad('t', -1n);
    bad('t', -1);
    bad('t', '5');
  });
  it('d accepts any number (NaN and infinities are legal doubles), b only booleans', () => {
    ok('d', Number.NaN);
    ok('d', -Infinity);
    bad('d', 1n);
    ok('b', false);
    bad('b', 0);
    bad('b', 'true');
  });
});

describe('strings', () => {
  it('well-formed, no NUL; noncharacters allowed', () => {
    ok('s', '');
    ok('s', '\uFFFF\uFDD0 🌍');
    bad('s', 'a\0b', /NUL/);
    bad('s', '\uD800', /lone surrogate/);
    bad('s', 'x\uDC00y', /lone surrogate/);
    bad('s', 5, /expected string, got number/);
  });
  it('object paths', () => {
    for (const p of [
      '/',
      '/com/example/MusicPlayer1',
      '/1/2/3',
      '/_',
      `/${'abcdefghijklmnopq/'.repeat(10)}x`,
    ])
      ok('o', p);
    for (const p of ['', '//', '/a/', '/a//b', 'a/b', '/a-b', '/a.b', '/a b', '/é'])
      bad('o', p, /object path/);
  });
  it('signatures', () => {
    for (const g of [
      '',
      'i',
      'a{sv}',
      'a{hs}',
      'a{oa{sa{sv}}}',
      'yyyyuua(yv)',
      'i'.repeat(255),
      `${'a'.repeat(32)}i`,
    ])
      ok('g', g);
    for (const g of [
      'a',
      'aa',
      '(ii',
      'ii)',
      '()',
      '{sv}',
      'a{vs}',
      'a{s}',
      'r',
      'm',
      '@i',
      'i ',
      'i'.repeat(256),
      `${'a'.repeat(33)}i`,
    ]) {
      bad('g', g, /signature/);
    }
  });
});

describe('containers', () => {
  it('ay needs a Uint8Array (Buffer is one); arrays need arrays', () => {
    ok('ay', new Uint8Array(3));
    ok('ay', Buffer.alloc(2));
    bad('ay', [1, 2], /expected Uint8Array, got array/);
    ok('ai', [1, 2]);
    bad('ai', new Int32Array(2));
  });
  it('struct arity', () => {
    ok('(is)', [1, 'a']);
    bad('(is)', [1], /2-tuple, got 1/);
    bad('(is)', [1, 'a', 2], /2-tuple, got 3/);
  });
  it('dict keys: Record or Map for string keys, Map for others, key types checked', () => {
    ok('a{sv}', { a: new Variant('i', 1) });
    ok('a{sv}', new Map([['a', new Variant('i', 1)]]));
    ok('a{is}', new Map([[1, 'x']]));
    bad('a{is}', { 1: 'x' }, /expected Map/);
    bad('a{is}', new Map([['1', 'x']]), /dict key/);
    bad('a{os}', { 'not a path': 'x' }, /dict key/);
    bad(
      'a{xs}',
      new Map<unknown, string>([
        [1, 'a'],
        [1n, 'b'],
      ]),
      /duplicate/,
    );
    bad('a{sv}', new Map([[1, 'x']]));
  });
  it('variants: one complete type, contents checked recursively', () => {
    ok('v', new Variant('a{sv}', { x: new Variant('ay', Buffer.alloc(1)) }));
    bad('v', 5, /expected Variant/);
    bad('v', new Variant('ii', [1, 2]), /one complete type/);
    bad('v', new Variant('', 1), /one complete type/);
    bad('v', new Variant('{sv}', 1), /not valid/);
    bad('v', new Variant('u', -1));
    bad('av', [new Variant('a{sv}', { k: new Variant('s', 1) })]);
  });
  it(`depth: ${MAX_VALUE_DEPTH} nested variants pass, one more fails`, () => {
    let v: Variant = new Variant('i', 7);
    for (let i = 1; i < 64; i++) v = new Variant('v', v);
    ok('v', v); // 64 variants
    expect(checkValue('v', new Variant('v', v))?.reason).toMatch(/nested more than 64/);
    expect(checkValue('aav', [[v]])?.reason).toMatch(/nested more than 64/);
  });
  it('array size: more than 64 MiB of fixed-size elements is refused before marshalling', () => {
    expect(checkValue('at', new Array<bigint>(8_388_609))?.reason).toMatch(/over 64 MiB/);
  });
});

describe('messages', () => {
  it('name interface, member, argument and path inside the value', () => {
    const args = [{ name: 'mimes', tsName: 'mimes', type: 'as' }];
    expect(() =>
      validateArgs('org.qemu.Display1.Clipboard', 'Grab', args, [['a', 'b', 'c', 4]]),
    ).toThrow(
      'org.qemu.Display1.Clipboard.Grab: argument "mimes[3]" (s): expected string, got number',
    );
    const opts = [{ name: 'opts', tsName: 'opts', type: 'a{sv}' }];
    try {
      validateArgs('a.B', 'M', opts, [{ k: new Variant('(iu)', [1, -1]) }]);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError);
      expect((e as ValidationError).valuePath).toBe('opts["k"].value[1]');
      expect((e as ValidationError).signature).toBe('u');
    }
    expect(() => validateArgs('a.B', 'M', opts, [])).toThrow(/expected 1 values, got 0/);
  });
  it('issuePath joins segments outside-in', () => {
    const i = checkValue('aas', [['a'], ['b', 1]])!;
    expect(issuePath('x', i)).toBe('x[1][1]');
  });
});

describe('properties', () => {
  it('generated values are accepted', () => {
    fc.assert(
      fc.property(
        typeArb().chain((t) => valueArb(t).map((v) => [t, v] as const)),
        ([t, v]) => {
          expect(checkValue(t, v)).toBeUndefined();
        },
      ),
      { numRuns: 500 },
    );
  });
  /** The spec's rules for basic values, written independently of validate.ts. */
  function specAllows(code: string, v: unknown): boolean {
    const ranges: Record<string, [bigint, bigint]> = {
      y: [0n, 255n],
      n: [-32768n, 32767n],
      q: [0n, 65535n],
      i: [-(2n ** 31n), 2n ** 31n - 1n],
      u: [0n, 2n ** 32n - 1n],
      x: [-(2n ** 63n), 2n ** 63n - 1n],
      t: [0n, 2n ** 64n - 1n],
    };
    const r = ranges[code];
    if (r) {
      const wide = code === 'x' || code === 't';
      let n: bigint;
      if (typeof v === 'bigint' && wide) n = v;
      else if (typeof v === 'number' && Number.isInteger(v) && (!wide || Number.isSafeInteger(v)))
        n = BigInt(v);
      else return false;
      return n >= r[0] && n <= r[1];
    }
    if (code === 'b') return typeof v === 'boolean';
    if (code === 'd') return typeof v === 'number';
    if (typeof v !== 'string' || v.includes('\0')) return false;
    for (let i = 0; i < v.length; i++) {
      const c = v.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff) {
        const d = v.charCodeAt(i + 1);
        if (!(d >= 0xdc00 && d <= 0xdfff)) return false;
        i++;
      } else if (c >= 0xdc00 && c <= 0xdfff) return false;
    }
    if (code === 'o')
      return (
        v === '/' ||
        (v.startsWith('/') &&
          v
            .slice(1)
            .split('/')
            .every((e) => /^[A-Za-z0-9_]+$/.test(e)))
      );
    return true; // 's' ('g' is covered by the signature table above)
  }
  it('accepts a basic value exactly when the spec allows it', () => {
    const anything = fc.oneof(
      fc.integer({ min: -(2 ** 33), max: 2 ** 33 }),
      fc.double(),
      fc.bigInt({ min: -(2n ** 65n), max: 2n ** 65n }),
      fc.boolean(),
      fc.string({ unit: 'binary', maxLength: 6 }),
      fc.string({
        unit: fc.constantFrom('/', 'a', '_', '0', '.', '\0', '\uD800', '\uDC00', 'é'),
        maxLength: 6,
      }),
      fc.constantFrom(null, undefined, [], {}, 2 ** 53, -(2 ** 53), -0),
    );
    fc.assert(
      fc.property(
        fc.constantFrom('y', 'b', 'n', 'q', 'i', 'u', 'x', 't', 'd', 's', 'o'),
        anything,
        (code, v) => {
          expect(checkValue(code, v) === undefined).toBe(specAllows(code, v));
        },
      ),
      { numRuns: 3000 },
    );
  });
});
