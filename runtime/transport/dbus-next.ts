/**
 * The transport: opens the socket itself (so that addresses are parsed and unescaped
 * correctly and `;` lists are tried in order) and reads and writes messages with our own
 * code: framer.ts cuts the byte stream into messages, header.ts checks each header (both
 * byte orders), message.ts decodes bodies once the receiver says which signature it
 * expects, marshal.ts writes. dbus-next 0.10.2 still does exactly one thing here: the
 * client side of the SASL handshake (`dbus-next/lib/handshake.js`: the NUL byte, AUTH
 * EXTERNAL/ANONYMOUS/DBUS_COOKIE_SHA1, BEGIN). After BEGIN it never sees a byte.
 * Unix addresses go through the native fd transport instead (fd-transport.ts) when the
 * addon is built: our own SASL with NEGOTIATE_UNIX_FD, fds both ways, abstract sockets.
 */
import { connect as netConnect, type Socket } from 'node:net';
import clientHandshake from 'dbus-next/lib/handshake.js';
import { DBusError, ErrorNames } from '../errors.js';
import { parseAddresses, type ServerAddress } from './address.js';
import { FdTransport } from './fd-transport.js';
import { FramedTransport } from './framed-transport.js';
import type { RawMessage } from './message.js';
import { nativeFd } from './native.js';

export type { IncomingMessage, MessageHeader, RawMessage } from './message.js';

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
  /** Both sides agreed to pass unix fds (NEGOTIATE_UNIX_FD). */
  readonly unixFds: boolean;
  /** Writes one marshalled message with the fds its `h` values index (borrowed: sent as
   * duplicates); throws Disconnected when closed. */
  write(data: Uint8Array, fds?: readonly number[]): void;
  /** Every message read, header checked, body still bytes (in arrival order). */
  onMessage(listener: (msg: RawMessage) => void): void;
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

class SocketTransport extends FramedTransport implements Transport {
  readonly unixFds = false;

  constructor(
    private readonly socket: Socket,
    readonly guid: string,
    readonly address: string,
  ) {
    super();
    socket.on('error', (err) => {
      this.failure ??= err;
    });
    socket.on('close', () => this.finish());
    // The handshake read with 'readable'; from here on the socket flows into the framer
    // (bytes it had buffered after BEGIN included).
    socket.removeAllListeners('readable');
    socket.on('data', (chunk: Buffer) => this.pushSafely(chunk));
    socket.resume();
  }

  protected dispatch(frame: Buffer): void {
    const msg = this.parseOrDrop(frame);
    if (msg !== undefined) for (const l of this.messageListeners) l(msg);
  }

  protected destroySocket(): void {
    this.socket.destroy();
  }

  protected endSocket(): void {
    this.socket.end();
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

  override async close(): Promise<void> {
    if (this.closed) return;
    // A peer that never ends its side would keep the socket half-open: cut it after 1 s.
    const timer = setTimeout(() => this.socket.destroy(), 1000);
    await super.close();
    clearTimeout(timer);
  }
}

/** The socket as dbus-next's handshake reads it; any exception fails the connection. */
function handshakeStream(socket: Socket, onError: (err: unknown) => void): DbusNextReadableStream {
  const wrapped = new Map<() => void, () => void>();
  return {
    on(_event: 'readable', fn: () => void) {
      const g = () => {
        try {
          fn();
        } catch (err) {
          onError(err);
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

/**
 * A unix address on the native fd transport (fd passing, abstract sockets on any Node),
 * when the addon is built and EXTERNAL is the mechanism; undefined otherwise.
 */
function openNative(a: ServerAddress, options: TransportOptions): Promise<Transport> | undefined {
  if (a.transport !== 'unix') return undefined;
  const methods = options.authMethods ?? ['EXTERNAL'];
  if (methods.length !== 1 || methods[0] !== 'EXTERNAL') return undefined;
  const native = nativeFd();
  if (native === undefined) return undefined;
  const path = a.params.get('path');
  const abstract = a.params.get('abstract');
  if (path === undefined && abstract === undefined) return undefined; // socketFor says why
  let fd: number;
  try {
    fd = native.connectUnix((path ?? abstract)!, path === undefined);
  } catch (err) {
    return Promise.reject(err);
  }
  return FdTransport.open(native, fd, a.text, { client: true }, options.timeoutMs);
}

async function openOne(a: ServerAddress, options: TransportOptions): Promise<Transport> {
  const viaNative = openNative(a, options);
  if (viaNative !== undefined) return viaNative;
  const socket = socketFor(a);
  let early: ((err: unknown) => void) | undefined;
  const stream = handshakeStream(socket, (err) => early?.(err));
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
  return new SocketTransport(socket, guid, a.text);
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
