/**
 * QEMU's own dbus-vmstate qtest scenarios (tests/qtest/dbus-vmstate-test.c), with QEMU 7.2
 * as the migrator on both ends and the helpers written with our skeleton: two helpers, idA
 * and idB, 10 bytes each with a NUL, on a private source bus and a private destination bus.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PrivateBus } from '../../runtime/private-bus.js';
import { hasQemu, QemuVm, qemuSkipReason } from '../support/qemu.js';
import {
  qtestData,
  startTestHelper,
  stopAll,
  type TestHelper,
} from '../support/vmstate-helpers.js';

if (!hasQemu) console.log(`skipping QEMU dbus-vmstate interop: ${qemuSkipReason}`);

interface Scenario {
  readonly idList?: readonly string[];
  readonly withoutDstB?: boolean;
  readonly migrateFail?: boolean;
}

describe.skipIf(!hasQemu)('QEMU 7.2 qtest scenarios, helpers on our skeleton', () => {
  let src: PrivateBus;
  let dst: PrivateBus;
  let helpers: TestHelper[];
  let vms: QemuVm[];

  beforeEach(async () => {
    [src, dst] = await Promise.all([PrivateBus.start(), PrivateBus.start()]);
    helpers = [];
    vms = [];
  });
  afterEach(async () => {
    await Promise.all(vms.map((v) => v.stop()));
    await stopAll(helpers);
    await Promise.all([src.stop(), dst.stop()]);
  });

  async function run(s: Scenario) {
    const h = async (bus: PrivateBus, id: string, data: Buffer) => {
      const t = await startTestHelper(bus.address, id, data);
      helpers.push(t);
      return t;
    };
    const srcA = await h(src, 'idA', qtestData('idA'));
    const srcB = await h(src, 'idB', qtestData('idB'));
    const dstA = await h(dst, 'idA', Buffer.alloc(0));
    const dstB = s.withoutDstB ? undefined : await h(dst, 'idB', Buffer.alloc(0));
    const migSock = join(dst.dir, 'mig.sock');
    const idList = s.idList === undefined ? {} : { idList: s.idList };
    const dstVm = await QemuVm.start({
      busAddress: dst.address,
      incoming: `unix:${migSock}`,
      ...idList,
    });
    vms.push(dstVm);
    const srcVm = await QemuVm.start({ busAddress: src.address, ...idList });
    vms.push(srcVm);
    const srcResult = await srcVm.migrate(`unix:${migSock}`);
    // Without a return path the source may say "completed" while the destination fails:
    // the destination is what tells.
    const dstResult =
      srcResult.status === 'completed' ? await dstVm.waitMigration() : { status: 'not started' };
    return { srcA, srcB, dstA, dstB, srcResult, dstResult, srcVm, dstVm };
  }

  it('1. without id-list: both helpers migrate', async () => {
    const r = await run({});
    expect(r.srcResult.status).toBe('completed');
    expect(r.dstResult.status).toBe('completed');
    expect([r.srcA.saves, r.srcA.loads, r.srcB.saves, r.srcB.loads]).toEqual([1, 0, 1, 0]);
    expect([r.dstA.saves, r.dstA.loads, r.dstB!.saves, r.dstB!.loads]).toEqual([0, 1, 0, 1]);
    expect(r.dstA.data.equals(qtestData('idA'))).toBe(true);
    expect(r.dstB!.data.equals(qtestData('idB'))).toBe(true);
  });

  it('2. id-list idA,idB: both helpers migrate', async () => {
    const r = await run({ idList: ['idA', 'idB'] });
    expect(r.dstResult.status).toBe('completed');
    expect([r.srcA.saves, r.srcB.saves, r.dstA.loads, r.dstB!.loads]).toEqual([1, 1, 1, 1]);
    expect([r.srcA.loads, r.srcB.loads, r.dstA.saves, r.dstB!.saves]).toEqual([0, 0, 0, 0]);
    expect(r.dstB!.data.equals(qtestData('idB'))).toBe(true);
  });

  it('3. id-list idA: A migrates, B is neither saved nor loaded', async () => {
    const r = await run({ idList: ['idA'] });
    expect(r.dstResult.status).toBe('completed');
    expect([r.srcA.saves, r.dstA.loads]).toEqual([1, 1]);
    expect([r.srcB.saves, r.srcB.loads, r.dstB!.saves, r.dstB!.loads]).toEqual([0, 0, 0, 0]);
    expect(r.dstA.data.equals(qtestData('idA'))).toBe(true);
    expect(r.dstB!.data.length).toBe(0);
  });

  it('4. id-list idA,idC (idC absent on the source): fails, nothing saved or loaded', async () => {
    const r = await run({ idList: ['idA', 'idC'], migrateFail: true });
    expect(r.srcResult.status).toBe('failed');
    expect(r.srcVm.stderr + (r.srcResult.errorDesc ?? '')).toMatch(
      /Required VMState Id are missing: idC/,
    );
    expect(helpers.map((h) => h.saves + h.loads)).toEqual([0, 0, 0, 0]);
  });

  it('5. id-list idA,idB with idB absent on the destination: fails, both were saved', async () => {
    const r = await run({ idList: ['idA', 'idB'], withoutDstB: true, migrateFail: true });
    console.log(`scenario 5: source ${r.srcResult.status}, destination ${r.dstResult.status}`);
    expect(r.dstResult.status).not.toBe('completed');
    expect(r.dstVm.stderr).toMatch(/Required VMState Id are missing: idB/);
    expect([r.srcA.saves, r.srcB.saves]).toEqual([1, 1]);
    expect(r.dstA.loads).toBe(0);
  });
});
