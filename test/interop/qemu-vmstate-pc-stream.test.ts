/**
 * The incremental stream reader (stream-walk.ts) on what QEMU 7.2 really writes for a VM
 * with RAM and devices: a `pc` machine with 64 MiB of RAM, every record read section by
 * section (RAM pages parsed, device sections read past to their footers), the dbus-vmstate
 * blob found and equal to what the helpers hold; the blob extracted alone is a valid bare
 * blob (QEMU's padding within the bound readBlobSource checks).
 */
import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrivateBus } from '../../runtime/private-bus.js';
import { readBlobSource } from '../../vmstate/files.js';
import { hasQemu, QemuVm, qemuSkipReason } from '../support/qemu.js';
import {
  qtestData,
  startTestHelper,
  stopAll,
  type TestHelper,
} from '../support/vmstate-helpers.js';

if (!hasQemu) console.log(`skipping QEMU pc stream read: ${qemuSkipReason}`);
const CLI = new URL('../../vmstate/cli.ts', import.meta.url).pathname;

describe.skipIf(!hasQemu)('a pc machine stream (RAM, devices) read section by section', () => {
  let bus: PrivateBus;
  let helpers: TestHelper[] = [];
  let vm: QemuVm | undefined;
  beforeAll(async () => {
    bus = await PrivateBus.start();
    helpers = [
      await startTestHelper(bus.address, 'idA', qtestData('idA')),
      await startTestHelper(bus.address, 'big', Buffer.alloc(100_000, 7)),
    ];
  });
  afterAll(async () => {
    await vm?.stop();
    await stopAll(helpers);
    await bus?.stop();
  });

  it('finds the helpers blob after 64 MiB of RAM records and the pc devices', async () => {
    vm = await QemuVm.start({
      busAddress: bus.address,
      machine: 'pc,accel=tcg',
      extraArgs: ['-m', '64'],
    });
    const file = join(bus.dir, 'pc.stream');
    const r = await vm.migrate(`exec:cat > ${file}`);
    expect(r.status).toBe('completed');
    expect(statSync(file).size).toBeGreaterThan(100_000);
    const s = await readBlobSource(file);
    expect(s.kind).toBe('stream');
    const got = s.entries.map((e) => [e.id, Buffer.from(e.data).toString('hex')]).sort();
    expect(got).toEqual(helpers.map((h) => [h.id, h.data.toString('hex')]).sort());

    const blob = join(bus.dir, 'pc.blob');
    const x = await promisify(execFile)(process.execPath, [
      '--import',
      'tsx',
      CLI,
      'inspect',
      file,
      '--blob',
      blob,
    ]);
    expect(x.stderr).toBe('');
    const bare = await readBlobSource(blob);
    expect(bare.kind).toBe('blob');
    expect(bare.entries).toHaveLength(2);
  }, 120_000);
});
