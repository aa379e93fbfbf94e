/**
 * Our migrator and QEMU 7.2 on the same helpers: the blobs agree; our `inspect` reads
 * QEMU's stream, our `load` restores helpers from it (padding included), and QEMU loads a
 * stream that carries our blob. Also shows QEMU's own save fault, which our tools refuse.
 */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Connection, connect } from '../../runtime/index.js';
import { PrivateBus } from '../../runtime/private-bus.js';
import { decodeBlob, encodeBlob } from '../../vmstate/blob.js';
import { VMStateMigrator } from '../../vmstate/migrator.js';
import { findVMStateSection } from '../../vmstate/stream.js';
import { hasQemu, QemuVm, qemuSkipReason } from '../support/qemu.js';
import {
  qtestData,
  startTestHelper,
  stopAll,
  type TestHelper,
} from '../support/vmstate-helpers.js';

if (!hasQemu) console.log(`skipping QEMU dbus-vmstate blob interop: ${qemuSkipReason}`);

const CLI = new URL('../../vmstate/cli.ts', import.meta.url).pathname;
async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await promisify(execFile)(process.execPath, ['--import', 'tsx', CLI, ...args], {
      encoding: 'buffer',
    });
    return { code: 0, stdout: r.stdout.toString('latin1'), stderr: r.stderr.toString() };
  } catch (err) {
    const e = err as { code: number; stdout: Buffer; stderr: Buffer };
    return { code: e.code, stdout: e.stdout.toString('latin1'), stderr: e.stderr.toString() };
  }
}

const entries = [
  ['idA', qtestData('idA')],
  ['idB', qtestData('idB')],
  ['ünïcødé-id', Buffer.from([0, 1, 2, 255, 0])],
  ['big', Buffer.alloc(200_000, 7)],
] as const;

