/**
 * Attaching to a QEMU started with `-display dbus`: Console.RegisterListener and
 * Chardev.Register both take one end of a socketpair (`h`). For the listener, QEMU runs a
 * peer-to-peer D-Bus connection on its end as the authenticating server, and its main loop
 * waits (up to 25 s) until we have authenticated and answered Properties.GetAll: so the
 * peer connection is opened while the RegisterListener call is still in flight, and the
 * listener object is exported the moment it is up. For a chardev, the socket is a plain byte
 * stream (the HMP monitor, a serial port).
 */
import { Socket } from 'node:net';
import { ChardevProxy } from '../generated/org.qemu.Display1.Chardev.js';
import { ConsoleProxy } from '../generated/org.qemu.Display1.Console.js';
import { type Connection, connectPeer, socketPair } from '../runtime/index.js';
import { HmpMonitor, type HmpOptions } from './hmp.js';
import { DisplayListener, type DisplayListenerOptions } from './listener.js';

/** QEMU's bus name with `-display dbus`. */
export const QEMU_BUS_NAME = 'org.qemu';

/** Options of {@link registerListener}. */
export interface RegisterListenerOptions extends DisplayListenerOptions {
  /** Console number (`/org/qemu/Display1/Console_N`, default 0). */
  readonly console?: number;
  /** Bus name of QEMU (default `org.qemu`). */
  readonly destination?: string;
  /** For the RegisterListener call and the peer authentication (ms, default 25 000). */
  readonly timeoutMs?: number;
}

/** A registered listener: its framebuffer fills as QEMU sends frames. */
export interface DisplaySession {
  readonly listener: DisplayListener;
  /** The peer-to-peer connection QEMU calls the listener on. */
  readonly peer: Connection;
  /** Closes the peer connection; QEMU forgets the listener. */
  close(): Promise<void>;
}

/**
 * Registers a {@link DisplayListener} with console `options.console` of the QEMU on `bus`.
 *
 * Frame size: the peer-to-peer connection keeps the D-Bus limits, 128 MiB per message and
 * 64 MiB per array, so a Scanout carries at most 64 MiB of pixels (4096×4096 at 32 bits per
 * pixel; 7680×2160 is 66 MB and too big). QEMU sends a bigger frame (8192×4608 is 151 MB)
 * as one message: it fails the listener connection with a limit error instead of being read
 * into memory, and QEMU drops the listener. Smaller guest resolutions are the remedy.
 *
 * Rejects with QEMU's DBusError (e.g. `org.qemu.Display1.Error.Invalid` when this bus
 * connection already has a listener on that console) or the peer connection's error.
 *
 * @example
 * ```ts
 * const session = await registerListener(bus);
 * await session.listener.until(() => session.listener.framebuffer.hasSurface, 5000);
 * ```
 */
export async function registerListener(
  bus: Connection,
  options: RegisterListenerOptions = {},
): Promise<DisplaySession> {
  const timeoutMs = options.timeoutMs ?? 25_000;
  const path = `/org/qemu/Display1/Console_${options.console ?? 0}`;
  const proxy = new ConsoleProxy(bus, options.destination ?? QEMU_BUS_NAME, path);
  let listener: DisplayListener | undefined;
  // A mode change (graphics <-> text) shows as new Width/Height, not as a Scanout.
  const unsubscribe = await proxy.onPropertiesChanged((changed) => {
    const fb = listener?.framebuffer;
    if (fb === undefined || (changed.width === undefined && changed.height === undefined)) return;
    listener!.resize(changed.width ?? fb.width, changed.height ?? fb.height);
  });
  const consoleSize = async () => {
    const [width, height] = await Promise.all([proxy.get('width'), proxy.get('height')]);
    return { width, height };
  };
  const [mine, theirs] = socketPair();
  const peer = connectPeer({ fd: mine.take() }, { timeoutMs }).then((conn) => {
    // Exported before the event loop turns again, so QEMU's GetAll finds it.
    listener = new DisplayListener(conn, { consoleSize, ...options });
    return conn;
  });
  try {
    await proxy.registerListener(theirs.fd, { timeoutMs });
  } catch (err) {
    theirs.close(); // QEMU closed its copy: the peer authentication fails and is dropped
    await peer.then((c) => c.close()).catch(() => undefined);
    await unsubscribe().catch(() => undefined);
    throw err;
  }
  theirs.close(); // QEMU holds its own duplicate now
  let conn: Connection;
  try {
    conn = await peer;
  } catch (err) {
    await unsubscribe().catch(() => undefined);
    throw err;
  }
  const close = async (): Promise<void> => {
    await unsubscribe().catch(() => undefined);
    await conn.close();
  };
  return { listener: listener!, peer: conn, close };
}

/** Options of {@link openMonitor}. */
export interface OpenMonitorOptions extends HmpOptions {
  /** Bus name of QEMU (default `org.qemu`). */
  readonly destination?: string;
}

/**
 * Opens the HMP monitor on the QEMU chardev with id `chardevId` (`-chardev dbus,id=mon0,...
 * -mon chardev=mon0,mode=readline`; object `/org/qemu/Display1/Chardev_mon0`). Rejects with
 * QEMU's DBusError (`org.qemu.Display1.Error.Failed` while another client holds it) or an
 * HmpError.
 */
export async function openMonitor(
  bus: Connection,
  chardevId: string,
  options: OpenMonitorOptions = {},
): Promise<HmpMonitor> {
  if (!/^[A-Za-z0-9_]+$/.test(chardevId)) {
    throw new RangeError(
      `chardev id ${JSON.stringify(chardevId)}: QEMU's object path needs [A-Za-z0-9_]`,
    );
  }
  const proxy = new ChardevProxy(
    bus,
    options.destination ?? QEMU_BUS_NAME,
    `/org/qemu/Display1/Chardev_${chardevId}`,
  );
  const [mine, theirs] = socketPair();
  try {
    await proxy.register(theirs.fd, { timeoutMs: options.timeoutMs ?? 25_000 });
  } catch (err) {
    mine.close();
    throw err;
  } finally {
    theirs.close();
  }
  // No fds travel on the chardev stream: Node's own socket will do.
  return HmpMonitor.open(new Socket({ fd: mine.take(), readable: true, writable: true }), options);
}
