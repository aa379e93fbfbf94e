/**
 * A connection to a message bus: Hello before the first message, method calls with a
 * timeout (25 s by default, like libdbus and GDBus), pending calls rejected when the
 * connection closes, signals fanned out to subscribers, incoming method calls handed to the
 * object server (skeleton.ts). Received messages are handled in arrival order (inbox.ts)
 * and handed to their receivers by dispatch.ts, which decodes a body only when its signature
 * is the one its receiver expects (the pending call's reply signature, the object server's
 * method, a signal listener's signature), so an unexpected body is never built. Transport
 * details live in transport/; the reply table and its timeouts in pending-calls.ts, the
 * checks before sending in outgoing.ts, the option and message shapes in
 * connection-options.ts.
 */
import {
  type CallOptions,
  type ConnectOptions,
  DEFAULT_TIMEOUT_MS,
  type ExpectedSignature,
  flagsOf,
  type MethodCall,
  type MethodCallHandler,
  type SignalMessage,
} from './connection-options.js';
import { Dispatcher } from './dispatch.js';
import { DBusError, ErrorNames } from './errors.js';
import { Inbox } from './inbox.js';
import { encodeOutgoing, errorReply, methodReturn } from './outgoing.js';
import { PendingCalls } from './pending-calls.js';
import { openTransport, type Transport } from './transport/dbus-next.js';
import {
  MAX_MESSAGE_BYTES,
  MessageFlag,
  MessageType,
  type OutgoingMessage,
} from './transport/marshal.js';
import type { IncomingMessage, MessageHeader, RawMessage } from './transport/message.js';
import { nativeFd } from './transport/native.js';

export {
  type CallOptions,
  type ConnectOptions,
  DEFAULT_TIMEOUT_MS,
  type ExpectedSignature,
  type MethodCall,
  type MethodCallHandler,
  type SignalMessage,
  type Unsubscribe,
} from './connection-options.js';
export { MessageFlag, MessageType } from './transport/marshal.js';
export type { IncomingMessage, MessageHeader } from './transport/message.js';

const BUS = {
  destination: 'org.freedesktop.DBus',
  path: '/org/freedesktop/DBus',
  interfaceName: 'org.freedesktop.DBus',
} as const;

/**
 * One connection to a bus (or a peer): method calls with timeouts and validated header
 * fields, signal emission and match rules, name requests, and the incoming-call handler
 * that the object server installs. Made by {@link connect}; `close()` rejects pending calls
 * with Disconnected.
 *
 * @example
 * ```ts
 * const conn = await connect(bus.address);
 * const [id] = await conn.callBus('GetId', '', []);
 * await conn.close();
 * ```
 */
export class Connection {
  /** Our unique bus name (`:1.42`), known once connect() resolves ('' on a peer link). */
  uniqueName = '';
  /** A peer-to-peer connection (no bus: no Hello, no names, match rules not needed). */
  peer = false;
  private serial = 1;
  private readonly pending = new PendingCalls();
  private readonly dispatcher = new Dispatcher(this, this.pending);
  private readonly closeListeners = new Set<(err?: Error) => void>();
  private readonly inbox = new Inbox<RawMessage>((raw) => this.dispatcher.receive(raw));
  private closeReason: DBusError | undefined;
  /** Attachments of other runtime modules (object server, name watcher), keyed by module. */
  readonly extensions = new Map<symbol, unknown>();

  private constructor(
    private readonly transport: Transport,
    readonly defaultTimeoutMs: number,
    readonly maxMessageBytes: number,
  ) {
    transport.onMessage((raw) => this.inbox.push(raw));
    transport.onClose((err) => this.onTransportClosed(err));
  }

  /**
   * A connection over an authenticated transport, without Hello: a peer-to-peer link
   * (peer-connection.ts). Use {@link connectPeer} / {@link acceptPeer}.
   * @internal
   */
  static overPeer(transport: Transport, options: ConnectOptions = {}): Connection {
    const conn = new Connection(
      transport,
      options.callTimeoutMs ?? DEFAULT_TIMEOUT_MS,
      options.maxMessageBytes ?? MAX_MESSAGE_BYTES,
    );
    conn.peer = true;
    return conn;
  }

