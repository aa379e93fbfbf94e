/**
 * `npm run demo`: migrate dbus-vmstate helpers between two private buses.
 *
 * 1. Starts a source and a destination dbus-daemon (private, one per "VM").
 * 2. Serves two helpers on each bus with serveVMState (the destination's in incoming mode).
 * 3. Saves on the source with our migrator, loads on the destination, prints a table
 *    (Id, bytes, save ms, load ms) and checks that every byte arrived.
 * 4. When qemu-system-x86_64 is on PATH, does the same with QEMU as the migrator
 *    (a source QEMU migrating to a destination QEMU started with -incoming).
 * Exits 1 if any check fails.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { type Connection, connect } from '../runtime/index.js';
import { PrivateBus } from '../runtime/private-bus.js';
import { hasQemu, QemuVm, qemuSkipReason } from '../test/support/qemu.js';
import { serveVMState, type VMStateHelper } from '../vmstate/helper.js';
import { VMStateMigrator } from '../vmstate/migrator.js';

const HELPERS = [
  { id: 'net0-vhost-user', bytes: 64 * 1024 },
  { id: 'swtpm', bytes: 1024 * 1024 },
] as const;

interface DemoHelper {
  readonly id: string;
  data: Buffer;
  readonly helper: VMStateHelper;
  readonly connection: Connection;
}

/** One helper per connection, as separate helper processes would have. */
async function startHelpers(
  bus: PrivateBus,
  withData: boolean,
  incoming: boolean,
): Promise<DemoHelper[]> {
  const out: DemoHelper[] = [];
  for (const spec of HELPERS) {
    const connection = await connect(bus.address);
    const h = {
      id: spec.id,
      data: withData ? randomBytes(spec.bytes) : Buffer.alloc(0),
      connection,
    } as DemoHelper;
    const helper = await serveVMState(connection, {
      id: spec.id,
      incoming,
      save: () => h.data,
      load: (d) => {
        h.data = Buffer.from(d);
      },
    });
    out.push(Object.assign(h, { helper }));
  }
  return out;
}

async function stopHelpers(helpers: readonly DemoHelper[]): Promise<void> {
  for (const h of helpers) {
    await h.helper.stop();
    await h.connection.close();
  }
}

function table(rows: readonly (readonly string[])[]): void {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  for (const r of rows)
    console.log(`  ${r.map((cell, c) => cell.padEnd(widths[c]!)).join('  ')}`.trimEnd());
}

function check(src: readonly DemoHelper[], dst: readonly DemoHelper[]): boolean {
  let ok = true;
  for (const [i, s] of src.entries()) {
    const same = dst[i]!.data.equals(s.data);
    ok &&= same;
    console.log(
      `  ${same ? 'ok  ' : 'FAIL'} ${s.id}: ${dst[i]!.data.length} of ${s.data.length} bytes arrived intact`,
    );
  }
  return ok;
}

async function withBuses<T>(fn: (src: PrivateBus, dst: PrivateBus) => Promise<T>): Promise<T> {
  const [src, dst] = await Promise.all([PrivateBus.start(), PrivateBus.start()]);
  try {
    return await fn(src, dst);
  } finally {
    await Promise.all([src.stop(), dst.stop()]);
  }
}

async function ourMigrator(): Promise<boolean> {
  return withBuses(async (src, dst) => {
    console.log(`source bus      ${src.address}\ndestination bus ${dst.address}`);
    const srcHelpers = await startHelpers(src, true, false);
    const dstHelpers = await startHelpers(dst, false, true);
    const [srcConn, dstConn] = await Promise.all([connect(src.address), connect(dst.address)]);
    try {
      const t0 = performance.now();
      const { blob, helpers: saved } = await new VMStateMigrator(srcConn).saveWithReport();
      const t1 = performance.now();
      const loaded = await new VMStateMigrator(dstConn).load(blob);
      const t2 = performance.now();
      await Promise.all(dstHelpers.map((h) => h.helper.incoming));
      console.log('\nour migrator (concurrent Save, whole blob checked before the first Load):');
      table([
        ['Id', 'bytes', 'save ms', 'load ms'],
        ...saved.map((s) => {
          const l = loaded.find((x) => x.id === s.id)!;
          return [s.id, String(s.bytes), s.ms.toFixed(1), l.ms.toFixed(1)];
        }),
        ['(total)', String(blob.length), (t1 - t0).toFixed(1), (t2 - t1).toFixed(1)],
      ]);
      console.log('  every destination helper resolved its incoming promise');
      return check(srcHelpers, dstHelpers);
    } finally {
      await Promise.all([srcConn.close(), dstConn.close()]);
      await stopHelpers([...srcHelpers, ...dstHelpers]);
    }
  });
}

async function qemuMigrator(): Promise<boolean> {
  return withBuses(async (src, dst) => {
    const srcHelpers = await startHelpers(src, true, false);
    const dstHelpers = await startHelpers(dst, false, true);
    const vms: QemuVm[] = [];
    try {
      const sock = join(dst.dir, 'migration.sock');
      vms.push(await QemuVm.start({ busAddress: dst.address, incoming: `unix:${sock}` }));
      vms.push(await QemuVm.start({ busAddress: src.address }));
      const [dstVm, srcVm] = vms as [QemuVm, QemuVm];
      const r = await srcVm.migrate(`unix:${sock}`);
      const d = await dstVm.waitMigration();
      console.log(`\nQEMU 7.2 as the migrator: source ${r.status}, destination ${d.status}`);
      console.log(`  query-migrate total-time ${r.totalTime} ms, downtime ${r.downtime} ms`);
      table([
        ['Id', 'bytes', 'Save calls', 'Load calls'],
        ...srcHelpers.map((s, i) => [
          s.id,
          String(s.data.length),
          String(s.helper.calls.save),
          String(dstHelpers[i]!.helper.calls.load),
        ]),
      ]);
      return d.status === 'completed' && check(srcHelpers, dstHelpers);
    } finally {
      await Promise.all(vms.map((v) => v.stop()));
      await stopHelpers([...srcHelpers, ...dstHelpers]);
    }
  });
}

console.log('dbus-vmstate demo: two helpers on a source bus migrate to a destination bus\n');
let ok = await ourMigrator();
if (hasQemu) ok = (await qemuMigrator()) && ok;
else console.log(`\nQEMU part skipped: ${qemuSkipReason}`);
console.log(ok ? '\nall data arrived' : '\nSOME DATA DID NOT ARRIVE');
process.exitCode = ok ? 0 : 1;
