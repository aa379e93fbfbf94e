/**
 * The fd transport against a raw peer written here (native sendmsg on a socketpair): a
 * message right behind BEGIN in the same read as the handshake, with its fd; a message
 * announcing more fds than arrived (the connection ends, the fd that came is closed);
 * fds that no `h` refers to (closed at once).
 */
import { closeSync, mkdtempSync, openSync, readdirSync, readSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Connection } from '../../runtime/connection.js';
import { acceptPeer } from '../../runtime/peer-connection.js';
import { MessageType, marshalMessage } from '../../runtime/transport/marshal.js';
import { requireNativeFd } from '../../runtime/transport/native.js';
import { socketPair, type UnixFd } from '../../runtime/unix-fd.js';

const native = requireNativeFd('test');
const dir = mkdtempSync(join(tmpdir(), 'fd-wire-'));
const file = join(dir, 'f.txt');
writeFileSync(file, 'raw peer content');
const openFds = (): number => readdirSync('/proc/self/fd').length;
const HELLO = `\0AUTH EXTERNAL ${Buffer.from(String(process.getuid!())).toString('hex')}\r\nNEGOTIATE_UNIX_FD\r\nBEGIN\r\n`;

function call(serial: number, signature: string, body: unknown[], fdsOut: number[]): Buffer {
  return marshalMessage(
    {
      type: MessageType.METHOD_CALL,
      serial,
      path: '/t',
      interfaceName: 'org.example.T',
      member: 'M',
      signature,
      body,
    },
    undefined,
    fdsOut,
  );
}

/** A server connection and the raw client end; `onCall` sees every incoming call. */
async function rawPeer(first: Buffer, fds: number[], onCall: (fds: readonly UnixFd[]) => void) {
  const [a, b] = socketPair();
  const raw = b.take();
  const server = acceptPeer({ fd: a.take() });
  // Handshake lines and the first message in one sendmsg, with its fds.
  native.sendmsg(raw, Buffer.concat([Buffer.from(HELLO, 'latin1'), first]), 0, fds);
  const conn: Connection = await server;
  conn.setMethodCallHandler((msg) => onCall(msg.fds ?? []));
  return { conn, raw };
}

describe('the fd transport against a raw peer', () => {
  it('a message right behind BEGIN, with its fd, in the same read reaches the handler', async () => {
    const fd = openSync(file, 'r');
    const fds: number[] = [];
    const msg = call(1, 'h', [fd], fds);
    let seen: (text: string) => void = () => undefined;
    const text = new Promise<string>((resolve) => {
      seen = resolve;
    });
    const { conn, raw } = await rawPeer(msg, fds, (got) => {
      const buf = Buffer.alloc(64);
      seen(buf.subarray(0, readSync(got[0]!.fd, buf, 0, 64, 0)).toString());
    });
    expect(await text).toBe('raw peer content');
    closeSync(fd);
    await conn.close();
    native.close(raw);
  });

  it('a message announcing more fds than arrived ends the connection; the fd is closed', async () => {
    const fd = openSync(file, 'r');
    const before = openFds();
    const fds: number[] = [];
    const msg = call(1, 'hh', [fd, fd], fds); // UNIX_FDS = 2
    const { conn, raw } = await rawPeer(Buffer.alloc(0), [], () => undefined);
    const closed = new Promise<Error | undefined>((resolve) => conn.onClose((e) => resolve(e)));
    native.sendmsg(raw, msg, 0, [fd]); // only one fd
    const err = await closed;
    expect(err?.message).toMatch(/announces 2 unix fds, 1 arrived/);
    native.close(raw);
    expect(openFds()).toBe(before);
    closeSync(fd);
  });

  it('an invalid message with fds ends the connection (its fds cannot go to the next one)', async () => {
    const fd = openSync(file, 'r');
    const before = openFds();
    const fds: number[] = [];
    const good = call(1, 'h', [fd], fds);
    // The same message with its member name made invalid: framed, but its header is refused.
    const bad = Buffer.from(good);
    const at = bad.indexOf(Buffer.from('M\0', 'latin1'), 16);
    bad[at] = '1'.charCodeAt(0);
    const { conn, raw } = await rawPeer(Buffer.alloc(0), [], () => undefined);
    const closed = new Promise<Error | undefined>((resolve) => conn.onClose((e) => resolve(e)));
    native.sendmsg(raw, bad, 0, [fd]);
    const err = await closed;
    expect(err?.message).toMatch(/invalid message arrived with unix fds queued/);
    native.close(raw);
    expect(openFds()).toBe(before);
    closeSync(fd);
  });

  it('fds that no h refers to, and the fds of unhandled calls, are closed', async () => {
    const fd = openSync(file, 'r');
    const { conn, raw } = await rawPeer(Buffer.alloc(0), [], () => undefined);
    const before = openFds();
    let handled = 0;
    const done = new Promise<void>((resolve) =>
      conn.setMethodCallHandler(() => {
        if (++handled === 20) resolve();
      }),
    );
    for (let i = 0; i < 20; i++) {
      const fds: number[] = [];
      // Signature 's' but 3 fds announced and sent: nothing refers to them.
      const msg = marshalMessage(
        {
          type: MessageType.METHOD_CALL,
          serial: i + 1,
          path: '/t',
          member: 'M',
          signature: 'v',
          body: [{ signature: 'ah', value: [fd, fd, fd] }],
        },
        undefined,
        fds,
      );
      native.sendmsg(raw, msg, 0, fds);
    }
    await done;
    expect(openFds()).toBe(before);
    await conn.close();
    native.close(raw);
    closeSync(fd);
  });
});
