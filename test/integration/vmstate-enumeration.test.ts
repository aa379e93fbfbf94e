/**
 * Finding and serving helpers over a real private dbus-daemon: enumeration edge cases
 * (missing Id, a connection queued twice, id-list oddities), the concurrency bound counted
 * in flight, and serveVMState start/stop edges.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DBusProxy } from '../../generated/org.freedesktop.DBus.js';
import { VMState1Proxy } from '../../generated/org.qemu.VMState1.js';
import { type Connection, connect } from '../../runtime/index.js';
import { PrivateBus } from '../../runtime/private-bus.js';
import { decodeBlob } from '../../vmstate/blob.js';
import { VMStateError } from '../../vmstate/errors.js';
import { serveVMState, VMSTATE_BUS_NAME, VMSTATE_PATH } from '../../vmstate/helper.js';
import { VMStateMigrator } from '../../vmstate/migrator.js';

let bus: PrivateBus;
let conns: Connection[];

beforeEach(async () => {
  bus = await PrivateBus.start();
  conns = [];
});
afterEach(async () => {
  await Promise.all(conns.map((c) => c.close().catch(() => {})));
  await bus.stop();
});

async function conn(): Promise<Connection> {
  const c = await connect(bus.address);
  conns.push(c);
  return c;
}
const driver = (c: Connection) => new DBusProxy(c, 'org.freedesktop.DBus', '/org/freedesktop/DBus');

async function errorOf(p: Promise<unknown>): Promise<VMStateError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(VMStateError);
  return err as VMStateError;
}

describe('enumeration', () => {
  it('a name owner without the VMState1 object (no Id property) fails, naming its bus name', async () => {
    await serveVMState(await conn(), { id: 'idA', save: () => Buffer.alloc(0), load: () => {} });
    const bare = await conn();
    expect(await driver(bare).requestName(VMSTATE_BUS_NAME, 0)).toBe(2);
    const err = await errorOf(new VMStateMigrator(await conn(), { timeoutMs: 3000 }).save());
    expect(err.code).toBe('no-id');
    expect(err.busName).toBe(bare.uniqueName);
    expect(err.message).toContain(bare.uniqueName);
  });

  it('a connection that requests the name twice is listed once', async () => {
    const c = await conn();
    await serveVMState(c, { id: 'idA', save: () => Buffer.from('a'), load: () => {} });
    const q = await conn();
    await serveVMState(q, { id: 'idB', save: () => Buffer.from('b'), load: () => {} });
    // Again, from the primary owner and from the queued one.
    expect(await driver(c).requestName(VMSTATE_BUS_NAME, 0)).toBe(4);
    expect(await driver(q).requestName(VMSTATE_BUS_NAME, 0)).toBe(2);
    const m = new VMStateMigrator(await conn());
    expect((await m.listHelpers()).map((h) => h.id)).toEqual(['idA', 'idB']);
  });

  it('an id-list with duplicates is one requirement; an empty or 256-byte Id in it is invalid', async () => {
    await serveVMState(await conn(), { id: 'idA', save: () => Buffer.alloc(0), load: () => {} });
    const m = new VMStateMigrator(await conn());
    expect((await m.listHelpers({ idList: ['idA', 'idA'] })).map((h) => h.id)).toEqual(['idA']);
    for (const bad of ['', 'x'.repeat(256)]) {
      const err = await errorOf(m.listHelpers({ idList: ['idA', bad] }));
      expect(err.code).toBe('invalid-id');
      expect(err.message).toMatch(/id list/);
    }
  });

  it('concurrency bounds the Save calls actually in flight', async () => {
    let inFlight = 0;
    let most = 0;
    for (let i = 0; i < 6; i++) {
      await serveVMState(await conn(), {
        id: `h${i}`,
        save: async () => {
          inFlight++;
          most = Math.max(most, inFlight);
          await new Promise((r) => setTimeout(r, 40));
          inFlight--;
          return Buffer.from([i]);
        },
        load: () => {},
      });
    }
    const m = new VMStateMigrator(await conn(), { concurrency: 2 });
    expect(decodeBlob(await m.save())).toHaveLength(6);
    expect(most).toBe(2);
    most = 0;
    await m.save({ concurrency: 1 });
    expect(most).toBe(1);
  });
});

describe('serveVMState edges', () => {
  it('an Id of 0 or 256 bytes is refused before anything is exported or requested', async () => {
    const c = await conn();
    for (const id of ['', 'é'.repeat(128)]) {
      const err = await errorOf(
        serveVMState(c, { id, save: () => Buffer.alloc(0), load: () => {} }),
      );
      expect(err.code).toBe('invalid-id');
    }
    const other = await conn();
    expect(await driver(other).nameHasOwner(VMSTATE_BUS_NAME)).toBe(false);
    await expect(new VMState1Proxy(other, c.uniqueName, VMSTATE_PATH).get('id')).rejects.toThrow();
    // And the path is still free: a valid helper can start on that connection.
    const h = await serveVMState(c, { id: 'ok', save: () => Buffer.alloc(0), load: () => {} });
    expect(h.primaryOwner).toBe(true);
  });

  it('stop twice releases the name and unexports; the connection can serve again', async () => {
    const c = await conn();
    const h = await serveVMState(c, { id: 'one', save: () => Buffer.alloc(0), load: () => {} });
    await h.stop();
    await h.stop();
    const other = await conn();
    expect(await driver(other).nameHasOwner(VMSTATE_BUS_NAME)).toBe(false);
    await expect(new VMState1Proxy(other, c.uniqueName, VMSTATE_PATH).get('id')).rejects.toThrow();
    const h2 = await serveVMState(c, { id: 'two', save: () => Buffer.alloc(0), load: () => {} });
    expect((await new VMStateMigrator(other).listHelpers()).map((x) => x.id)).toEqual(['two']);
    await h2.stop();
  });
});
