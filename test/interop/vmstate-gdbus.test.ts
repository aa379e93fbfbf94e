/**
 * Our migrator with helpers written in Python GDBus (an independent implementation of the
 * helper side, like QEMU's own test helpers): save, load, and the Ids QEMU refuses.
 */
import { execFileSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Connection, connect } from '../../runtime/index.js';
import { PrivateBus } from '../../runtime/private-bus.js';
import type { Variant } from '../../runtime/variant.js';
import { decodeBlob, encodeBlob } from '../../vmstate/blob.js';
import { VMStateMigrator } from '../../vmstate/migrator.js';
import { within } from '../support/events.js';
import { type HelperProcess, startGDBusHelper } from '../support/vmstate-helpers.js';

function gdbusSkipReason(): string | undefined {
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import gi; from gi.repository import Gio']);
    return undefined;
  } catch {
    return '/usr/bin/python3 with gi (python3-gi) is not installed';
  }
}
const skip = gdbusSkipReason();
if (skip) console.log(`skipping GDBus helper interop: ${skip}`);

describe.skipIf(skip !== undefined)('our migrator with Python GDBus helpers', () => {
  let bus: PrivateBus;
  let conn: Connection;
  let procs: HelperProcess[];
  beforeEach(async () => {
    bus = await PrivateBus.start();
    conn = await connect(bus.address);
    procs = [];
  });
  afterEach(async () => {
    await Promise.all(procs.map((p) => p.stop()));
    await conn.close();
    await bus.stop();
  });
  const helper = async (id: string, size: number) => {
    const p = await startGDBusHelper(bus.address, id, size);
    procs.push(p);
    return p;
  };
  /** The helper's unique name, found by its Id among the queued owners of the name. */
  const uniqueOf = async (id: string): Promise<string> => {
    const [owners] = await conn.callBus('ListQueuedOwners', 's', ['org.qemu.VMState1']);
    for (const u of owners as string[]) {
      const r = await conn.call({
        destination: u,
        path: '/org/qemu/VMState1',
        interfaceName: 'org.freedesktop.DBus.Properties',
        member: 'Get',
        signature: 'ss',
        body: ['org.qemu.VMState1', 'Id'],
      });
      if ((r.body[0] as Variant).value === id) return u;
    }
    throw new Error(`no helper with Id ${JSON.stringify(id)}`);
  };
  /**
   * The helper's `prefix` lines printed so far. Its stdout lags its D-Bus replies, so first
   * a barrier: one more call that prints the other kind of line (Save for `load` lines, an
   * empty Load for `save` lines), awaited on stdout; everything printed before it is in.
   */
  const lines = async (p: HelperProcess, id: string, prefix: 'load' | 'save') => {
    const before = p.lines.length;
    const marker = prefix === 'load' ? 'save' : 'load 0';
    const printed = new Promise<void>((resolve) => {
      const check = () => {
        if (p.lines.slice(before).includes(marker)) {
          p.child.stdout?.off('data', check);
          resolve();
        }
      };
      p.child.stdout?.on('data', check);
    });
    await conn.call({
      destination: await uniqueOf(id),
      path: '/org/qemu/VMState1',
      interfaceName: 'org.qemu.VMState1',
      member: prefix === 'load' ? 'Save' : 'Load',
      ...(prefix === 'load' ? {} : { signature: 'ay', body: [Buffer.alloc(0)] }),
    });
    await within(printed, `helper ${JSON.stringify(id)} printing "${marker}"`);
    return p.lines.filter((l) => l.startsWith(prefix));
  };

  it('saves and loads them; data is the Id and a NUL, repeated', async () => {
    const a = await helper('idA', 10);
    const b = await helper('idB', 100_000);
    const m = new VMStateMigrator(conn);
    const entries = decodeBlob(await m.save());
    expect(entries.map((e) => [e.id, e.data.length])).toEqual([
      ['idA', 10],
      ['idB', 100_000],
    ]);
    expect(Buffer.from(entries[0]!.data).toString('latin1')).toBe('idA\0idA\0id');
    await m.load(encodeBlob([{ id: 'idB', data: Buffer.from('restored') }]));
    expect(await lines(b, 'idB', 'load')).toEqual(['load 8']);
    expect(await lines(a, 'idA', 'load')).toEqual([]);
    expect(decodeBlob(await m.save({ idList: ['idB'] }))[0]!.data.toString()).toBe('restored');
  });

  it.each([
    ['', /VMState Id "" is invalid: it is empty/],
    ['x'.repeat(256), /is invalid: it is 256 bytes long/],
  ])('refuses a GDBus helper with Id %#, naming it, before any Save', async (id, message) => {
    const a = await helper('idA', 10);
    const bad = await helper(id, 10);
    await expect(new VMStateMigrator(conn).save()).rejects.toThrow(message);
    expect(await lines(a, 'idA', 'save')).toEqual([]);
    expect(await lines(bad, id, 'save')).toEqual([]);
  });
});