  /** Use {@link connect}. */
  static async open(address: string, options: ConnectOptions = {}): Promise<Connection> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const transport = await openTransport(address, {
      timeoutMs,
      ...(options.authMethods ? { authMethods: options.authMethods } : {}),
    });
    const conn = new Connection(
      transport,
      options.callTimeoutMs ?? DEFAULT_TIMEOUT_MS,
      options.maxMessageBytes ?? MAX_MESSAGE_BYTES,
    );
    try {
      const [name] = await conn.callBus('Hello', '', [], { timeoutMs });
      conn.uniqueName = name as string;
    } catch (err) {
      await transport.close();
      throw err;
    }
    return conn;
  }

  get closed(): boolean {
    return this.closeReason !== undefined;
  }
  /** Calls waiting for a reply (for tests and diagnostics). */
  get pendingCallCount(): number {
    return this.pending.size;
  }
  /** The server address actually connected to (first that worked in a `;` list). */
  get address(): string {
    return this.transport.address;
  }

  private nextSerial(): number {
    const s = this.serial;
    this.serial = s >= 0xffffffff ? 1 : s + 1;
    return s;
  }

  private write(msg: OutgoingMessage): void {
    if (this.closeReason) throw this.closeReason;
    // A proxy on a peer link has no destination: '' means none (never a valid name).
    if (msg.destination === '') msg = { ...msg, destination: undefined };
    const fds: number[] = [];
    const why = this.transport.unixFds ? true : nativeFd() ? 'peer' : 'no-native';
    this.transport.write(encodeOutgoing(msg, this.maxMessageBytes, fds, why), fds);
  }

  /** Whether `h` values can be sent and received on this connection. */
  get unixFds(): boolean {
    return this.transport.unixFds;
  }

  /**
   * Calls a method and resolves with the reply message; an error reply rejects with
   * {@link DBusError}, no reply within the timeout rejects with `...Error.NoReply`, and a
   * connection that closes first rejects with `...Error.Disconnected`.
   */
  call(m: MethodCall, options?: CallOptions): Promise<IncomingMessage> {
    return new Promise<IncomingMessage>((resolve, reject) => {
      const serial = this.nextSerial();
      try {
        this.write({ type: MessageType.METHOD_CALL, flags: flagsOf(options), serial, ...m });
      } catch (err) {
        reject(err);
        return;
      }
      this.pending.add(serial, m, options?.timeoutMs ?? this.defaultTimeoutMs, resolve, reject);
    });
  }

  /** Sends a method call with NO_REPLY_EXPECTED; nothing waits for an answer. */
  callNoReply(m: MethodCall, options?: CallOptions): void {
    const flags = flagsOf(options) | MessageFlag.NO_REPLY_EXPECTED;
    this.write({ type: MessageType.METHOD_CALL, flags, serial: this.nextSerial(), ...m });
  }

  /** Calls a method of the bus itself (`org.freedesktop.DBus`) and returns the reply body. */
  async callBus(
    member: string,
    signature = '',
    body: readonly unknown[] = [],
    options?: CallOptions,
  ): Promise<readonly unknown[]> {
    const reply = await this.call({ ...BUS, member, signature, body }, options);
    return reply.body;
  }

  /** RequestName; resolves with the reply code (1 primary owner, 2 queued, 3 exists, 4 already). */
  async requestName(name: string, flags = 0): Promise<number> {
    return (await this.callBus('RequestName', 'su', [name, flags]))[0] as number;
  }

  /** ReleaseName; resolves with 1 released, 2 non-existent, 3 not owner. */
  async releaseName(name: string): Promise<number> {
    return (await this.callBus('ReleaseName', 's', [name]))[0] as number;
  }

  /** Adds a match rule at the bus (on a peer-to-peer connection: nothing to do). */
  async addMatch(rule: string): Promise<void> {
    if (this.peer) return;
    await this.callBus('AddMatch', 's', [rule]);
  }

  async removeMatch(rule: string): Promise<void> {
    if (this.peer) return;
    await this.callBus('RemoveMatch', 's', [rule]);
  }

  emitSignal(s: SignalMessage): void {
    this.write({ type: MessageType.SIGNAL, serial: this.nextSerial(), ...s });
  }

  /** Replies to a method call, unless the caller set NO_REPLY_EXPECTED. */
  reply(call: MessageHeader, signature = '', body: readonly unknown[] = []): void {
    if (call.flags & MessageFlag.NO_REPLY_EXPECTED) return;
    this.write(methodReturn(call, this.nextSerial(), signature, body));
  }

  /**
   * Sends an error reply, unless the caller set NO_REPLY_EXPECTED. An invalid error name
   * (which the bus would punish by dropping us) is sent as `...Error.Failed`.
   */
  replyError(call: MessageHeader, errorName: string, text: string): void {
    if (call.flags & MessageFlag.NO_REPLY_EXPECTED) return;
    this.write(errorReply(call, this.nextSerial(), errorName, text));
  }

  /**
   * Incoming signals with body `signature` (match rules decide which arrive); returns a
   * remover. A signal's body is decoded only when some listener expects its signature;
   * without `signature` the listener gets every signal (and every body is decoded).
   */
  onSignal(listener: (msg: IncomingMessage) => void, signature?: string): () => void {
    return this.dispatcher.onSignal(listener, signature);
  }

  onClose(listener: (err?: Error) => void): () => void {
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  /**
   * The object server's hook; without one, calls are answered UnknownObject. With `expects`,
   * only calls whose signature is the expected one have their body decoded (the others
   * reach the handler with an empty body, to be refused); without it every body is decoded.
   */
  setMethodCallHandler(handler: MethodCallHandler | undefined, expects?: ExpectedSignature): void {
    this.dispatcher.setMethodCallHandler(handler, expects);
  }

  private onTransportClosed(err?: Error): void {
    this.closeReason ??= new DBusError(
      ErrorNames.Disconnected,
      err ? `connection lost: ${err.message}` : 'the connection is closed',
    );
    const reason = this.closeReason;
    this.pending.rejectAll(reason);
    for (const l of this.closeListeners) {
      try {
        l(err);
      } catch {
        // a close listener must not keep others from running
      }
    }
    this.closeListeners.clear();
    this.dispatcher.clearSignalListeners();
  }

  /** Closes the connection; pending calls reject with `...Error.Disconnected`. */
  async close(): Promise<void> {
    this.closeReason ??= new DBusError(ErrorNames.Disconnected, 'the connection was closed');
    const reason = this.closeReason;
    this.pending.rejectAll(reason);
    await this.transport.close();
  }
}

/**
 * Connects to a bus address (`unix:path=...`, `tcp:host=...,port=...`; a `;` list is tried in
 * order; `%XX` escapes decoded) and resolves once Hello has answered.
 */
export function connect(address: string, options?: ConnectOptions): Promise<Connection> {
  return Connection.open(address, options);
}
