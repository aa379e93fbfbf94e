import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BlobError,
  checkId,
  decodeBlob,
  encodeBlob,
  MAX_DATA_BYTES,
  type VMStateEntry,
} from '../../vmstate/blob.js';
import { VMStateError } from '../../vmstate/errors.js';
import { faultOf, u32 } from '../support/blob-bytes.js';

const enc = (s: string): Buffer => Buffer.from(s, 'utf8');
/** Builds a blob by hand, independent of encodeBlob. */
function raw(count: number, ...parts: (Buffer | string | number)[]): Buffer {
  return Buffer.concat([
    u32(count),
    ...parts.map((p) => (typeof p === 'number' ? u32(p) : typeof p === 'string' ? enc(p) : p)),
  ]);
}
const qtestData = (id: string): Buffer => Buffer.from(`I'am\0${id}!\0`, 'latin1');

describe('encodeBlob', () => {
  it('writes QEMU layout: big-endian count, id length, id, data length, data', () => {
    const blob = encodeBlob([{ id: 'idA', data: qtestData('idA') }]);
    expect(blob.toString('hex')).toBe(
      `00000001` +
        `00000003${enc('idA').toString('hex')}` +
        `0000000a${qtestData('idA').toString('hex')}`,
    );
  });

  it('sorts entries by Id bytes so the blob is reproducible', () => {
    const a = encodeBlob([
      { id: 'idB', data: enc('b') },
      { id: 'idA', data: enc('a') },
      { id: 'Z', data: enc('z') },
    ]);
    const b = encodeBlob([
      { id: 'Z', data: enc('z') },
      { id: 'idA', data: enc('a') },
      { id: 'idB', data: enc('b') },
    ]);
    expect(a.equals(b)).toBe(true);
    expect(decodeBlob(a).map((e) => e.id)).toEqual(['Z', 'idA', 'idB']);
  });

  it('encodes zero entries as a bare count', () => {
    expect(encodeBlob([]).toString('hex')).toBe('00000000');
  });

  it('accepts 255-byte ids and 1 MiB of data, the limits', () => {
    const id = 'é'.repeat(127) + 'x'; // 255 bytes in UTF-8
    const blob = encodeBlob([{ id, data: new Uint8Array(MAX_DATA_BYTES) }]);
    expect(decodeBlob(blob)[0]!.data.length).toBe(MAX_DATA_BYTES);
  });

  it.each([
    ['', 'invalid-id', /is empty/],
    ['x'.repeat(256), 'invalid-id', /256 bytes long/],
    ['a\0b', 'invalid-id', /NUL/],
    ['\ud800', 'invalid-id', /lone surrogate/],
  ])('refuses Id %j', (id, code, message) => {
    expect(() => encodeBlob([{ id, data: enc('x') }])).toThrow(message);
    try {
      encodeBlob([{ id, data: enc('x') }]);
    } catch (err) {
      expect((err as VMStateError).code).toBe(code);
    }
  });

  it('refuses data of 1 MiB + 1 naming the helper', () => {
    const fn = () => encodeBlob([{ id: 'big', data: new Uint8Array(MAX_DATA_BYTES + 1) }]);
    expect(fn).toThrow('helper "big": 1048577 bytes of data (at most 1048576)');
  });

  it('refuses duplicate Ids', () => {
    const fn = () =>
      encodeBlob([
        { id: 'idA', data: enc('1') },
        { id: 'idA', data: enc('2') },
      ]);
    expect(fn).toThrow(VMStateError);
    expect(fn).toThrow('Duplicated VMState Id "idA"');
  });
});

