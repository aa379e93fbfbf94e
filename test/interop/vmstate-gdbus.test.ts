/**
 * Our migrator with helpers written in Python GDBus (an independent implementation of the
 * helper side, like QEMU's own test helpers): save, load, and the Ids QEMU refuses.
 */
import { execFileSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Connection, connect } from '../../runtime/index.js';
import { PrivateBus } from '../../runtime/private-bus.js';
import { decodeBlob, encodeBlob } from '../../runtime/vmstate/blob.js';
import { VMStateMigrator } from '../../runtime/vmstate/migrator.js';
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
  const lines = async (p: HelperProcess, prefix: string) => {
    await new Promise((r) => setTimeout(r, 50)); // stdout of the child arrives a little later
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
    expect(await lines(b, 'load')).toEqual(['load 8']);
    expect(await lines(a, 'load')).toEqual([]);
    expect(decodeBlob(await m.save({ idList: ['idB'] }))[0]!.data.toString()).toBe('restored');
  });

  it.each([
    ['', /VMState Id "" is invalid: it is empty/],
    ['x'.repeat(256), /is invalid: it is 256 bytes long/],
  ])('refuses a GDBus helper with Id %#, naming it, before any Save', async (id, message) => {
    const a = await helper('idA', 10);
    const bad = await helper(id, 10);
    await expect(new VMStateMigrator(conn).save()).rejects.toThrow(message);
    expect(await lines(a, 'save')).toEqual([]);
    expect(await lines(bad, 'save')).toEqual([]);
  });
});
