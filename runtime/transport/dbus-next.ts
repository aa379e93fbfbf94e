/**
 * The transport: the only module that imports dbus-next. It opens the socket itself (so
 * that addresses are parsed and unescaped correctly and `;` lists are tried in order), then
 * uses dbus-next 0.10.2 for the SASL handshake and for reading messages, and our own
 * marshaller (marshal.ts) for writing them. Everything above this file sees messages with
 * our value forms and never sees a dbus-next object.
 */
import { connect as netConnect, type Socket } from 'node:net';
import clientHandshake from 'dbus-next/lib/handshake.js';
import compat from 'dbus-next/lib/marshall-compat.js';
import dbusMessage from 'dbus-next/lib/message.js';
import { fromWireBody } from '../convert.js';
import { DBusError, ErrorNames } from '../errors.js';
import { parseAddresses, type ServerAddress } from './address.js';

/** An incoming message; `body` holds our receive-side value forms. */
export interface IncomingMessage {
  readonly type: number;
  readonly flags: number;
  readonly serial: number;
  readonly sender?: string | undefined;
  readonly destination?: string | undefined;
  readonly path?: string | undefined;
  readonly interfaceName?: string | undefined;
  readonly member?: string | undefined;
  readonly errorName?: string | undefined;
  readonly replySerial?: number | undefined;
  readonly signature: string;
  readonly body: readonly unknown[];
  /** Set when the body could not be read into our forms (then `body` is empty). */
  readonly bodyError?: string | undefined;
}

export interface TransportOptions {
  /** SASL mechanisms in order. Default: EXTERNAL on unix sockets, ANONYMOUS on tcp. */
  readonly authMethods?: readonly string[];
  /** Socket connect plus handshake, per address tried (ms). */
  readonly timeoutMs: number;
}

export interface Transport {
  readonly guid: string;
  readonly address: string;
  readonly closed: boolean;
  /** Writes one marshalled message; throws Disconnected when closed. */
  write(data: Uint8Array): void;
  onMessage(listener: (msg: IncomingMessage) => void): void;
  /** Called once, when the socket is gone (with the reason if it failed). */
  onClose(listener: (err?: Error) => void): void;
  close(): Promise<void>;
}

function socketFor(a: ServerAddress): Socket {
  switch (a.transport) {
    case 'unix': {
      const path = a.params.get('path');
      const abstract = a.params.get('abstract');
      if (path !== undefined) return netConnect({ path });
      if (abstract !== undefined) return netConnect({ path: `\0${abstract}` });
      throw new DBusError(ErrorNames.BadAddress, `"${a.text}": unix needs path= or abstract=`);
    }
    case 'tcp': {
      const port = Number(a.params.get('port'));
      if (!Number.isInteger(port) || port <= 0 || port > 65535) {
        throw new DBusError(ErrorNames.BadAddress, `"${a.text}": tcp needs a port`);
      }
      const family = a.params.get('family');
      const host = a.params.get('host') ?? 'localhost';
      return netConnect({ host, port, ...(family === 'ipv6' ? { family: 6 } : {}) });
    }
    default:
      throw new DBusError(
        ErrorNames.NotSupported,
        `"${a.text}": transport "${a.transport}" is not supported`,
      );
  }
}

class SocketTransport implements Transport {
  closed = false;
  private readonly messageListeners: ((msg: IncomingMessage) => void)[] = [];
  private readonly closeListeners: ((err?: Error) => void)[] = [];
  private failure: Error | undefined;

  constructor(
    private readonly socket: Socket,
    readonly guid: string,
    readonly address: string,
    stream: DbusNextReadableStream,
  ) {
    socket.on('error', (err) => {
      this.failure ??= err;
    });
    socket.on('close', () => this.finish());
    dbusMessage.unmarshalMessages(stream, (raw) => this.dispatch(raw), { ayBuffer: true });
  }

  private dispatch(raw: DbusNextRawMessage): void {
    const js = compat.messageToJsFmt(raw);
    const signature = js.signature ?? '';
    let body: readonly unknown[] = [];
    let bodyError: string | undefined;
    try {
      body = fromWireBody(signature, js.body ?? []);
    } catch (err) {
      bodyError = err instanceof Error ? err.message : String(err);
    }
    const msg: IncomingMessage = {
      type: js.type,
      flags: js.flags,
      serial: js.serial,
      sender: js.sender,
      destination: js.destination,
      path: js.path,
      interfaceName: js.interface,
      member: js.member,
      errorName: js.errorName,
      replySerial: js.replySerial,
      signature,
      body,
      bodyError,
    };
    for (const l of this.messageListeners) l(msg);
  }

