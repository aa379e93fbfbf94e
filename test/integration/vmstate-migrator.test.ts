import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Connection, connect, DBusError } from '../../runtime/index.js';
import { PrivateBus } from '../../runtime/private-bus.js';
import { decodeBlob, encodeBlob } from '../../vmstate/blob.js';
import { serveVMState, VMStateErrorNames } from '../../vmstate/helper.js';
import { VMStateMigrator } from '../../vmstate/migrator.js';
import {
  qtestData,
  startTestHelper,
  stopAll,
  type TestHelper,
} from '../support/vmstate-helpers.js';

let src: PrivateBus;
let dst: PrivateBus;
let conns: Connection[];
let helpers: TestHelper[];

beforeEach(async () => {
  [src, dst] = await Promise.all([PrivateBus.start(), PrivateBus.start()]);
  conns = [];
  helpers = [];
});
afterEach(async () => {
  await stopAll(helpers);
  await Promise.all(conns.map((c) => c.close().catch(() => {})));
  await Promise.all([src.stop(), dst.stop()]);
});

async function migratorOn(bus: PrivateBus): Promise<VMStateMigrator> {
  const c = await connect(bus.address);
  conns.push(c);
  return new VMStateMigrator(c, { timeoutMs: 5000 });
}
async function helper(
  bus: PrivateBus,
  id: string,
  data = qtestData(id),
  opts = {},
): Promise<TestHelper> {
  const h = await startTestHelper(bus.address, id, data, opts);
  helpers.push(h);
  return h;
}

describe('serveVMState + VMStateMigrator', () => {
  it('migrates two helpers: Save on source, Load on destination, data with NULs intact', async () => {
    const [a, b] = [await helper(src, 'idA'), await helper(src, 'idB')];
    const [a2, b2] = [
      await helper(dst, 'idA', Buffer.alloc(0)),
      await helper(dst, 'idB', Buffer.alloc(0)),
    ];
    const blob = await (await migratorOn(src)).save();
    expect(decodeBlob(blob).map((e) => e.id)).toEqual(['idA', 'idB']);
    expect(
      blob.equals(
        encodeBlob([
          { id: 'idB', data: qtestData('idB') },
          { id: 'idA', data: qtestData('idA') },
        ]),
      ),
    ).toBe(true);
    const report = await (await migratorOn(dst)).load(blob);
    expect(report.map((r) => [r.id, r.bytes])).toEqual([
      ['idA', 10],
      ['idB', 10],
    ]);
    expect(a2.data.equals(qtestData('idA'))).toBe(true);
    expect(b2.data.equals(qtestData('idB'))).toBe(true);
    expect([a.saves, a.loads, b.saves, b.loads, a2.saves, a2.loads, b2.saves, b2.loads]).toEqual([
      1, 0, 1, 0, 0, 1, 0, 1,
    ]);
  });

  it('queues every helper for the one name: first is primary owner, the rest queued', async () => {
    const a = await helper(src, 'idA');
    const b = await helper(src, 'idB');
    expect(a.helper.primaryOwner).toBe(true);
    expect(b.helper.primaryOwner).toBe(false);
    const list = await (await migratorOn(src)).listHelpers();
    expect(list).toEqual([
      { id: 'idA', busName: a.connection.uniqueName },
      { id: 'idB', busName: b.connection.uniqueName },
    ]);
  });

  it('lists no helpers on an empty bus, and saves an empty blob', async () => {
    const m = await migratorOn(src);
    expect(await m.listHelpers()).toEqual([]);
    expect((await m.save()).toString('hex')).toBe('00000000');
  });

  it('honours an id-list: unlisted helpers are neither saved nor loaded', async () => {
    const [a, b] = [await helper(src, 'idA'), await helper(src, 'idB')];
    const [a2, b2] = [
      await helper(dst, 'idA', Buffer.alloc(0)),
      await helper(dst, 'idB', Buffer.alloc(0)),
    ];
    const blob = await (await migratorOn(src)).save({ idList: ['idA'] });
    expect(decodeBlob(blob).map((e) => e.id)).toEqual(['idA']);
    await (await migratorOn(dst)).load(blob, { idList: ['idA'] });
    expect([a.saves, b.saves, a2.loads, b2.loads]).toEqual([1, 0, 1, 0]);
  });

  it('releases the name on stop, so the helper disappears from the list', async () => {
    const a = await helper(src, 'idA');
    await helper(src, 'idB');
    const m = await migratorOn(src);
    await a.helper.stop();
    expect((await m.listHelpers()).map((h) => h.id)).toEqual(['idB']);
  });

  it('saves 8 helpers of 1 MiB concurrently, and loads them back', async () => {
    const ids = Array.from({ length: 8 }, (_, i) => `h${i}`);
    for (const id of ids) await helper(src, id, Buffer.alloc(1024 * 1024, id.charCodeAt(1)));
    const dsts = [];
    for (const id of ids) dsts.push(await helper(dst, id, Buffer.alloc(0)));
    const { blob, helpers: rep } = await (await migratorOn(src)).saveWithReport({ concurrency: 4 });
    expect(rep.every((r) => r.bytes === 1024 * 1024)).toBe(true);
    await (await migratorOn(dst)).load(blob);
    for (const d of dsts)
      expect(d.data.equals(Buffer.alloc(1024 * 1024, d.id.charCodeAt(1)))).toBe(true);
  });
});

