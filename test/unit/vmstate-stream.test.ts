import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BlobError } from '../../vmstate/blob.js';
import { findVMStateSection, isMigrationStream, SECTION_IDSTR } from '../../vmstate/stream.js';
import { faultOf, u32 } from '../support/blob-bytes.js';

// Written by QEMU 7.2 (`-machine none`, migrate to `exec:cat > file`) with two GDBus helpers:
// idA with 8 bytes, idB with 9 bytes (the Id and a NUL, repeated).
const fixture = readFileSync(
  new URL('../fixtures/vmstate/qemu72-idA8-idB9.stream', import.meta.url),
);

function section(opts: {
  id?: number;
  instance?: number;
  version?: number;
  blob: Buffer;
  footerId?: number | null;
}): Buffer {
  const id = opts.id ?? 7;
  return Buffer.concat([
    Buffer.from([0x04]),
    u32(id),
    Buffer.from([25]),
    Buffer.from(SECTION_IDSTR),
    u32(opts.instance ?? 0),
    u32(opts.version ?? 0),
    u32(opts.blob.length),
    opts.blob,
    opts.footerId === null
      ? Buffer.alloc(0)
      : Buffer.concat([Buffer.from([0x7e]), u32(opts.footerId ?? id)]),
  ]);
}
const header = Buffer.concat([
  Buffer.from('QEVM'),
  u32(3),
  Buffer.from([0x07]),
  u32(4),
  Buffer.from('none'),
]);
const oneEntry = Buffer.concat([u32(1), u32(1), Buffer.from('a'), u32(2), Buffer.from('hi')]);

describe('findVMStateSection', () => {
  it('finds the blob in a stream QEMU 7.2 wrote, padding included', () => {
    expect(isMigrationStream(fixture)).toBe(true);
    const s = findVMStateSection(fixture);
    expect(s.blob.length).toBe(64);
    expect(s.entries.map((e) => [e.id, e.data.length])).toEqual([
      ['idA', 8],
      ['idB', 9],
    ]);
    expect(Buffer.from(s.entries[0]!.data).toString('latin1')).toBe('idA\0idA\0');
    expect(fixture[s.sectionOffset]).toBe(0x04);
  });

  it('finds a section without footer', () => {
    const s = findVMStateSection(
      Buffer.concat([header, section({ blob: oneEntry, footerId: null }), Buffer.from([0])]),
    );
    expect(s.entries[0]!.id).toBe('a');
  });

  it('skips a look-alike inside guest RAM and takes the real section after it', () => {
    const decoy = Buffer.concat([
      Buffer.from('RAM...'),
      Buffer.from(SECTION_IDSTR),
      Buffer.alloc(30, 0xaa),
    ]);
    const s = findVMStateSection(Buffer.concat([header, decoy, section({ blob: oneEntry })]));
    expect(s.entries.map((e) => e.id)).toEqual(['a']);
  });

  it.each<[string, Buffer, string, RegExp]>([
    ['a blob', oneEntry, 'not-a-stream', /no QEVM magic/],
    [
      'version 2',
      Buffer.concat([Buffer.from('QEVM'), u32(2)]),
      'not-a-stream',
      /version 2 \(expected 3\)/,
    ],
    [
      'no section',
      Buffer.concat([header, Buffer.from([0])]),
      'no-section',
      /no dbus-vmstate\/dbus-vmstate section/,
    ],
    [
      'instance 1',
      Buffer.concat([header, section({ instance: 1, blob: oneEntry })]),
      'bad-section',
      /instance id 1/,
    ],
    [
      'version 1',
      Buffer.concat([header, section({ version: 1, blob: oneEntry })]),
      'bad-section',
      /version 1 \(expected 0\)/,
    ],
    [
      'wrong footer',
      Buffer.concat([header, section({ footerId: 9, blob: oneEntry })]),
      'bad-section',
      /footer names section 9/,
    ],
  ])('refuses %s', (_name, input, fault, message) => {
    const err = faultOf(() => findVMStateSection(input));
    expect(err.fault).toBe(fault);
    expect(err.message).toMatch(message);
  });

  it('refuses data_size past the end of the file', () => {
    const s = section({ blob: oneEntry, footerId: null });
    const cut = Buffer.concat([header, s.subarray(0, s.length - 3)]);
    expect(() => findVMStateSection(cut)).toThrow(/data_size 15 runs past the end/);
  });

  it('reports blob faults with offsets into the file', () => {
    const bad = Buffer.concat([u32(2), u32(1), Buffer.from('a'), u32(0), Buffer.alloc(4)]);
    const input = Buffer.concat([header, section({ blob: bad })]);
    const err = faultOf(() => findVMStateSection(input));
    expect(err.fault).toBe('id-length');
    const blobStart = header.length + 1 + 4 + 1 + 25 + 12;
    expect(err.offset).toBe(blobStart + 13);
    expect(input.readUInt32BE(err.offset)).toBe(0);
  });

  it('rejects the truncated fixture', () => {
    expect(() => findVMStateSection(fixture.subarray(0, 0xb0))).toThrow(BlobError);
  });
});
