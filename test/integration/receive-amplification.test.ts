/**
 * The amplification body of issue 9 (an `av` of 1-byte variants: 4 wire bytes per object)
 * at 2, 8 and 31 MiB, through a private dbus-daemon (32 MiB message limit):
 * - against a helper (serveVMState, in its own process) as a wrong-signature Load, and as a
 *   Properties.Set whose variant holds it (right signature: decoded up to the value cap);
 * - against the migrator, as a hostile helper's Save reply (`--timeout 3000`).
 * Each time: the process stays alive, its peak RSS grows by less than the stated bound,
 * another client's call is answered within 5 s, and the migrator fails at once naming the
 * helper, well inside its timeout. (Before: 2 MiB -> 0.42 GB and a 3 s stall, 8 MiB ->
 * 1.45 GB, 31 MiB -> out of memory; the migrator took 24 s with a 3 s timeout.)
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Connection, connect } from '../../runtime/index.js';
import { PrivateBus } from '../../runtime/private-bus.js';
import { VMStateError } from '../../vmstate/errors.js';
import { VMStateMigrator } from '../../vmstate/migrator.js';
import { avLoad, avSet, peakRss, writeRaw } from '../support/hostile-wire.js';
import { type HelperProcess, startNodeHelpers } from '../support/vmstate-helpers.js';

const MiB = 1024 * 1024;
/** Peak RSS growth allowed per message: the message itself is buffered, plus headroom. */
const rssBound = (bytes: number) => 2 * bytes + 96 * MiB;
const ANSWER_MS = 5000;

let bus: PrivateBus;
let attacker: Connection;
let other: Connection;
let helpers: HelperProcess;
let owner: string;

beforeAll(async () => {
  bus = await PrivateBus.start();
  attacker = await connect(bus.address);
  other = await connect(bus.address);
  helpers = await startNodeHelpers(bus.address, ['good:4096']);
  [owner] = (await attacker.callBus('GetNameOwner', 's', ['org.qemu.VMState1'])) as [string];
});
afterAll(async () => {
  await helpers?.stop();
  await attacker?.close();
  await other?.close();
  await bus?.stop();
});

const VMSTATE = { path: '/org/qemu/VMState1', interfaceName: 'org.qemu.VMState1' };

/** Another client's Properties.Get(Id) on the helper: its answer and how long it took. */
async function otherGetsId(): Promise<{ id: unknown; ms: number }> {
  const t0 = performance.now();
  const reply = await other.call({
    destination: owner,
    path: VMSTATE.path,
    interfaceName: 'org.freedesktop.DBus.Properties',
    member: 'Get',
    signature: 'ss',
    body: [VMSTATE.interfaceName, 'Id'],
  });
  return { id: (reply.body[0] as { value: unknown }).value, ms: performance.now() - t0 };
}

/** Waits until the helper has handled everything the attacker sent (messages stay in order). */
async function drained(): Promise<void> {
  await attacker.call({
    destination: owner,
    path: '/',
    interfaceName: 'org.freedesktop.DBus.Peer',
    member: 'Ping',
  });
}

let serial = 0x7f00_0000;
describe.each([2, 8, 31])('%i MiB of 1-byte variants', (mib) => {
  const bytes = mib * MiB - 4096; // room for the header under the bus's 32 MiB limit

  it('a helper refuses Load(av) unread; alive, bounded, other callers answered', async () => {
    const pid = helpers.child.pid!;
    const before = await peakRss(pid);
    writeRaw(attacker, avLoad(owner, serial++, bytes));
    const answered = await otherGetsId();
    await drained();
    const growth = (await peakRss(pid)) - before;
    console.log(
      `Load(av) ${mib} MiB: helper peak RSS +${(growth / MiB).toFixed(1)} MiB, other call ${answered.ms.toFixed(0)} ms`,
    );
    expect(answered.id).toBe('good');
    expect(answered.ms).toBeLessThan(ANSWER_MS);
    expect(growth).toBeLessThan(rssBound(bytes));
    expect(helpers.child.exitCode).toBeNull();
    expect(helpers.lines.some((l) => l.startsWith('load '))).toBe(false);
  });

  it('a helper stops decoding Set(ssv) at the value cap; alive, bounded, Id unchanged', async () => {
    const pid = helpers.child.pid!;
    const before = await peakRss(pid);
    writeRaw(attacker, avSet(owner, serial++, bytes));
    const answered = await otherGetsId();
    await drained();
    const growth = (await peakRss(pid)) - before;
    console.log(
      `Set(av) ${mib} MiB: helper peak RSS +${(growth / MiB).toFixed(1)} MiB, other call ${answered.ms.toFixed(0)} ms`,
    );
    expect(answered.ms).toBeLessThan(ANSWER_MS);
    expect(growth).toBeLessThan(rssBound(bytes));
    expect(helpers.child.exitCode).toBeNull();
    expect((await otherGetsId()).id).toBe('good');
  });

  it('the migrator refuses a Save(av) reply at once; alive, bounded, timeout honoured', async () => {
    const evil = await startHostileHelper(bus.address, bytes);
    const conn = await connect(bus.address);
    try {
      const m = new VMStateMigrator(conn, { timeoutMs: 3000 });
      const before = process.memoryUsage().rss;
      let peak = before;
      const sampler = setInterval(() => {
        peak = Math.max(peak, process.memoryUsage().rss);
      }, 5);
      const t0 = performance.now();
      const [err, answered] = await Promise.all([m.save().catch((e: unknown) => e), otherGetsId()]);
      const ms = performance.now() - t0;
      clearInterval(sampler);
      const growth = peak - before;
      console.log(
        `Save reply av ${mib} MiB: migrator failed in ${ms.toFixed(0)} ms, peak RSS +${(growth / MiB).toFixed(1)} MiB`,
      );
      expect(err).toBeInstanceOf(VMStateError);
      expect((err as Error).message).toMatch(/"evil"/);
      // Refused as soon as it is read; on a very slow machine the 31 MiB transfer alone may
      // outlast the timeout, which then ends the call: either way, at the deadline.
      expect((err as Error).message).toMatch(/signature "av", expected "ay"|3000 ms/);
      expect(ms).toBeLessThan(3000 + 2000);
      expect(answered.ms).toBeLessThan(ANSWER_MS);
      expect(growth).toBeLessThan(rssBound(bytes));
    } finally {
      await conn.close();
      evil.kill('SIGTERM');
    }
  });
});

const HOSTILE = fileURLToPath(new URL('../support/hostile-helper-main.ts', import.meta.url));

async function startHostileHelper(address: string, bytes: number): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', HOSTILE, address, 'evil', String(bytes)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`hostile helper exited (${code})`)));
  });
  return child;
}
