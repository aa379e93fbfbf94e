/**
 * Blob limits counted in UTF-8 bytes (not characters), the byte sort order, padding, and
 * duplicate Ids (vmstate/blob.ts).
 */
import { describe, expect, it } from 'vitest';
import { checkId, compareIds, decodeBlob, encodeBlob, MAX_DATA_BYTES } from '../../vmstate/blob.js';
import { faultOf, u32 } from '../support/blob-bytes.js';

describe('blob limits are UTF-8 bytes, not characters', () => {
  const euro255 = '€'.repeat(85); // 85 chars, 255 bytes
  const e256 = 'é'.repeat(128); // 128 chars, 256 bytes

  it('accepts an Id of 255 bytes in multi-byte characters, refuses 256 bytes', () => {
    expect(Buffer.byteLength(euro255)).toBe(255);
    expect('bytes' in checkId(euro255)).toBe(true);
    expect(checkId(e256)).toEqual({ reason: 'is 256 bytes long (at most 255)' });
    const blob = encodeBlob([{ id: euro255, data: Buffer.from('x') }]);
    expect(blob.readUInt32BE(4)).toBe(255);
    expect(decodeBlob(blob)[0]!.id).toBe(euro255);
    expect(() => encodeBlob([{ id: e256, data: Buffer.alloc(0) }])).toThrow(/256 bytes/);
  });

  it('decode refuses id length 256 even when it is valid UTF-8', () => {
    const id = Buffer.from(e256);
    const blob = Buffer.concat([u32(1), u32(id.length), id, u32(0)]);
    expect(faultOf(() => decodeBlob(blob)).fault).toBe('id-length');
  });

  it('data of exactly 1 MiB decodes; 1 MiB + 1 is refused before reading it', () => {
    const ok = Buffer.concat([u32(1), u32(1), Buffer.from('a'), u32(MAX_DATA_BYTES)]);
    const full = Buffer.concat([ok, Buffer.alloc(MAX_DATA_BYTES)]);
    expect(decodeBlob(full)[0]!.data.length).toBe(MAX_DATA_BYTES);
    const big = Buffer.concat([u32(1), u32(1), Buffer.from('a'), u32(MAX_DATA_BYTES + 1)]);
    const f = faultOf(() => decodeBlob(Buffer.concat([big, Buffer.alloc(MAX_DATA_BYTES + 1)])));
    expect([f.fault, f.offset]).toEqual(['data-too-large', 9]);
  });

  it('count 0, with or without padding; a non-zero byte after the padding is refused', () => {
    expect(decodeBlob(u32(0))).toEqual([]);
    expect(decodeBlob(Buffer.concat([u32(0), Buffer.alloc(60)]))).toEqual([]);
    const bad = Buffer.concat([u32(0), Buffer.alloc(10), Buffer.from([1]), Buffer.alloc(3)]);
    const f = faultOf(() => decodeBlob(bad));
    expect([f.fault, f.offset]).toEqual(['trailing-bytes', 14]);
  });

  it('sorts by UTF-8 bytes (not UTF-16 code units), in encode and in compareIds', () => {
    // U+FF5E is EF BD 9E; U+1F600 is F0 9F 98 80 but D83D DE00 in UTF-16.
    const [bmp, astral] = ['\uFF5E', '\u{1F600}'];
    expect(bmp < astral).toBe(false); // JS string order would put the emoji first
    expect(compareIds(bmp, astral)).toBeLessThan(0);
    const blob = encodeBlob([
      { id: astral, data: Buffer.alloc(0) },
      { id: 'z', data: Buffer.alloc(0) },
      { id: bmp, data: Buffer.alloc(0) },
    ]);
    expect(decodeBlob(blob).map((e) => e.id)).toEqual(['z', bmp, astral]);
  });

  it('encode refuses duplicates given in any order, and NFC/NFD forms stay distinct Ids', () => {
    const nfc = 'caf\u00e9';
    const nfd = 'cafe\u0301';
    expect(() =>
      encodeBlob([
        { id: 'b', data: Buffer.alloc(0) },
        { id: nfc, data: Buffer.alloc(0) },
        { id: 'a', data: Buffer.alloc(0) },
        { id: nfc, data: Buffer.alloc(1) },
      ]),
    ).toThrow(/Duplicated VMState Id/);
    const blob = encodeBlob([
      { id: nfc, data: Buffer.alloc(0) },
      { id: nfd, data: Buffer.alloc(0) },
    ]);
    expect(decodeBlob(blob).map((e) => e.id)).toEqual([nfd, nfc]);
  });
});
