/**
 * QEMU itself under the two-uids scheme of docs/interop/dbus.rst: QEMU 7.2 runs as the QEMU
 * user and migrates the state of our helpers, which run as the helper user, over private
 * buses whose policy `dbus-codegen-ts policy` wrote (the bus daemon runs as the helper
 * user too). A QEMU started as a user the policy does not name cannot use the bus.
 */
import { type ChildProcess, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPolicy } from '../../cli/commands/policy.js';
import { PrivateBus } from '../../runtime/private-bus.js';
import { within } from '../support/events.js';
import { hasQemu, QEMU_BIN, Qmp, qemuSkipReason, sleep, vmstateQemuArgs } from '../support/qemu.js';
import { displayQemuArgs } from '../support/qemu-display.js';
import { bundleFor } from './security-support/bundle.js';
import {
  ALL_GROUP,
  ensureUsers,
  gdbusCall,
  killGroup,
  readableWorkdir,
  runAs,
  skipReason,
  spawnAs,
  USERS,
} from './security-support/users.js';
import { serveAs, startTwoUidsBus, userDir, writeOwned } from './security-support/vmstate.js';

const skip = skipReason() ?? qemuSkipReason;
if (skip !== undefined) console.log(`security-qemu: skipped: ${skip}`);

const XML = fileURLToPath(new URL('../../interfaces/org.qemu.VMState1.xml', import.meta.url));
const VM_XML = fileURLToPath(new URL('../../interfaces/org.qemu.Display1.VM.xml', import.meta.url));
const hasDisplayDbus = (() => {
  try {
    return execFileSync(QEMU_BIN, ['-display', 'help'], { encoding: 'utf8' }).includes('dbus');
  } catch {
    return false;
  }
})();
const CLI = fileURLToPath(new URL('../../vmstate/cli.ts', import.meta.url));

interface Vm {
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  stderr(): string;
}

/** `qemu-system-x86_64 -machine none` with a dbus-vmstate object, as `user`. */
function qemuAs(user: string, address: string, qmpPath: string, incoming?: string): Vm {
  const args = vmstateQemuArgs(
    { busAddress: address, ...(incoming === undefined ? {} : { incoming }) },
    qmpPath,
  );
  const child = spawnAs(user, [QEMU_BIN, ...args], ['ignore', 'ignore', 'pipe']);
  let err = '';
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  return { child, exited, stderr: () => err };
}

async function migrationStatus(qmp: Qmp, timeoutMs = 30_000): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const info = await qmp.execute('query-migrate');
    if (['completed', 'failed', 'cancelled'].includes(String(info.status))) return info;
    if (Date.now() > deadline) throw new Error(`migration still ${String(info.status)}`);
    await sleep(10);
  }
}

