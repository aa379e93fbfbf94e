/**
 * dbus-vmstate numbers (issue 4), each a median of a few runs; ours and the anchor run
 * alternately so that noise from other work on the machine hits both alike.
 * - qemu-8x1MiB: QEMU 7.2 migrates 8 helpers x 1 MiB; helpers on our skeleton vs the same
 *   helpers in Python GDBus; query-migrate total-time. Goal ours/anchor <= 1.5.
 * - migrator-8x1MiB, migrator-64x64KiB: our migrator's save vs QEMU's migration (total-time)
 *   of the same helpers (ours, in a child process). Goal <= 0.5.
 */
import { join } from 'node:path';
import { connect } from '../../runtime/index.js';
import type { PrivateBus } from '../../runtime/private-bus.js';
import { VMStateMigrator } from '../../vmstate/migrator.js';
import { hasQemu, QemuVm, qemuSkipReason } from '../support/qemu.js';
import {
  type HelperProcess,
  startGDBusHelper,
  startNodeHelpers,
} from '../support/vmstate-helpers.js';
import { benchLine, median } from './format.js';
import { startBus, timedSave } from './vmstate-support.js';

const MiB = 1024 * 1024;

/** QEMU migrates the bus's helpers to a file; returns query-migrate total-time (ms). */
async function qemuTotalTime(bus: PrivateBus): Promise<number> {
  const vm = await QemuVm.start({ busAddress: bus.address });
  try {
    const r = await vm.migrate(`exec:cat > ${join(bus.dir, 'mig.stream')}`);
    if (r.status !== 'completed' || r.totalTime === undefined) {
      throw new Error(`QEMU migration ${r.status}: ${r.errorDesc ?? vm.stderr}`);
    }
    // QEMU completes even when a Save failed; a number from such a run would be a lie.
    if (/Failed|Too large/.test(vm.stderr)) throw new Error(`QEMU: ${vm.stderr.trim()}`);
    return r.totalTime;
  } finally {
    await vm.stop();
  }
}

function ids(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `helper-${String(i).padStart(2, '0')}`);
}

/** Runs a and b alternately (after one warm-up each); returns both medians. */
async function alternate(
  runs: number,
  a: () => Promise<number>,
  b: () => Promise<number>,
): Promise<[number, number]> {
  await a();
  await b();
  const ta: number[] = [];
  const tb: number[] = [];
  for (let i = 0; i < runs; i++) {
    ta.push(await a());
    tb.push(await b());
  }
  return [median(ta), median(tb)];
}

async function qemuWithHelpers(runs: number): Promise<void> {
  const n = 8;
  const [ourBus, gBus] = await Promise.all([startBus(), startBus()]);
  const procs: HelperProcess[] = [];
  try {
    procs.push(
      await startNodeHelpers(
        ourBus.address,
        ids(n).map((id) => `${id}:${MiB}`),
      ),
    );
    procs.push(...(await Promise.all(ids(n).map((id) => startGDBusHelper(gBus.address, id, MiB)))));
    const [ours, anchor] = await alternate(
      runs,
      () => qemuTotalTime(ourBus),
      () => qemuTotalTime(gBus),
    );
    benchLine(
      'qemu-8x1MiB',
      ours,
      anchor,
      'ms',
      1.5,
      'QEMU total-time: helpers on our skeleton vs Python GDBus',
    );
  } finally {
    await Promise.all(procs.map((p) => p.stop()));
    await Promise.all([ourBus.stop(), gBus.stop()]);
  }
}

async function migratorVsQemu(name: string, n: number, size: number, runs: number): Promise<void> {
  const bus = await startBus();
  const proc = await startNodeHelpers(
    bus.address,
    ids(n).map((id) => `${id}:${size}`),
  );
  const conn = await connect(bus.address);
  try {
    const m = new VMStateMigrator(conn);
    const ours = (): Promise<number> => timedSave(m, n);
    const [o, a] = await alternate(runs, ours, () => qemuTotalTime(bus));
    benchLine(name, o, a, 'ms', 0.5, 'our save() vs QEMU total-time, same helpers');
  } finally {
    await conn.close();
    await proc.stop();
    await bus.stop();
  }
}

export async function run(quick: boolean): Promise<void> {
  if (!hasQemu) {
    console.log(`# vmstate bench skipped: ${qemuSkipReason}`);
    return;
  }
  const runs = quick ? 5 : 11;
  await qemuWithHelpers(runs);
  await migratorVsQemu('migrator-8x1MiB', 8, MiB, runs);
  await migratorVsQemu('migrator-64x64KiB', 64, 64 * 1024, runs);
}
