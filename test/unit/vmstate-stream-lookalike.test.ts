/**
 * Finding the dbus-vmstate section in a migration stream when the guest planted a look-alike
 * in its RAM (vmstate/stream.ts): the real section is used or the search fails.
 */
import { describe, expect, it } from 'vitest';
import { findVMStateSection, SECTION_IDSTR } from '../../vmstate/stream.js';
import { faultOf, u32 } from '../support/blob-bytes.js';

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
