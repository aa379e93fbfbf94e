/**
 * QEMU 7.2 with `-display dbus` on its own private bus (`-M pc -vga std -S`: a machine that
 * never runs, but whose display interfaces are on the bus). Used by
 * test/interop/qemu-display1.test.ts and test/integration/introspect.test.ts. The dbus-vmstate
 * launcher is test/support/qemu.ts.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DBusProxy } from '../../generated/org.freedesktop.DBus.js';
import { type Connection, connect } from '../../runtime/index.js';
import { PrivateBus } from '../../runtime/private-bus.js';
import { deferred, within } from './events.js';
import { Qmp } from './qemu.js';

export const DISPLAY_QEMU = '/usr/bin/qemu-system-x86_64';
/** Why `-display dbus` tests cannot run here, or undefined when they can. */
export const displayQemuSkipReason: string | undefined = existsSync(DISPLAY_QEMU)
  ? undefined
  : `${DISPLAY_QEMU} is not installed`;

/** Arguments for a never-running `-M pc` QEMU with `-display dbus` on `busAddress`. */
export function displayQemuArgs(
  args: readonly string[],
  busAddress: string,
  displayOptions = '',
): string[] {
  return [
    ...['-M', 'pc', '-nodefaults', '-vga', 'std', '-S'],
    ...args,
    ...['-display', `dbus,addr=${busAddress}${displayOptions}`],
  ];
}

export interface DisplayVm {
  readonly bus: PrivateBus;
  /** A connection to `bus` for the test's own calls. */
  readonly conn: Connection;
  /** Everything QEMU wrote to stderr so far. */
  stderr(): string;
  /** QMP, when started with `{ qmp: true }`. */
  readonly qmp: Qmp | undefined;
  /** Closes `conn`, stops QEMU (SIGTERM, waits for the exit), then the bus. */
  stop(): Promise<void>;
}

/** Extras of {@link startDisplayVm}. */
export interface DisplayVmOptions {
  /** Add `-qmp unix:...` and connect to it (capabilities negotiated). */
  readonly qmp?: boolean;
}

/**
 * Resolves once QEMU owns `org.qemu`; rejects when QEMU exits first or after 10 s. Subscribed
 * to NameOwnerChanged before the one NameHasOwner check, so an owner that appears in between
 * still signals.
 */
async function ownerOfQemu(conn: Connection, child: ChildProcess): Promise<void> {
  const dbus = new DBusProxy(conn, 'org.freedesktop.DBus', '/org/freedesktop/DBus');
  const owned = deferred<string | undefined>();
  const exited = (): string => `QEMU exited with ${child.exitCode ?? child.signalCode}`;
  child.once('exit', () => owned.resolve(exited()));
  const off = await dbus.on('nameOwnerChanged', (name, _old, owner) => {
    if (name === 'org.qemu' && owner !== '') owned.resolve(undefined);
  });
  try {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(exited());
    if (await dbus.nameHasOwner('org.qemu')) return;
    const failed = await within(owned.promise, 'QEMU owning org.qemu');
    if (failed !== undefined) throw new Error(failed);
  } finally {
    await off();
  }
}

/**
 * Starts a private bus and QEMU with `-display dbus` on it, and waits (up to 10 s) until QEMU
 * owns `org.qemu`. `args` go before `-display` (`-name`, `-uuid`, ...), `displayOptions` are
 * appended to it (`,audiodev=snd0`). On failure everything
 * started is stopped and the error carries QEMU's stderr.
 */
export async function startDisplayVm(
  args: readonly string[],
  displayOptions = '',
  options: DisplayVmOptions = {},
): Promise<DisplayVm> {
  const bus = await PrivateBus.start();
  const dir = mkdtempSync(join(tmpdir(), 'qemu-display-'));
  const qmpPath = join(dir, 'qmp.sock');
  const qmpArgs = options.qmp ? ['-qmp', `unix:${qmpPath},server=on,wait=off`] : [];
  const child = spawn(
    DISPLAY_QEMU,
    displayQemuArgs([...args, ...qmpArgs], bus.address, displayOptions),
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  let conn: Connection | undefined;
  let qmp: Qmp | undefined;
  const stop = async (): Promise<void> => {
    qmp?.close();
    await conn?.close();
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    await bus.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    conn = await connect(bus.address);
    await ownerOfQemu(conn, child);
    if (options.qmp) qmp = await Qmp.connect(qmpPath);
    return { bus, conn, qmp, stderr: () => stderr, stop };
  } catch (e) {
    await stop();
    throw new Error(`${(e as Error).message}; QEMU stderr: ${stderr}`);
  }
}