describe('incoming mode', () => {
  it('resolves after a successful Load; Save before and after does not stop the helper', async () => {
    const h = await helper(dst, 'idA', Buffer.from('old'), { incoming: true });
    let resolved = false;
    h.helper.incoming!.then(() => {
      resolved = true;
    });
    const m = await migratorOn(dst);
    const before = await m.save();
    expect(decodeBlob(before)[0]!.data.toString()).toBe('old');
    expect(resolved).toBe(false);
    await m.load(encodeBlob([{ id: 'idA', data: Buffer.from('new') }]));
    expect((await h.helper.incoming!).toString()).toBe('new');
    expect(decodeBlob(await m.save())[0]!.data.toString()).toBe('new');
    expect(h.helper.calls).toEqual({ save: 2, load: 1 });
  });

  it('does not resolve on a failed Load, and rejects if stopped before Load', async () => {
    let fail = true;
    const h = await helper(dst, 'idA', Buffer.alloc(0), {
      incoming: true,
      load: () => {
        if (fail) throw new DBusError(VMStateErrorNames.LoadFailed, 'not yet');
      },
    });
    const m = await migratorOn(dst);
    await expect(m.load(encodeBlob([{ id: 'idA', data: Buffer.from('x') }]))).rejects.toThrow(
      /helper "idA".*not yet/,
    );
    fail = false;
    await m.load(encodeBlob([{ id: 'idA', data: Buffer.from('y') }]));
    expect((await h.helper.incoming!).toString()).toBe('y');

    const c = await connect(dst.address);
    conns.push(c);
    const waiting = await serveVMState(c, {
      id: 'idW',
      incoming: true,
      save: () => Buffer.alloc(0),
      load: () => {},
    });
    await waiting.stop();
    await expect(waiting.incoming!).rejects.toThrow('helper "idW" stopped before its Load arrived');
  });
});

describe('serveVMState refuses what QEMU would refuse, before replying', () => {
  it.each([
    ['', /is empty/],
    ['x'.repeat(256), /256 bytes long/],
  ])('Id %j', async (id, message) => {
    const c = await connect(src.address);
    conns.push(c);
    await expect(
      serveVMState(c, { id, save: () => Buffer.alloc(0), load: () => {} }),
    ).rejects.toThrow(message);
  });

  it('Save over 1 MiB: the caller gets a D-Bus error naming the helper', async () => {
    await helper(src, 'big', Buffer.alloc(1024 * 1024 + 1));
    await expect((await migratorOn(src)).save()).rejects.toThrow(
      /helper "big" \(:1\.\d+\): Save failed: .*LimitsExceeded.*1048577 bytes \(at most 1048576\)/,
    );
  });
});

describe('one helper per connection', () => {
  it('a second helper on the same connection is refused', async () => {
    const c = await connect(src.address);
    conns.push(c);
    const first = await serveVMState(c, { id: 'one', save: () => Buffer.alloc(0), load: () => {} });
    await expect(
      serveVMState(c, { id: 'two', save: () => Buffer.alloc(0), load: () => {} }),
    ).rejects.toThrow(/helper "two": .*use one connection per helper/);
    await first.stop();
  });
});
