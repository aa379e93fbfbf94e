/**
 * The D-Bus SASL handshake (specification "Authentication Protocol") for our fd
 * transport, both sides, as line-driven state machines: EXTERNAL only (the credentials
 * are the socket's, checked by the kernel), then NEGOTIATE_UNIX_FD, then BEGIN. Bytes that
 * follow BEGIN in the same read belong to the message stream and are handed back.
 *
 * Bounds: a line longer than MAX_LINE bytes or more than MAX_COMMANDS commands fail the
 * handshake (a peer cannot make us buffer or loop forever).
 */
import { randomBytes } from 'node:crypto';

const MAX_LINE = 16 * 1024;
const MAX_COMMANDS = 32;

/** What the handshake decided. */
export interface SaslResult {
  readonly guid: string;
  /** Both sides agreed to pass unix fds. */
  readonly unixFds: boolean;
}

/** Feeds received bytes; `send` writes ours; resolves or throws with the failure. */
export interface SaslMachine {
  /** Returns the bytes after BEGIN once done (the message stream), else undefined. */
  push(data: Buffer): Buffer | undefined;
  readonly result: SaslResult | undefined;
}

function hex(s: string): string {
  return Buffer.from(s, 'utf8').toString('hex');
}

class LineBuffer {
  private buf: Buffer = Buffer.alloc(0);
  commands = 0;
  push(data: Buffer): void {
    this.buf = this.buf.length === 0 ? data : Buffer.concat([this.buf, data]);
  }
  /** The next line without CRLF, or undefined until one is complete. */
  next(): string | undefined {
    const at = this.buf.indexOf('\r\n');
    if (at < 0) {
      if (this.buf.length > MAX_LINE) throw new Error(`authentication line over ${MAX_LINE} bytes`);
      return undefined;
    }
    if (++this.commands > MAX_COMMANDS) throw new Error('too many authentication commands');
    const line = this.buf.subarray(0, at).toString('latin1');
    this.buf = this.buf.subarray(at + 2);
    return line;
  }
  rest(): Buffer {
    const r = this.buf;
    this.buf = Buffer.alloc(0);
    return r;
  }
  /** Drops one leading byte (the server reads the client's initial NUL). */
  shift(): number | undefined {
    if (this.buf.length === 0) return undefined;
    const b = this.buf[0]!;
    this.buf = this.buf.subarray(1);
    return b;
  }
}

/**
 * The client side: NUL + `AUTH EXTERNAL <hex uid>`, then `NEGOTIATE_UNIX_FD` when
 * `wantFds`, then `BEGIN`. Throws (from push) with the server's refusal.
 */
export function saslClient(send: (s: string) => void, wantFds: boolean): SaslMachine {
  const lines = new LineBuffer();
  let state: 'auth' | 'fds' | 'done' = 'auth';
  let guid = '';
  let result: SaslResult | undefined;
  send(`\0AUTH EXTERNAL ${hex(String(process.getuid?.() ?? 0))}\r\n`);
  const finish = (unixFds: boolean): Buffer => {
    send('BEGIN\r\n');
    state = 'done';
    result = { guid, unixFds };
    return lines.rest();
  };
  return {
    get result() {
      return result;
    },
    push(data) {
      lines.push(data);
      for (let line = lines.next(); line !== undefined; line = lines.next()) {
        const [cmd, ...args] = line.split(' ');
        if (state === 'auth') {
          if (cmd === 'OK' && args.length === 1 && /^[0-9a-fA-F]{32}$/.test(args[0]!)) {
            guid = args[0]!;
            if (!wantFds) return finish(false);
            send('NEGOTIATE_UNIX_FD\r\n');
            state = 'fds';
            continue;
          }
          if (cmd === 'DATA') {
            send('DATA\r\n'); // EXTERNAL with the identity already given
            continue;
          }
          throw new Error(`the server refused EXTERNAL authentication: ${line.slice(0, 200)}`);
        }
        if (state === 'fds') {
          if (cmd === 'AGREE_UNIX_FD') return finish(true);
          if (cmd === 'ERROR') return finish(false);
          throw new Error(`unexpected answer to NEGOTIATE_UNIX_FD: ${line.slice(0, 200)}`);
        }
      }
      return undefined;
    },
  };
}

/** Options of the server side. */
export interface SaslServerOptions {
  /** The server GUID sent in OK (32 hex digits; random by default). */
  readonly guid?: string;
  /** The uids allowed in (default: our own uid). */
  readonly allowUids?: readonly number[];
  /** Whether we agree to pass fds (default true). */
  readonly unixFds?: boolean;
}

/**
 * The server side: reads the NUL, accepts `AUTH EXTERNAL [hex uid]` when the claimed uid
 * equals the socket's peer uid (`peerUid`, from SO_PEERCRED) and is allowed, answers
 * NEGOTIATE_UNIX_FD, and ends at BEGIN. Anything else is REJECTED or ERROR, as the spec says.
 */
export function saslServer(
  send: (s: string) => void,
  peerUid: number,
  options: SaslServerOptions = {},
): SaslMachine {
  const lines = new LineBuffer();
  const guid = options.guid ?? randomBytes(16).toString('hex');
  const allowed = options.allowUids ?? [process.getuid?.() ?? 0];
  let nul = false;
  let state: 'auth' | 'data' | 'ok' = 'auth';
  let fds = false;
  let result: SaslResult | undefined;
  const tryUid = (claimed: string | undefined): void => {
    let uid = peerUid;
    if (claimed !== undefined && claimed !== '')
      uid = /^\d{1,10}$/.test(claimed) ? Number(claimed) : -1;
    if (uid !== peerUid || !allowed.includes(uid)) {
      send('REJECTED EXTERNAL\r\n');
      state = 'auth';
      return;
    }
    send(`OK ${guid}\r\n`);
    state = 'ok';
  };
  return {
    get result() {
      return result;
    },
    push(data) {
      lines.push(data);
      if (!nul) {
        const b = lines.shift();
        if (b === undefined) return undefined;
        if (b !== 0) throw new Error('the client did not start with a NUL byte');
        nul = true;
      }
      for (let line = lines.next(); line !== undefined; line = lines.next()) {
        const [cmd, ...args] = line.split(' ');
        const decode = (h: string | undefined) =>
          h === undefined ? undefined : Buffer.from(h, 'hex').toString('utf8');
        if (cmd === 'AUTH' && state === 'auth') {
          if (args[0] !== 'EXTERNAL') send('REJECTED EXTERNAL\r\n');
          else if (args.length === 1) {
            send('DATA\r\n');
            state = 'data';
          } else tryUid(decode(args[1]));
        } else if (cmd === 'DATA' && state === 'data') {
          tryUid(decode(args[0]));
        } else if (cmd === 'NEGOTIATE_UNIX_FD' && state === 'ok') {
          fds = options.unixFds ?? true;
          send(fds ? 'AGREE_UNIX_FD\r\n' : 'ERROR fd passing is off\r\n');
        } else if (cmd === 'BEGIN' && state === 'ok') {
          result = { guid, unixFds: fds };
          return lines.rest();
        } else if (cmd === 'CANCEL' || cmd === 'ERROR') {
          send('REJECTED EXTERNAL\r\n');
          state = 'auth';
        } else {
          send('ERROR\r\n');
        }
      }
      return undefined;
    },
  };
}