describe('decodeBlob', () => {
  it('reads the two-helper blob QEMU wrote, with its 21 bytes of zero padding', () => {
    const data = Buffer.concat([
      raw(2, 3, 'idA', 8, Buffer.alloc(8, 1), 3, 'idB', 9, Buffer.alloc(9, 2)),
      Buffer.alloc(21),
    ]);
    expect(data.length).toBe(64);
    const entries = decodeBlob(data);
    expect(entries.map((e) => [e.id, e.data.length])).toEqual([
      ['idA', 8],
      ['idB', 9],
    ]);
  });

  it('keeps NUL bytes inside data', () => {
    const [e] = decodeBlob(raw(1, 3, 'idA', 10, qtestData('idA')));
    expect(Buffer.from(e!.data).equals(qtestData('idA'))).toBe(true);
  });

  it('returns views into the input (no copy)', () => {
    const blob = raw(1, 1, 'a', 3, 'xyz');
    const [e] = decodeBlob(blob);
    expect(e!.data.buffer).toBe(blob.buffer);
  });

  it('decodes from a Uint8Array view at an offset', () => {
    const blob = raw(1, 1, 'a', 3, 'xyz');
    const big = new Uint8Array(blob.length + 7);
    big.set(blob, 7);
    expect(decodeBlob(big.subarray(7))[0]!.id).toBe('a');
  });

  it.each<[string, Buffer, string, number, RegExp]>([
    ['empty input', Buffer.alloc(0), 'truncated', 0, /entry count needs 4 bytes, 0 left/],
    ['count larger than entries', raw(2, 1, 'a', 1, 'x'), 'truncated', 14, /entry 2 of 2/],
    ['truncated id', raw(1, 5, 'ab'), 'truncated', 8, /id of entry 1 of 1/],
    [
      'truncated data length',
      raw(1, 1, 'a', Buffer.from([0, 0])),
      'truncated',
      9,
      /data length of "a"/,
    ],
    [
      'data length past the end',
      raw(1, 1, 'a', 10, 'xyz'),
      'truncated',
      13,
      /data of "a" needs 10 bytes, 3 left/,
    ],
    [
      'id length 256',
      raw(1, 256, 'x'.repeat(256), 0),
      'id-length',
      4,
      /id length 256 \(must be 1..255\)/,
    ],
    ['id length 0', raw(1, 0, 0), 'id-length', 4, /id length 0/],
    [
      'data over 1 MiB',
      raw(1, 1, 'a', MAX_DATA_BYTES + 1),
      'data-too-large',
      9,
      /helper "a": data length 1048577/,
    ],
    ['duplicate id', raw(2, 1, 'a', 0, 1, 'a', 0), 'duplicate-id', 17, /Duplicated VMState Id "a"/],
    ['NUL in id', raw(1, 3, 'a\0b', 0), 'id-encoding', 9, /id contains a NUL/],
    ['invalid UTF-8 id', raw(1, 1, Buffer.from([0xff]), 0), 'id-encoding', 8, /not valid UTF-8/],
    [
      'non-zero trailing byte',
      Buffer.concat([raw(0), Buffer.from([0, 0, 9])]),
      'trailing-bytes',
      6,
      /non-zero byte/,
    ],
  ])('refuses %s with a typed error and the byte offset', (_name, blob, fault, offset, message) => {
    const err = faultOf(() => decodeBlob(blob));
    expect(err.fault).toBe(fault);
    expect(err.offset).toBe(offset);
    expect(err.message).toMatch(message);
    expect(err.message).toContain(`(at byte ${offset})`);
    expect(err.code).toBe('bad-blob');
  });

  it('names the helper in errors that concern one entry', () => {
    const err = faultOf(() => decodeBlob(raw(1, 3, 'idB', 50, 'short')));
    expect(err.helperId).toBe('idB');
  });

  it('reads QEMU fault output (count 2, no entries, zero padding) as an error, not as 0 entries', () => {
    const err = faultOf(() => decodeBlob(Buffer.concat([raw(2), Buffer.alloc(12)])));
    expect(err.fault).toBe('id-length');
  });
});

describe('round trip (property)', () => {
  const entry = fc.record({
    id: fc
      .string({ minLength: 1, maxLength: 60, unit: 'grapheme' })
      .filter((s) => !s.includes('\0') && 'bytes' in checkId(s)),
    data: fc.uint8Array({ maxLength: 300 }),
  });
  it('decode(encode(x)) is x sorted by Id, and padding never changes it', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(entry, { selector: (e) => e.id, maxLength: 8 }),
        fc.nat(40),
        (entries: VMStateEntry[], pad) => {
          const blob = encodeBlob(entries);
          const decoded = decodeBlob(Buffer.concat([blob, Buffer.alloc(pad)]));
          const sorted = [...entries].sort((a, b) => Buffer.compare(enc(a.id), enc(b.id)));
          expect(decoded.map((e) => e.id)).toEqual(sorted.map((e) => e.id));
          decoded.forEach((e, i) => {
            expect(Buffer.from(e.data).equals(Buffer.from(sorted[i]!.data))).toBe(true);
          });
          expect(encodeBlob(decoded).equals(blob)).toBe(true);
        },
      ),
    );
  });

  it('decoding arbitrary bytes either succeeds or throws a BlobError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        try {
          decodeBlob(bytes);
        } catch (err) {
          expect(err).toBeInstanceOf(BlobError);
        }
      }),
    );
  });
});
