/**
 * Every fault of issue 4, against our migrator: each fails with an error naming the helper,
 * and a bad blob loads nothing into any helper.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Connection, connect, DBusError } from '../../runtime/index.js';
import { PrivateBus } from '../../runtime/private-bus.js';
import { encodeBlob } from '../../vmstate/blob.js';
import { VMStateError } from '../../vmstate/errors.js';
import { VMStateErrorNames } from '../../vmstate/helper.js';
import { VMStateMigrator } from '../../vmstate/migrator.js';
import { u32 } from '../support/blob-bytes.js';
import {
  type HelperProcess,
  qtestData,
  startNodeHelpers,
  startRawHelper,
  startTestHelper,
  stopAll,
  type TestHelper,
} from '../support/vmstate-helpers.js';

let bus: PrivateBus;
let conn: Connection;
let m: VMStateMigrator;
let stops: { stop(): Promise<void> }[];

beforeEach(async () => {
  bus = await PrivateBus.start();
  conn = await connect(bus.address);
  m = new VMStateMigrator(conn, { timeoutMs: 3000 });
  stops = [];
});
afterEach(async () => {
  await stopAll(stops);
  await conn.close();
  await bus.stop();
});

async function helper(id: string, opts = {}): Promise<TestHelper> {
  const h = await startTestHelper(bus.address, id, qtestData(id), opts);
  stops.push(h);
  return h;
}
async function raw(id: string, save: () => Uint8Array = () => qtestData(id)) {
  const h = await startRawHelper(bus.address, id, save);
  stops.push(h);
  return h;
}
async function failure(p: Promise<unknown>): Promise<VMStateError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(VMStateError);
    return err as VMStateError;
  }
  throw new Error('expected a VMStateError');
}
/** Resolves once `cond` holds (in-process helpers' counters), failing after `ms`. */
async function untilLoaded(cond: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('idA and idB did not load');
    await new Promise((r) => setImmediate(r));
  }
}

describe('save faults fail the whole save, naming the helper', () => {
  it('helper never replies: timeout', async () => {
    await helper('idA');
    const b = await helper('idB', { save: () => new Promise<Uint8Array>(() => {}) });
    const started = Date.now();
    const err = await failure(m.save({ timeoutMs: 300 }));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(err.code).toBe('timeout');
    expect(err.message).toBe(
      `helper "idB" (${b.connection.uniqueName}): Save got no reply within 300 ms`,
    );
  });

  it('helper process exits in the middle of its Save', async () => {
    await helper('idA');
    const proc: HelperProcess = await startNodeHelpers(bus.address, ['idB:10:exit-on-save']);
    stops.push(proc);
    const err = await failure(m.save());
    expect(err.code).toBe('call-failed');
    expect(err.helperId).toBe('idB');
    expect(err.message).toMatch(/^helper "idB" \(:1\.\d+\) left the bus during Save/);
  });

  it('Save throws', async () => {
    await helper('idA');
    await helper('idB', {
      save: () => {
        throw new DBusError(VMStateErrorNames.SaveFailed, 'disk on fire');
      },
    });
    const err = await failure(m.save());
    expect(err.message).toMatch(
      /^helper "idB" \(:1\.\d+\): Save failed: .*SaveFailed.*disk on fire/,
    );
  });

  it('Save throws a plain error: the migrator is told, but not its text (no paths leak)', async () => {
    await helper('idA');
    await helper('idB', {
      save: async () => {
        const { readFile } = await import('node:fs/promises');
        return readFile('/nonexistent/secret-dir/state.bin');
      },
    });
    const err = await failure(m.save());
    expect(err.message).toMatch(/^helper "idB" \(:1\.\d+\): Save failed: .*SaveFailed.*\(ENOENT\)/);
    expect(err.message).not.toMatch(/secret-dir|state\.bin|at .*:\d+/);
  });

  it('Save returns 1 MiB + 1 (a helper without our checks)', async () => {
    await helper('idA');
    await raw('idB', () => new Uint8Array(1024 * 1024 + 1));
    const err = await failure(m.save());
    expect(err.code).toBe('too-large');
    expect(err.message).toMatch(
      /^helper "idB" \(:1\.\d+\): Save returned 1048577 bytes \(at most 1048576\)$/,
    );
  });

  it('duplicate Id', async () => {
    const a = await helper('idA');
    const a2 = await raw('idA');
    const err = await failure(m.save());
    expect(err.code).toBe('duplicate-id');
    expect(err.message).toBe(
      `Duplicated VMState Id "idA": helpers ${a.connection.uniqueName} and ${a2.connection.uniqueName}`,
    );
  });

  it.each([
    ['x'.repeat(256), /is invalid: it is 256 bytes long \(at most 255\)/],
    ['', /VMState Id "" is invalid: it is empty/],
  ])('invalid Id %#', async (id, message) => {
    await helper('idA');
    const bad = await raw(id);
    const err = await failure(m.save());
    expect(err.code).toBe('invalid-id');
    expect(err.busName).toBe(bad.connection.uniqueName);
    expect(err.message).toMatch(message);
  });

  it('listed Id missing: one error naming all missing Ids', async () => {
    const a = await helper('idA');
    const err = await failure(m.save({ idList: ['idA', 'idC', 'idD'] }));
    expect(err.code).toBe('missing-id');
    expect(err.message).toBe('Required VMState Id are missing: "idC", "idD"');
    expect(a.saves).toBe(0);
  });

  it('helper vanishes between the listing and its Save', async () => {
    let b: TestHelper | undefined;
    // Sorted by Id and one call at a time: idA's Save runs (and makes idB leave) before idB's.
    await helper('idA', {
      save: async (h: TestHelper) => {
        await b!.connection.close();
        return h.data;
      },
    });
    b = await helper('idB');
    const busName = b.connection.uniqueName;
    const err = await failure(m.save({ concurrency: 1 }));
    expect(err.helperId).toBe('idB');
    expect(err.message).toMatch(
      new RegExp(`^helper "idB" \\(${busName.replace('.', '\\.')}\\) left the bus`),
    );
  });
});