describe.skipIf(!hasQemu || skip !== undefined)(
  'QEMU as the qemu user, helpers as the helper user',
  () => {
    let work: ReturnType<typeof readableWorkdir>;
    let cli: string;
    let uids: Record<string, number>;
    const children: ChildProcess[] = [];
    const qmps: Qmp[] = [];
    const buses: PrivateBus[] = [];
    /** Exits of the QEMUs that `quit` stops (the -display one is killed instead). */
    const quitting: Promise<unknown>[] = [];

    const startBus = async (): Promise<PrivateBus> => {
      const bus = await startTwoUidsBus();
      buses.push(bus);
      return bus;
    };

    beforeAll(async () => {
      uids = ensureUsers();
      work = readableWorkdir();
      cli = await bundleFor(CLI, work.dir, 'dbus-vmstate');
    });
    afterAll(async () => {
      for (const q of qmps) await q.execute('quit').catch(() => {});
      for (const q of qmps) q.close();
      // Wait for those QEMUs to exit (bounded), then kill whatever is left.
      await within(Promise.all(quitting), 'QEMU exit after quit', 5000).catch(() => {});
      for (const c of children) killGroup(c);
      await Promise.all(buses.map((b) => b.stop()));
      work?.remove();
    });

    it('migrates the helpers’ state from one QEMU to another', async () => {
      const helperUid = uids[USERS.helper]!;
      const srcDir = userDir(work.dir, 'src', helperUid);
      const dstDir = userDir(work.dir, 'dst', helperUid);
      const qemuDir = userDir(work.dir, 'qemu', uids[USERS.qemu]!);
      const states = { idA: Buffer.from('state A\0'), idB: Buffer.alloc(4096, 0xb) };
      const [src, dst] = [await startBus(), await startBus()];
      for (const [id, data] of Object.entries(states)) {
        writeOwned(join(srcDir, id), data, helperUid);
        const s = serveAs(USERS.helper, cli, src.address, id, join(srcDir, id), false);
        const d = serveAs(USERS.helper, cli, dst.address, id, join(dstDir, id), true);
        children.push(s.child, d.child);
        await Promise.all([s.ready, d.ready]);
      }
      const mig = `unix:${join(qemuDir, 'mig.sock')}`;
      const dstVm = qemuAs(USERS.qemu, dst.address, join(qemuDir, 'dst.qmp'), mig);
      const srcVm = qemuAs(USERS.qemu, src.address, join(qemuDir, 'src.qmp'));
      children.push(dstVm.child, srcVm.child);
      quitting.push(dstVm.exited, srcVm.exited);
      const dstQmp = await Qmp.connect(join(qemuDir, 'dst.qmp'));
      const srcQmp = await Qmp.connect(join(qemuDir, 'src.qmp'));
      qmps.push(dstQmp, srcQmp);
      await srcQmp.execute('migrate', { uri: mig });
      const info = await migrationStatus(srcQmp);
      expect(info.status, `${info['error-desc'] ?? ''} ${srcVm.stderr()}`).toBe('completed');
      expect((await migrationStatus(dstQmp)).status).toBe('completed');
      for (const [id, data] of Object.entries(states)) {
        expect(readFileSync(join(dstDir, id)).equals(data)).toBe(true);
      }
    });

    it.skipIf(!hasDisplayDbus)(
      '-display dbus: QEMU owns org.qemu, the helper user calls it, no one else',
      async () => {
        const r = runPolicy([VM_XML, XML], {
          scheme: 'two-uids',
          qemuUser: USERS.qemu,
          helperUser: [USERS.helper],
          busName: ['org.qemu.Display1.VM=org.qemu'],
          qemuOwns: ['org.qemu'],
        });
        expect(r.stderr).toBe('');
        const bus = await PrivateBus.start({
          policyXml: r.stdout,
          group: ALL_GROUP,
          user: USERS.helper,
        });
        buses.push(bus);
        // Killed as a process group in afterAll: a -display dbus QEMU does not exit when its
        // bus goes away.
        const vm = spawnAs(
          USERS.qemu,
          [QEMU_BIN, ...displayQemuArgs(['-name', 'sec-display'], bus.address)],
          ['ignore', 'ignore', 'pipe'],
        );
        children.push(vm);
        const get = (user: string) =>
          gdbusCall(
            user,
            bus.address,
            'org.qemu',
            '/org/qemu/Display1/VM',
            'org.freedesktop.DBus.Properties.Get',
            'org.qemu.Display1.VM',
            'Name',
          );
        // QEMU owns org.qemu once the machine is built (its objects are exported by then).
        // gdbus wait subscribes to NameOwnerChanged before it asks for the owner, so an owner
        // that appears in between is not missed; --timeout bounds the wait.
        const waitArgs = ['wait', '--address', bus.address, '--timeout', '20', 'org.qemu'];
        const waited = await runAs(USERS.helper, ['gdbus', ...waitArgs], 30_000);
        expect(waited.code, waited.stderr).toBe(0);
        const name = await get(USERS.helper);
        expect(name.stdout).toContain("'sec-display'");
        expect((await get(USERS.other)).stdout).toBe('');
        const own = await runAs(USERS.helper, [
          'gdbus',
          'call',
          '--address',
          bus.address,
          '-d',
          'org.freedesktop.DBus',
          '-o',
          '/org/freedesktop/DBus',
          '-m',
          'org.freedesktop.DBus.RequestName',
          'org.qemu',
          '4',
        ]);
        expect(own.stderr).toContain('AccessDenied');
      },
    );

    it('a QEMU started as a user the policy does not name cannot use the bus', async () => {
      const bus = await startBus();
      const otherDir = userDir(work.dir, 'other', uids[USERS.other]!);
      const vm = qemuAs(USERS.other, bus.address, join(otherDir, 'qmp'));
      children.push(vm.child);
      const code = await Promise.race([vm.exited, sleep(10_000).then(() => 'running' as const)]);
      expect(code).not.toBe(0);
      expect(code).not.toBe('running');
      expect(vm.stderr()).toMatch(/failed to connect to DBus/);
    });
  },
);
