/**
 * The transport over the native fd socket (fd-socket.ts): our SASL (sasl.ts, EXTERNAL plus
 * NEGOTIATE_UNIX_FD), then the same framer and header checks as the net transport, plus
 * the fds: received fds wait in a FIFO and each message takes the UNIX_FDS count it
 * announces (the kernel delivers a message's fds with its first bytes, so they are there
 * once the message is complete). A message announcing more fds than arrived, more than
 * MAX_MESSAGE_FDS, or more fds queued than MAX_QUEUED_FDS fail the connection: the
 * stream's fds and messages no longer line up. Every received fd is owned by a UnixFd.
 */
import { DBusError, ErrorNames } from '../errors.js';
import { MAX_MESSAGE_FDS } from '../outgoing.js';
import { UnixFd } from '../unix-fd.js';
import type { Transport } from './dbus-next.js';
import { FdSocket } from './fd-socket.js';
import { FramedTransport } from './framed-transport.js';
import type { RawMessage } from './message.js';
import type { NativeFd } from './native.js';
import { type SaslMachine, type SaslServerOptions, saslClient, saslServer } from './sasl.js';
import { WireError } from './wire-read.js';

/** Fds received but not yet claimed by a complete message. */
const MAX_QUEUED_FDS = 4 * MAX_MESSAGE_FDS;

export class FdTransport extends FramedTransport implements Transport {
  guid = '';
  unixFds = false;
  private readonly fdQueue: number[] = [];
  /** Messages that arrived before anyone listened (right after BEGIN). */
  private parked: RawMessage[] | undefined = [];

  private constructor(
    private readonly sock: FdSocket,
    readonly address: string,
  ) {
    super();
    sock.onClose((err) => this.finish(err));
  }

  /**
   * Authenticates on `fd` (which the transport now owns) as client or server and resolves
   * once BEGIN is through; rejects (fd closed) on refusal, close or timeout.
   */
  static open(
    native: NativeFd,
    fd: number,
    address: string,
    role: { client: true } | { client: false; server: SaslServerOptions },
    timeoutMs: number,
  ): Promise<FdTransport> {
    const sock = new FdSocket(native, fd);
    const t = new FdTransport(sock, address);
    const send = (s: string) => sock.write(Buffer.from(s, 'latin1'));
    return new Promise<FdTransport>((resolve, reject) => {
      const fail = (err: unknown) => {
        clearTimeout(timer);
        sock.destroy();
        reject(
          new DBusError(
            ErrorNames.AuthFailed,
            `authentication failed: ${err instanceof Error ? err.message : String(err)}`,
          ),
        );
      };
      const timer = setTimeout(() => fail(`no answer within ${timeoutMs} ms`), timeoutMs);
      sock.onClose((err) => {
        if (t.guid === '') fail(err ?? 'connection closed during authentication');
      });
      let sasl: SaslMachine;
      try {
        sasl = role.client
          ? saslClient(send, true)
          : saslServer(send, native.peerUid(fd), role.server);
      } catch (err) {
        fail(err);
        return;
      }
      sock.onData = (data, fds) => {
        t.queueFds(fds);
        const rest = sasl.push(data);
        if (rest === undefined) return;
        clearTimeout(timer);
        t.guid = sasl.result!.guid;
        t.unixFds = sasl.result!.unixFds;
        sock.onData = (d, f) => {
          t.queueFds(f);
          t.framer.push(d);
        };
        resolve(t);
        // A peer may send its first message right behind BEGIN (in this very read): it
        // is framed now and parked until the connection attaches its listener.
        if (rest.length > 0) t.pushSafely(rest);
      };
    });
  }

  private queueFds(fds: number[]): void {
    if (fds.length === 0) return;
    if (!this.unixFds && this.guid !== '') {
      this.sock.closeFds(fds);
      throw new WireError('fds received on a connection that did not negotiate them', 0);
    }
    this.fdQueue.push(...fds);
    if (this.fdQueue.length > MAX_QUEUED_FDS) {
      throw new WireError(`more than ${MAX_QUEUED_FDS} received fds wait for their messages`, 0);
    }
  }

  protected dispatch(frame: Buffer): void {
    // Queued fds cannot be told apart once a header is unreadable: the next message would
    // take this one's. Without fds, dropping it keeps the stream in step, as on the net path.
    let msg = this.parseOrDrop(frame, (err) => {
      if (this.fdQueue.length > 0) {
        throw new WireError(`an invalid message arrived with unix fds queued: ${err.message}`, 0);
      }
    });
    const n = msg?.unixFds ?? 0;
    if (n > MAX_MESSAGE_FDS) throw new WireError(`a message announces ${n} unix fds`, 0);
    if (n > this.fdQueue.length) {
      throw new WireError(`a message announces ${n} unix fds, ${this.fdQueue.length} arrived`, 0);
    }
    const fds = this.fdQueue.splice(0, n).map((f) => new UnixFd(f));
    if (msg === undefined) {
      for (const f of fds) f.close();
      return;
    }
    if (fds.length > 0) msg = { ...msg, fds };
    if (this.parked !== undefined) {
      this.parked.push(msg);
      return;
    }
    for (const l of this.messageListeners) l(msg);
  }

  protected destroySocket(): void {
    this.sock.destroy(this.failure);
  }

  protected endSocket(): void {
    this.sock.end();
  }

  private finish(err?: Error): void {
    if (this.closed) return;
    this.closed = true;
    this.sock.closeFds(this.fdQueue.splice(0));
    for (const m of this.parked ?? []) for (const f of m.fds ?? []) f.close();
    if (this.guid === '') return;
    for (const l of this.closeListeners) l(this.failure ?? err);
  }

  write(data: Uint8Array, fds?: readonly number[]): void {
    if (this.closed) throw new DBusError(ErrorNames.Disconnected, 'the connection is closed');
    this.sock.write(data, fds);
  }

  /**
   * Adds a listener. Messages that came right behind BEGIN are handed out on the next turn
   * of the event loop, so that code running right after the connection resolves (exporting
   * objects) is in place before the peer's first call is dispatched.
   */
  override onMessage(listener: (msg: RawMessage) => void): void {
    super.onMessage(listener);
    if (this.messageListeners.length > 1) return;
    setImmediate(() => {
      const parked = this.parked ?? [];
      this.parked = undefined;
      if (this.closed) {
        for (const m of parked) for (const f of m.fds ?? []) f.close();
        return;
      }
      for (const m of parked) for (const l of this.messageListeners) l(m);
    });
  }
}