describe.skipIf(!hasQemu)('our migrator vs QEMU 7.2 on the same helpers', () => {
  let src: PrivateBus;
  let dst: PrivateBus;
  let helpers: TestHelper[];
  let vms: QemuVm[];
  let conns: Connection[];

  beforeEach(async () => {
    [src, dst] = await Promise.all([PrivateBus.start(), PrivateBus.start()]);
    helpers = [];
    vms = [];
    conns = [];
    for (const [id, data] of entries) helpers.push(await startTestHelper(src.address, id, data));
  });
  afterEach(async () => {
    await Promise.all(vms.map((v) => v.stop()));
    await stopAll(helpers);
    await Promise.all(conns.map((c) => c.close()));
    await Promise.all([src.stop(), dst.stop()]);
  });

  async function qemuStream(): Promise<string> {
    const vm = await QemuVm.start({ busAddress: src.address });
    vms.push(vm);
    const file = join(src.dir, 'mig.stream');
    const r = await vm.migrate(`exec:cat > ${file}`);
    expect(r.status).toBe('completed');
    return file;
  }
  async function migrator(bus: PrivateBus): Promise<VMStateMigrator> {
    const c = await connect(bus.address);
    conns.push(c);
    return new VMStateMigrator(c);
  }

  it('QEMU and our save produce the same entries; ours is the sorted, unpadded form', async () => {
    const file = await qemuStream();
    const qemuBlob = findVMStateSection(readFileSync(file)).blob;
    const ours = await (await migrator(src)).save();
    const qemuEntries = decodeBlob(qemuBlob);
    const ourEntries = decodeBlob(ours);
    const norm = (es: typeof ourEntries) =>
      es.map((e) => [e.id, Buffer.from(e.data).toString('hex')]).sort();
    expect(norm(ourEntries)).toEqual(norm(qemuEntries));
    expect(norm(ourEntries)).toEqual(norm(entries.map(([id, data]) => ({ id, data }))));
    // Same bytes once QEMU's entries are put in Id order and its padding is dropped.
    expect(encodeBlob(qemuEntries).equals(ours)).toBe(true);
    expect(qemuBlob.length).toBeGreaterThanOrEqual(ours.length);
    expect(qemuBlob.subarray(ours.length).every((b) => b === 0)).toBe(true);
  });

  it('inspect reads the stream; our load restores helpers from it, padding included', async () => {
    const file = await qemuStream();
    const listing = await cli('inspect', file);
    expect(listing.code).toBe(0);
    expect(listing.stdout).toMatch(
      /^QEMU migration stream: 4 entries, \d+ bytes at byte \d+, \d+ bytes of zero padding/,
    );
    expect(listing.stdout).toContain('idA\t10 bytes\n');
    expect(listing.stdout).toContain('big\t200000 bytes\n');

    const blobFile = join(src.dir, 'qemu.blob');
    expect((await cli('inspect', file, '--blob', blobFile)).code).toBe(0);
    const extracted = await cli('inspect', file, '--extract', 'idB');
    expect(Buffer.from(extracted.stdout, 'latin1').equals(qtestData('idB'))).toBe(true);

    const dsts: TestHelper[] = [];
    for (const [id] of entries)
      dsts.push(await startTestHelper(dst.address, id, Buffer.from('old')));
    helpers.push(...dsts);
    // The library on the extracted blob (with QEMU's padding) ...
    await (await migrator(dst)).load(readFileSync(blobFile));
    for (const [i, [, data]] of entries.entries()) expect(dsts[i]!.data.equals(data)).toBe(true);
    // ... and the CLI straight on QEMU's stream.
    for (const d of dsts) d.data = Buffer.alloc(0);
    const loaded = await cli('load', '--address', dst.address, file);
    expect(loaded.stderr).toBe('');
    expect(loaded.code).toBe(0);
    for (const [i, [, data]] of entries.entries()) expect(dsts[i]!.data.equals(data)).toBe(true);
  });

  it('QEMU loads a stream carrying our blob', async () => {
    const file = await qemuStream();
    const stream = readFileSync(file);
    const section = findVMStateSection(stream);
    for (const h of helpers) h.data = Buffer.from(`changed ${h.id}`);
    const ours = await (await migrator(src)).save();
    // Swap QEMU's blob for ours: data_size sits just before the blob.
    const size = Buffer.alloc(4);
    size.writeUInt32BE(ours.length);
    const spliced = Buffer.concat([
      stream.subarray(0, section.blobOffset - 4),
      size,
      ours,
      stream.subarray(section.blobOffset + section.blob.length),
    ]);
    const splicedFile = join(dst.dir, 'ours.stream');
    writeFileSync(splicedFile, spliced);
    const dsts: TestHelper[] = [];
    for (const [id] of entries) dsts.push(await startTestHelper(dst.address, id, Buffer.alloc(0)));
    helpers.push(...dsts);
    const vm = await QemuVm.start({ busAddress: dst.address, incoming: `exec:cat ${splicedFile}` });
    vms.push(vm);
    expect((await vm.waitMigration()).status).toBe('completed');
    for (const d of dsts) expect(d.data.toString()).toBe(`changed ${d.id}`);
  });

  it('finds the blob in the stream of a PC guest with RAM (sections before and after it)', async () => {
    const vm = await QemuVm.start({
      busAddress: src.address,
      machine: 'pc',
      extraArgs: ['-m', '64', '-S'],
    });
    vms.push(vm);
    const file = join(src.dir, 'pc.stream');
    expect((await vm.migrate(`exec:cat > ${file}`)).status).toBe('completed');
    const stream = readFileSync(file);
    const section = findVMStateSection(stream);
    // RAM and device sections come before it, more devices after it.
    expect(section.blobOffset).toBeGreaterThan(100_000);
    expect(stream.length - section.blobOffset - section.blob.length).toBeGreaterThan(10_000);
    const norm = (es: { id: string; data: Uint8Array }[]) =>
      es.map((e) => [e.id, Buffer.from(e.data).toString('hex')]).sort();
    expect(norm(section.entries)).toEqual(norm(entries.map(([id, data]) => ({ id, data }))));
  });

  it("QEMU's fault: an empty Save is dropped (count says 5, 4 entries); ours keeps it", async () => {
    helpers.push(await startTestHelper(src.address, 'empty', Buffer.alloc(0)));
    const file = await qemuStream(); // QEMU says completed
    const r = await cli('inspect', file);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^dbus-vmstate: error: entry 5 of 5: id length 0 \(must be 1..255\)/);
    const ours = decodeBlob(await (await migrator(src)).save());
    expect(ours.map((e) => [e.id, e.data.length])).toContainEqual(['empty', 0]);
    const dstEmpty = await startTestHelper(dst.address, 'empty', Buffer.from('old'));
    helpers.push(dstEmpty);
    await (await migrator(dst)).load(encodeBlob(ours.filter((e) => e.id === 'empty')));
    expect(dstEmpty.data.length).toBe(0);
  });

  it("QEMU's fault: a failing Save still completes with a bad stream; inspect and load refuse it", async () => {
    helpers.push(
      await startTestHelper(src.address, 'zz-fails', Buffer.alloc(0), {
        save: () => {
          throw new Error('no state for you');
        },
      }),
    );
    const file = await qemuStream(); // QEMU says completed
    const r = await cli('inspect', file);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^dbus-vmstate: error: /);
    // Ours refuses up front, naming the helper.
    await expect((await migrator(src)).save()).rejects.toThrow(
      /helper "zz-fails" \(:1\.\d+\): Save failed/,
    );
  });
});
