/**
 * Review probes of the dbus-vmstate runtime (blob, stream, pool, files): the byte limits
 * counted in UTF-8 bytes, the sort order, padding, a real section masked by a look-alike,
 * the concurrency bound with odd values, and atomic writes keeping a file's mode.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  checkId,
  compareIds,
  decodeBlob,
  encodeBlob,
  MAX_DATA_BYTES,
} from '../../runtime/vmstate/blob.js';
import { writeFileAtomic } from '../../runtime/vmstate/files.js';
import { mapBounded } from '../../runtime/vmstate/pool.js';
import { findVMStateSection, SECTION_IDSTR } from '../../runtime/vmstate/stream.js';
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

function section(blob: Buffer, instance = 0, version = 0, id = 7): Buffer {
  return Buffer.concat([
    Buffer.from([0x04]),
    u32(id),
    Buffer.from([25]),
    Buffer.from(SECTION_IDSTR),
    u32(instance),
    u32(version),
    u32(blob.length),
    blob,
    Buffer.from([0x7e]),
    u32(id),
  ]);
}
const header = Buffer.concat([Buffer.from('QEVM'), u32(3)]);
const entry = (id: string, data: string): Buffer =>
  Buffer.concat([u32(1), u32(id.length), Buffer.from(id), u32(data.length), Buffer.from(data)]);

describe('stream: a look-alike in guest RAM never stands in for the real section', () => {
  // The guest controls its RAM: it can plant a perfectly valid section there.
  const planted = Buffer.concat([Buffer.from([0x02, 0, 0, 0, 2]), section(entry('idA', 'evil'))]);

  it('the real section, truncated inside its blob, fails (the planted one is not used)', () => {
    const real = section(entry('idA', 'real-state'));
    const stream = Buffer.concat([header, planted, real.subarray(0, real.length - 12)]);
    const f = faultOf(() => findVMStateSection(stream));
    expect(f.fault).toBe('bad-section');
    expect(f.offset).toBeGreaterThan(header.length + planted.length);
  });

  it('the real section with instance 1 or version 1 fails, naming the field', () => {
    for (const [inst, ver, what] of [
      [1, 0, /instance id 1/],
      [0, 1, /version 1/],
    ] as const) {
      const stream = Buffer.concat([header, planted, section(entry('idA', 'x'), inst, ver)]);
      expect(faultOf(() => findVMStateSection(stream)).message).toMatch(what);
    }
  });

  it('the real section with a bad blob fails rather than falling back', () => {
    const badBlob = Buffer.concat([u32(2), u32(1), Buffer.from('a'), u32(0)]); // count 2, 1 entry
    const stream = Buffer.concat([header, planted, section(badBlob)]);
    expect(faultOf(() => findVMStateSection(stream)).fault).toBe('truncated');
  });

  it('still takes the real section after an invalid look-alike, and after a valid one', () => {
    const broken = Buffer.concat([Buffer.from([0x04, 0, 0, 0, 1, 25]), Buffer.from(SECTION_IDSTR)]);
    const real = section(entry('idA', 'real'));
    for (const before of [broken, planted]) {
      const s = findVMStateSection(Buffer.concat([header, before, real]));
      expect(Buffer.from(s.entries[0]!.data).toString()).toBe('real');
    }
  });
});

describe('mapBounded: the bound with odd values', () => {
  it.each([Number.NaN, 0, -3, 0.5, 2.7])('concurrency %s still runs every item', async (limit) => {
    let inFlight = 0;
    let most = 0;
    const out = await mapBounded([1, 2, 3, 4, 5], limit, async (n) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      return n * 2;
    });
    expect(out).toEqual([2, 4, 6, 8, 10]);
    expect(most).toBeLessThanOrEqual(Math.max(1, Math.floor(limit) || 1));
  });
});

describe('writeFileAtomic', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps the mode of the file it replaces; a new file is 0600', async () => {
    dir = mkdtempSync(join(tmpdir(), 'review-atomic-'));
    const file = join(dir, 'state');
    writeFileSync(file, 'old');
    await chmod(file, 0o640);
    await writeFileAtomic(file, Buffer.from('new'));
    expect(readFileSync(file, 'utf8')).toBe('new');
    expect(statSync(file).mode & 0o7777).toBe(0o640);
    const fresh = join(dir, 'fresh');
    await writeFileAtomic(fresh, Buffer.from('x'));
    expect(statSync(fresh).mode & 0o7777).toBe(0o600);
  });
});
