/**
 * Our reader (runtime/transport/: framer, header, body decoder) with hand-built messages in
 * both byte orders: every type round-trips, 64-bit values are right in big-endian, every
 * valid dict key survives, and bad headers, bad padding, truncated and oversize messages
 * are refused with a reason and an offset.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DoubleKeyMap } from '../../runtime/double-key-map.js';
import { MAX_MESSAGE_VALUES } from '../../runtime/transport/body-decoder.js';
import { MessageFramer } from '../../runtime/transport/framer.js';
import { parseMessage } from '../../runtime/transport/header.js';
import { marshalMessage } from '../../runtime/transport/marshal.js';
import { DecodeAbandoned, type RawMessage, readBody } from '../../runtime/transport/message.js';
import { WireError, WireLimitError } from '../../runtime/transport/wire-read.js';
import { Variant } from '../../runtime/variant.js';
import { parseSignature } from '../../spec/signature.js';
import { bodyArb } from '../support/arbitraries.js';
import { received } from '../support/values.js';
import { buildMessage, callFields, type Field } from '../support/wire-build.js';

const ORDERS = [
  ['little-endian', true],
  ['big-endian', false],
] as const;

function call(le: boolean, signature: string, values: readonly unknown[], fields?: Field[]) {
  return buildMessage({
    le,
    type: 1,
    fields: fields ?? callFields(signature),
    body: { signature, values },
  });
}

function parse(buf: Buffer): RawMessage {
  const raw = parseMessage(buf);
  if (raw === undefined) throw new Error('unknown message type');
  return raw;
}

function decode(buf: Buffer): unknown[] {
  return readBody(parse(buf)) as unknown[];
}

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof WireError) return err.message;
    throw err;
  }
  throw new Error('accepted');
}

describe('round trips in both byte orders', () => {
  it('the test writer matches marshal.ts byte for byte (little-endian)', () => {
    fc.assert(
      fc.property(bodyArb(), ({ signature, body }) => {
        const ours = marshalMessage({
          type: 1,
          serial: 1,
          path: '/org/example/Obj',
          interfaceName: 'org.example.Iface',
          member: 'Method',
          destination: ':1.42',
          signature,
          body,
        });
        expect(call(true, signature, body).equals(ours)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  for (const [name, le] of ORDERS) {
    it(`${name}: random bodies of every type decode to our receive forms`, () => {
      fc.assert(
        fc.property(bodyArb(), ({ signature, body }) => {
          const raw = parse(call(le, signature, body));
          expect(raw.littleEndian).toBe(le);
          expect(raw.signature).toBe(signature);
          const types = parseSignature(signature);
          expect(readBody(raw)).toStrictEqual(types.map((t, i) => received(t, body[i])));
        }),
        { numRuns: 400 },
      );
    });

    it(`${name}: 64-bit values keep their words in order`, () => {
      const values = [1n, -2n, -(2n ** 63n), 2n ** 64n - 1n, 0x0102030405060708n, -0, 1.5e300];
      const got = decode(call(le, 'xxxttdd', values));
      expect(got).toStrictEqual([
        1n,
        -2n,
        -(2n ** 63n),
        2n ** 64n - 1n,
        0x0102030405060708n,
        -0,
        1.5e300,
      ]);
      expect(Object.is(got[5], -0)).toBe(true);
    });

    it(`${name}: "__proto__", -0.0 and NaN keys survive`, () => {
      const evil = JSON.parse('{"__proto__": {"isAdmin": "yes"}, "ok": {}}') as object;
      const dbl = new DoubleKeyMap<string>([
        [-0, 'minus zero'],
        [0, 'zero'],
        [Number.NaN, 'nan'],
      ]);
      const [s, d] = decode(call(le, 'a{sa{ss}}a{ds}', [evil, dbl])) as [object, DoubleKeyMap];
      expect(Object.getPrototypeOf(s)).toBe(null);
      expect(Object.keys(s)).toEqual(['__proto__', 'ok']);
      expect((s as { isAdmin?: string }).isAdmin).toBeUndefined();
      expect(d).toBeInstanceOf(Map);
      expect(d.size).toBe(3);
      expect(d.get(-0)).toBe('minus zero');
      expect(d.get(0)).toBe('zero');
      expect(Object.is([...d.keys()][0], -0)).toBe(true);
    });

    it(`${name}: h is its fd index, refused unless the message carries that many fds`, () => {
      const fields: Field[] = [...callFields('hh'), [9, 'u', 2]];
      expect(decode(call(le, 'hh', [0, 1], fields))).toEqual([0, 1]);
      expect(parse(call(le, 'hh', [0, 1], fields)).unixFds).toBe(2);
      expect(refusal(() => decode(call(le, 'hh', [0, 2], fields)))).toMatch(
        /fd index 2, but the message carries 2 fds/,
      );
      expect(refusal(() => decode(call(le, 'h', [0])))).toMatch(/carries 0 fds/);
    });
  }
});

describe('headers', () => {
  const ok = (fields: Field[], type = 1) => buildMessage({ le: false, type, fields });
  const cases: [string, Buffer, RegExp][] = [
    [
      'serial 0',
      buildMessage({ le: true, type: 1, serial: 0, fields: callFields('') }),
      /serial 0/,
    ],
    ['a call without MEMBER', ok([[1, 'o', '/a']]), /needs header field MEMBER/],
    [
      'a signal without INTERFACE',
      ok(
        [
          [1, 'o', '/a'],
          [3, 's', 'M'],
        ],
        4,
      ),
      /needs header field INTERFACE/,
    ],
    [
      'an error without REPLY_SERIAL',
      ok([[4, 's', 'a.b.E']], 3),
      /needs header field REPLY_SERIAL/,
    ],
    ['a reply without REPLY_SERIAL', ok([], 2), /needs header field REPLY_SERIAL/],
    [
      'PATH typed "s"',
      ok([
        [1, 's', '/a'],
        [3, 's', 'M'],
      ]),
      /PATH has type "s", expected "o"/,
    ],
    [
      'MEMBER twice',
      ok([
        [1, 'o', '/a'],
        [3, 's', 'M'],
        [3, 's', 'N'],
      ]),
      /MEMBER appears twice/,
    ],
    [
      'field code 0',
      ok([
        [0, 's', 'x'],
        [1, 'o', '/a'],
        [3, 's', 'M'],
      ]),
      /code 0/,
    ],
    [
      'a bad member name',
      ok([
        [1, 'o', '/a'],
        [3, 's', '1M'],
      ]),
      /member name "1M"/,
    ],
    [
      'a bad interface name',
      ok([
        [1, 'o', '/a'],
        [2, 's', 'noDots'],
        [3, 's', 'M'],
      ]),
      /interface name/,
    ],
    [
      'a bad sender',
      ok([
        [1, 'o', '/a'],
        [3, 's', 'M'],
        [7, 's', 'x'],
      ]),
      /invalid sender/,
    ],
    [
      'the Local path',
      ok([
        [1, 'o', '/org/freedesktop/DBus/Local'],
        [3, 's', 'M'],
      ]),
      /reserved/,
    ],
    ['reply serial 0', ok([[5, 'u', 0]], 2), /reply serial 0/],
    [
      'a bad object path',
      ok([
        [1, 'o', '/a/'],
        [3, 's', 'M'],
      ]),
      /invalid object path/,
    ],
    [
      'a bad body signature',
      ok([
        [1, 'o', '/a'],
        [3, 's', 'M'],
        [8, 'g', 'a'],
      ]),
      /invalid signature/,
    ],
  ];
  it.each(cases)('refuses %s', (_name, buf, reason) => {
    expect(refusal(() => parseMessage(buf))).toMatch(reason);
  });

  it('ignores unknown field codes (any type) and unknown message types', () => {
    const fields: Field[] = [
      [42, 'a{sv}', { k: new Variant('ay', Buffer.from([1])) }],
      ...callFields(''),
    ];
    expect(parse(buildMessage({ le: false, type: 1, fields })).member).toBe('Method');
    expect(parseMessage(buildMessage({ le: true, type: 9, fields: [] }))).toBeUndefined();
  });

  it('refuses a body without a signature, and a body length that does not end the message', () => {
    const body = Buffer.alloc(8);
    const noSig = buildMessage({ le: true, type: 1, fields: callFields(''), body });
    expect(refusal(() => parseMessage(noSig))).toMatch(/without a signature/);
    const short = call(true, 'u', [7]);
    expect(refusal(() => parseMessage(short.subarray(0, short.length - 1)))).toMatch(
      /does not end the message/,
    );
  });

  it('refuses non-zero header padding', () => {
    const buf = call(true, 'u', [7]);
    const fieldsEnd = 16 + buf.readUInt32LE(12);
    if (fieldsEnd % 8 === 0) throw new Error('test needs header padding');
    buf[fieldsEnd] = 1;
    expect(refusal(() => parseMessage(buf))).toMatch(/non-zero padding/);
  });
});

describe('bodies', () => {
  const bad: [string, string, Buffer, RegExp][] = [
    ['boolean 2', 'b', Buffer.from([2, 0, 0, 0]), /boolean value 2/],
    ['a string without NUL', 's', Buffer.from([1, 0, 0, 0, 0x41, 0x41]), /not terminated/],
    ['NUL inside a string', 's', Buffer.from([2, 0, 0, 0, 0x41, 0, 0]), /contains NUL/],
    ['invalid UTF-8', 's', Buffer.from([2, 0, 0, 0, 0xc0, 0x80, 0]), /not valid UTF-8/],
    ['a surrogate', 's', Buffer.from([3, 0, 0, 0, 0xed, 0xa0, 0x80, 0]), /not valid UTF-8/],
    ['a bad path', 'o', Buffer.from([1, 0, 0, 0, 0x61, 0]), /invalid object path/],
    [
      'a bad variant signature',
      'v',
      Buffer.from([2, 0x69, 0x69, 0, 0, 0, 0, 0]),
      /not one complete type/,
    ],
    [
      'non-zero struct padding',
      'y(y)',
      Buffer.from([1, 0, 0, 9, 0, 0, 0, 0, 5]),
      /non-zero padding/,
    ],
    ['an array past the body', 'ai', Buffer.from([8, 0, 0, 0, 1, 0, 0, 0]), /truncated/],
    ['an array over 64 MiB', 'ay', Buffer.from([1, 0, 0, 4, 0]), /over the 64 MiB limit/],
    [
      'elements past the array length',
      'a(yy)',
      Buffer.from([1, 0, 0, 0, 0, 0, 0, 0, 1, 2]),
      /past the array length/,
    ],
    ['a partial fixed element', 'ai', Buffer.from([3, 0, 0, 0, 1, 2, 3]), /not a whole number/],
    ['bytes after the last value', 'y', Buffer.from([1, 2]), /bytes after the last value/],
    ['a truncated u32', 'u', Buffer.from([1, 2]), /truncated/],
  ];
  it.each(bad)('refuses %s', (_name, signature, body, reason) => {
    const buf = buildMessage({ le: true, type: 1, fields: callFields(signature), body });
    expect(refusal(() => decode(buf))).toMatch(reason);
  });

  it('refuses 65 nested variants (64 pass)', () => {
    let v: Variant = new Variant('i', 7);
    for (let i = 1; i < 64; i++) v = new Variant('v', v);
    expect(decode(call(false, 'v', [v]))).toStrictEqual([v]);
    expect(refusal(() => decode(call(false, 'v', [new Variant('v', v)])))).toMatch(/more than 64/);
  });

  it(`refuses more than ${MAX_MESSAGE_VALUES} values before building them`, async () => {
    // av of 1-byte variants: 4 wire bytes each, the amplification body of issue 9.
    const avBody = (n: number) => {
      const body = Buffer.alloc(4 + n * 4);
      body.writeUInt32LE(n * 4, 0);
      for (let i = 0; i < n; i++) body.set([1, 0x79, 0, 7], 4 + i * 4);
      return parse(buildMessage({ le: true, type: 1, fields: callFields('av'), body }));
    };
    const n = MAX_MESSAGE_VALUES / 2 - 1; // the array, then a variant and its byte: 2 each
    await expect(Promise.resolve().then(() => readBody(avBody(n + 2)))).rejects.toBeInstanceOf(
      WireLimitError,
    );
    const [ok] = (await readBody(avBody(n))) as [Variant[]];
    expect(ok).toHaveLength(n);
    expect(ok[n - 1]).toStrictEqual(new Variant('y', 7));
  });

  it('a big body decodes in slices and stops once nobody wants it', async () => {
    const values = Array.from({ length: 200_000 }, (_, i) => i);
    const raw = parse(call(true, 'ai', [values]));
    let sliced = 0;
    const p = readBody(raw, () => ++sliced < 1_000_000);
    expect(p).toBeInstanceOf(Promise);
    expect(await p).toEqual([values]);
    const strings = Array.from({ length: 100_000 }, (_, i) => `s${i}`);
    const big = parse(call(true, 'as', [strings]));
    await expect(readBody(big, () => false)).rejects.toBeInstanceOf(DecodeAbandoned);
  });
});

describe('framer', () => {
  const msgs = [
    call(true, 'u', [1]),
    call(false, 'ay', [Buffer.alloc(300, 7)]),
    call(true, '', []),
  ];
  const all = Buffer.concat(msgs);

  it('cuts the same messages whatever the chunking', () => {
    for (const size of [1, 3, 16, 17, 1000, all.length]) {
      const out: Buffer[] = [];
      const f = new MessageFramer((m) => out.push(Buffer.from(m)));
      for (let i = 0; i < all.length; i += size) f.push(all.subarray(i, i + size));
      expect(out).toEqual(msgs);
      expect(f.buffered).toBe(0);
    }
  });

  it('refuses a bad byte order mark, protocol version and oversize message from the fixed header', () => {
    const bad = (patch: (b: Buffer) => void, max?: number) => {
      const b = Buffer.from(msgs[0]!);
      patch(b);
      return refusal(() => new MessageFramer(() => undefined, max).push(b.subarray(0, 16)));
    };
    expect(bad((b) => (b[0] = 0x58))).toMatch(/byte order mark/);
    expect(bad((b) => (b[3] = 2))).toMatch(/protocol version 2/);
    expect(bad(() => undefined, 40)).toMatch(/over the limit of 40/);
    expect(bad((b) => b.writeUInt32LE(2 ** 27, 4))).toMatch(/over the limit of 134217728/);
    expect(bad((b) => b.writeUInt32LE(2 ** 26 + 1, 12))).toMatch(/64 MiB array limit/);
  });
});
