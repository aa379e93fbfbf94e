/**
 * Unix fds and peer-to-peer links with our own proxy and skeleton: `h` through a private
 * dbus-daemon, and over a socketpair (one side authenticates as client, the other as
 * server) with no bus at all.
 */
import { closeSync, mkdtempSync, openSync, readdirSync, readSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '../../runtime/connection.js';
import { acceptPeer, connectPeer } from '../../runtime/peer-connection.js';
import { listenPeer } from '../../runtime/peer-server.js';
import { ProxyBase } from '../../runtime/proxy.js';
import { SkeletonBase } from '../../runtime/skeleton.js';
import { socketPair, UnixFd } from '../../runtime/unix-fd.js';
import { startPeers, type TestBus } from '../support/bus.js';
import { makeInterface } from '../support/descriptor.js';

const Fd1 = makeInterface('org.example.Fd1', {
  methods: {
    Read: { in: [['fd', 'h']], out: [['text', 's']] },
    Open: { in: [], out: [['fd', 'h']] },
    Keep: { in: [['fd', 'h']], out: [] },
  },
});

class FdProxy extends ProxyBase<
  Record<string, never>,
  Record<string, never>,
  Record<string, never>
> {
  call(name: string, args: unknown[]) {
    return this.callMethod(
      this.descriptor.methods.findIndex((m) => m.name === name),
      args,
    );
  }
}

const dir = mkdtempSync(join(tmpdir(), 'fd-peer-'));
const file = join(dir, 'content.txt');
writeFileSync(file, 'hello through an fd');

function readAll(fd: number): string {
  const buf = Buffer.alloc(4096);
  const n = readSync(fd, buf, 0, buf.length, 0);
  return buf.subarray(0, n).toString();
}

const openFds = (): number => readdirSync('/proc/self/fd').length;

/** Exports Fd1 on `conn`; returns the fds the handler kept with take(). */
function serveFd1(conn: Connection): number[] {
  const kept: number[] = [];
  const mine = openSync(file, 'r');
  new SkeletonBase(
    conn,
    Fd1,
    '/org/example/Fd1',
    {
      read: (fd: UnixFd) => readAll(fd.fd),
      open: () => mine,
      keep: (fd: UnixFd) => {
        kept.push(fd.take());
      },
    },
    {},
  );
  return kept;
}

describe('h through a private dbus-daemon', () => {
  let tb: TestBus;
  let proxy: FdProxy;
  let kept: number[];
  beforeAll(async () => {
    const peers = await startPeers();
    tb = peers.tb;
    kept = serveFd1(peers.server);
    proxy = new FdProxy(peers.client, Fd1, peers.server.uniqueName, '/org/example/Fd1');
  });
  afterAll(async () => {
    for (const f of kept) closeSync(f);
    await tb?.stop();
  });

  it('an fd number and a UnixFd reach the handler, which reads the file', async () => {
    const fd = openSync(file, 'r');
    expect(await proxy.call('Read', [fd])).toBe('hello through an fd');
    expect(readAll(fd)).toBe('hello through an fd'); // the caller's fd stays open
    const handle = new UnixFd(fd);
    expect(await proxy.call('Read', [handle])).toBe('hello through an fd');
    handle.close();
  });

  it('an fd in a reply is a UnixFd the caller owns', async () => {
    const got = (await proxy.call('Open', [])) as UnixFd;
    expect(got).toBeInstanceOf(UnixFd);
    expect(readAll(got.fd)).toBe('hello through an fd');
    got.close();
  });

  it('handler arguments are closed unless taken; no fd leaks over 1,000 calls', async () => {
    const fd = openSync(file, 'r');
    await proxy.call('Read', [fd]);
    const before = openFds();
    for (let i = 0; i < 1000; i++) await proxy.call('Read', [fd]);
    for (let i = 0; i < 100; i++) ((await proxy.call('Open', [])) as UnixFd).close();
    expect(openFds()).toBe(before);
    await proxy.call('Keep', [fd]);
    expect(openFds()).toBe(before + 1);
    closeSync(fd);
  });
});

describe('peer-to-peer over a socketpair', () => {
  let server: Connection;
  let client: Connection;
  beforeAll(async () => {
    const [a, b] = socketPair();
    [server, client] = await Promise.all([
      acceptPeer({ fd: a.take() }),
      connectPeer({ fd: b.take() }),
    ]);
  });
  afterAll(async () => {
    await client?.close();
    await server?.close();
  });

  it('authenticates both ways with fd passing, no Hello, no names', () => {
    expect(client.peer && server.peer).toBe(true);
    expect(client.uniqueName).toBe('');
    expect(client.unixFds && server.unixFds).toBe(true);
  });

  it('a skeleton on the client side answers a proxy on the server side, with fds', async () => {
    serveFd1(client);
    const proxy = new FdProxy(server, Fd1, '', '/org/example/Fd1');
    const fd = openSync(file, 'r');
    expect(await proxy.call('Read', [fd])).toBe('hello through an fd');
    const got = (await proxy.call('Open', [])) as UnixFd;
    expect(readAll(got.fd)).toBe('hello through an fd');
    got.close();
    closeSync(fd);
  });

  it('listenPeer: our client on our server, on a path and on an abstract name', async () => {
    for (const address of [`unix:dir=${dir}`, `unix:abstract=${dir}/srv`]) {
      const conns: Connection[] = [];
      const srv = listenPeer(address, (c) => {
        conns.push(c);
        serveFd1(c);
      });
      const c = await connectPeer({ address: srv.address });
      const proxy = new FdProxy(c, Fd1, '', '/org/example/Fd1');
      const fd = openSync(file, 'r');
      expect(await proxy.call('Read', [fd])).toBe('hello through an fd');
      closeSync(fd);
      await c.close();
      srv.close();
      for (const s of conns) await s.close();
    }
  });

  it('closing one side disconnects the other', async () => {
    const [a, b] = socketPair();
    const [s, c] = await Promise.all([acceptPeer({ fd: a.take() }), connectPeer({ fd: b.take() })]);
    const gone = new Promise<void>((resolve) => s.onClose(() => resolve()));
    await c.close();
    await gone;
    expect(s.closed).toBe(true);
  });
});