describe('load faults', () => {
  let a: TestHelper;
  let b: TestHelper;
  beforeEach(async () => {
    a = await helper('idA');
    b = await helper('idB');
  });
  const good = (): Buffer =>
    encodeBlob([
      { id: 'idA', data: Buffer.from('new A') },
      { id: 'idB', data: Buffer.from('new B') },
    ]);

  it('Load throws on one helper: the error names it', async () => {
    stops.push(
      await startTestHelper(bus.address, 'idC', Buffer.alloc(0), {
        load: () => {
          throw new DBusError(VMStateErrorNames.LoadFailed, 'refusing state');
        },
      }),
    );
    const blob = encodeBlob([{ id: 'idC', data: Buffer.from('x') }]);
    const err = await failure(m.load(blob));
    expect(err.message).toMatch(
      /^helper "idC" \(:1\.\d+\): Load failed: .*LoadFailed.*refusing state/,
    );
  });

  it('Load throws on one helper, with rollback: the helpers loaded before get their state back', async () => {
    const c = await startTestHelper(bus.address, 'idC', Buffer.from('old C'), {
      load: async () => {
        // Fail only once idA and idB have loaded, so there is something to roll back.
        await untilLoaded(() => a.loads >= 1 && b.loads >= 1);
        throw new DBusError(VMStateErrorNames.LoadFailed, 'refusing state');
      },
    });
    stops.push(c);
    const blob = encodeBlob([
      { id: 'idA', data: Buffer.from('new A') },
      { id: 'idB', data: Buffer.from('new B') },
      { id: 'idC', data: Buffer.from('new C') },
    ]);
    const err = await failure(m.load(blob, { rollback: true }));
    expect(err.helperId).toBe('idC');
    expect(err.message).toMatch(
      /^helper "idC" \(:1\.\d+\): Load failed: .*refusing state; rolled back "idA", "idB"$/,
    );
    expect([a.loads, b.loads]).toEqual([2, 2]);
    expect(a.data.equals(qtestData('idA'))).toBe(true);
    expect(b.data.equals(qtestData('idB'))).toBe(true);
    expect(c.data.toString()).toBe('old C');
  });

  it('rollback snapshot fails: nothing is loaded', async () => {
    stops.push(
      await startTestHelper(bus.address, 'idC', Buffer.alloc(0), {
        save: () => {
          throw new DBusError(VMStateErrorNames.SaveFailed, 'no state yet');
        },
      }),
    );
    const blob = encodeBlob([
      { id: 'idA', data: Buffer.from('new A') },
      { id: 'idC', data: Buffer.from('new C') },
    ]);
    const err = await failure(m.load(blob, { rollback: true }));
    expect(err.message).toMatch(
      /^helper "idC" \(:1\.\d+\): Save \(rollback snapshot\) failed: .*no state yet/,
    );
    expect(a.loads).toBe(0);
  });

  it.each<[string, () => Buffer, RegExp]>([
    [
      'truncated blob',
      () => good().subarray(0, 18),
      /blob truncated: the data of "idA" needs 5 bytes, 3 left \(at byte 15\)/,
    ],
    [
      'count larger than entries',
      () => Buffer.concat([u32(3), good().subarray(4)]),
      /entry 3 of 3/,
    ],
    [
      'data length past the end',
      () => Buffer.concat([u32(1), u32(3), Buffer.from('idA'), u32(99), Buffer.from('x')]),
      /data of "idA" needs 99 bytes, 1 left/,
    ],
    [
      'unknown Id in the blob',
      () =>
        encodeBlob([
          { id: 'idA', data: Buffer.from('x') },
          { id: 'idZ', data: Buffer.from('z') },
        ]),
      /blob entries without a helper on this bus: "idZ"/,
    ],
    [
      'duplicate Id in the blob',
      () =>
        Buffer.concat([
          u32(2),
          u32(3),
          Buffer.from('idA'),
          u32(0),
          u32(3),
          Buffer.from('idA'),
          u32(0),
        ]),
      /Duplicated VMState Id "idA"/,
    ],
  ])('%s: refused before any Load', async (_name, blob, message) => {
    const err = await failure(m.load(blob()));
    expect(err.message).toMatch(message);
    expect([a.loads, b.loads]).toEqual([0, 0]);
    expect(a.data.equals(qtestData('idA'))).toBe(true);
  });

  it('id length 256: refused before any Load', async () => {
    const blob = Buffer.concat([
      u32(2),
      u32(3),
      Buffer.from('idA'),
      u32(1),
      Buffer.from('x'),
      u32(256),
      Buffer.alloc(300),
    ]);
    const err = await failure(m.load(blob));
    expect(err.message).toMatch(/entry 2 of 2: id length 256 \(must be 1..255\)/);
    expect([a.loads, b.loads]).toEqual([0, 0]);
  });

  it('a listed Id missing on the destination: nothing loaded', async () => {
    const err = await failure(m.load(good(), { idList: ['idA', 'idB', 'idC'] }));
    expect(err.message).toBe('Required VMState Id are missing: "idC"');
    expect([a.loads, b.loads]).toEqual([0, 0]);
  });

  it('QEMU zero padding after the entries is accepted', async () => {
    await m.load(Buffer.concat([good(), Buffer.alloc(21)]));
    expect([a.data.toString(), b.data.toString()]).toEqual(['new A', 'new B']);
  });
});