  /** A reader exception (malformed or fd-carrying message) ends the connection. */
  fail(err: unknown): void {
    this.failure ??= err instanceof Error ? err : new Error(String(err));
    this.socket.destroy();
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    for (const l of this.closeListeners) l(this.failure);
  }

  write(data: Uint8Array): void {
    if (this.closed || !this.socket.writable) {
      throw new DBusError(ErrorNames.Disconnected, 'the connection is closed');
    }
    this.socket.write(data);
  }

  onMessage(listener: (msg: IncomingMessage) => void): void {
    this.messageListeners.push(listener);
  }

  onClose(listener: (err?: Error) => void): void {
    this.closeListeners.push(listener);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    const gone = new Promise<void>((resolve) => this.closeListeners.push(() => resolve()));
    this.socket.end();
    const timer = setTimeout(() => this.socket.destroy(), 1000);
    await gone;
    clearTimeout(timer);
  }
}

/**
 * Wraps a socket for dbus-next's reader. During the handshake an exception fails the
 * connection; afterwards (`state.reading`) an exception means one unreadable message (e.g. a
 * peer's `h` argument, which dbus-next cannot read without fds): it was already consumed, so
 * it is dropped, logged, and reading continues.
 */
function guard(
  socket: Socket,
  onError: (err: unknown) => void,
  state: { reading: boolean },
): DbusNextReadableStream {
  const wrapped = new Map<() => void, () => void>();
  return {
    on(_event: 'readable', fn: () => void) {
      const g = () => {
        for (let attempt = 0; attempt < 10_000; attempt++) {
          try {
            fn();
            return;
          } catch (err) {
            if (!state.reading) {
              onError(err);
              return;
            }
            console.warn(`dbus-codegen-ts: dropped an unreadable message: ${String(err)}`);
          }
        }
      };
      wrapped.set(fn, g);
      socket.on('readable', g);
      return this;
    },
    removeListener(_event: 'readable', fn: () => void) {
      const g = wrapped.get(fn);
      if (g !== undefined) socket.removeListener('readable', g);
      wrapped.delete(fn);
      return this;
    },
    read: (n?: number) => socket.read(n) as Buffer | null,
    write: (d: string | Uint8Array) => socket.write(d),
    emit: (_event: 'error', err: unknown) => {
      onError(err);
      return true;
    },
  };
}

async function openOne(a: ServerAddress, options: TransportOptions): Promise<Transport> {
  const socket = socketFor(a);
  let transport: SocketTransport | undefined;
  let early: ((err: unknown) => void) | undefined;
  const state = { reading: false };
  const stream = guard(socket, (err) => (transport ? transport.fail(err) : early?.(err)), state);
  const authMethods = options.authMethods ?? (a.transport === 'tcp' ? ['ANONYMOUS'] : ['EXTERNAL']);
  const guid = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      early?.(new Error(`no answer within ${options.timeoutMs} ms`));
    }, options.timeoutMs);
    early = (err) => {
      clearTimeout(timer);
      socket.destroy();
      reject(err instanceof Error ? err : new Error(String(err)));
    };
    socket.once('error', (err) => early?.(err));
    socket.once('close', () => early?.(new Error('connection closed during authentication')));
    socket.once('connect', () => {
      socket.setNoDelay?.(true);
      clientHandshake(stream, { authMethods }, (err, g) => {
        if (err) {
          const text = Buffer.isBuffer(err) ? err.toString().trim() : String(err);
          early?.(new DBusError(ErrorNames.AuthFailed, `authentication failed: ${text}`));
          return;
        }
        clearTimeout(timer);
        resolve(g ?? '');
      });
    });
  });
  socket.removeAllListeners('error');
  socket.removeAllListeners('close');
  early = undefined;
  state.reading = true;
  transport = new SocketTransport(socket, guid, a.text, stream);
  return transport;
}

/** Opens the first address of a `;` list that accepts us; throws the last failure. */
export async function openTransport(
  address: string,
  options: TransportOptions,
): Promise<Transport> {
  const candidates = parseAddresses(address);
  const failures: string[] = [];
  for (const a of candidates) {
    try {
      return await openOne(a, options);
    } catch (err) {
      failures.push(`${a.text}: ${err instanceof Error ? err.message : String(err)}`);
      if (candidates.length === 1 && err instanceof DBusError) throw err;
    }
  }
  throw new DBusError(ErrorNames.NoServer, `could not connect to ${failures.join('; ')}`);
}
