/**
 * Unix fds against an independent GDBus peer (Python + PyGObject,
 * fixtures/gdbus-fd-peer.py), both ways: we send `h` and it reads the file behind it; it
 * sends `h` (replies, `ah`, `a{sh}`, variants, a signal) and we read. Then a peer-to-peer
 * link to a Gio.DBusServer, and GDBus calling our skeleton with an fd.
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, readSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '../../runtime/connection.js';
import { connectPeer } from '../../runtime/peer-connection.js';
import { listenPeer } from '../../runtime/peer-server.js';
import { ProxyBase } from '../../runtime/proxy.js';
import { SkeletonBase } from '../../runtime/skeleton.js';
import { UnixFd } from '../../runtime/unix-fd.js';
import { Variant } from '../../runtime/variant.js';
import { startTestBus, type TestBus } from '../support/bus.js';
import { makeInterface } from '../support/descriptor.js';
import {
  hasPythonGi,
  PYTHON,
  type PythonService,
  startPythonScript,
} from '../support/python-service.js';

const SCRIPT = fileURLToPath(new URL('./fixtures/gdbus-fd-peer.py', import.meta.url));
const available = hasPythonGi();
if (!available) console.log('fd interop skipped: /usr/bin/python3 with gi not found');

export const Fd1 = makeInterface('org.example.Fd1', {
  methods: {
    Read: { in: [['fd', 'h']], out: [['text', 's']] },
    ReadMany: { in: [['fds', 'ah']], out: [['texts', 'as']] },
    ReadDict: { in: [['fds', 'a{sh}']], out: [['texts', 'a{ss}']] },
    ReadVariant: { in: [['fd', 'v']], out: [['text', 's']] },
    Open: { in: [['path', 's']], out: [['fd', 'h']] },
    OpenMany: {
      in: [
        ['path', 's'],
        ['n', 'u'],
      ],
      out: [['fds', 'ah']],
    },
    OpenDict: { in: [['path', 's']], out: [['fds', 'a{sh}']] },
    OpenVariant: { in: [['path', 's']], out: [['fd', 'v']] },
    Emit: { in: [['path', 's']], out: [] },
  },
  signals: {
    Opened: [
      ['fd', 'h'],
      ['tag', 's'],
    ],
  },
});

class Fd1Proxy extends ProxyBase<
  Record<string, never>,
  Record<string, never>,
  { opened: [UnixFd, string] }
> {
  call(name: string, args: unknown[]) {
    return this.callMethod(
      this.descriptor.methods.findIndex((m) => m.name === name),
      args,
    );
  }
}

const dir = mkdtempSync(join(tmpdir(), 'fd-gdbus-'));
const file = join(dir, 'content.txt');
const TEXT = 'bytes behind the fd';
writeFileSync(file, TEXT);
const openFds = (): number => readdirSync('/proc/self/fd').length;

function readAll(fd: number): string {
  const buf = Buffer.alloc(4096);
  return buf.subarray(0, readSync(fd, buf, 0, buf.length, 0)).toString();
}

describe.skipIf(!available)('fds with a GDBus service on a private bus', () => {
  let tb: TestBus;
  let py: PythonService;
  let proxy: Fd1Proxy;
  let fd: number;
  beforeAll(async () => {
    tb = await startTestBus();
    py = await startPythonScript(SCRIPT, ['bus', tb.address]);
    proxy = new Fd1Proxy(await tb.connect(), Fd1, py.uniqueName, '/org/example/Fd1');
    fd = openSync(file, 'r');
  });
  afterAll(async () => {
    closeSync(fd);
    await py?.stop();
    await tb?.stop();
  });

  it('we send h, ah, a{sh} and h in a variant; GDBus reads the file', async () => {
    expect(await proxy.call('Read', [fd])).toBe(TEXT);
    const handle = new UnixFd(openSync(file, 'r'));
    expect(await proxy.call('ReadMany', [[fd, handle, fd]])).toEqual([TEXT, TEXT, TEXT]);
    expect(await proxy.call('ReadDict', [{ a: fd, b: handle }])).toEqual({ a: TEXT, b: TEXT });
    expect(await proxy.call('ReadVariant', [new Variant('h', handle)])).toBe(TEXT);
    handle.close();
  });

  it('GDBus sends h, ah, a{sh} and h in a variant; we read the file', async () => {
    const one = (await proxy.call('Open', [file])) as UnixFd;
    expect(readAll(one.fd)).toBe(TEXT);
    one.close();
    const many = (await proxy.call('OpenMany', [file, 3])) as UnixFd[];
    expect(many.map((f) => readAll(f.fd))).toEqual([TEXT, TEXT, TEXT]);
    for (const f of many) f.close();
    const dict = (await proxy.call('OpenDict', [file])) as Record<string, UnixFd>;
    expect(Object.keys(dict).sort()).toEqual(['a', 'b']);
    for (const f of Object.values(dict)) {
      expect(readAll(f.fd)).toBe(TEXT);
      f.close();
    }
    const v = (await proxy.call('OpenVariant', [file])) as Variant<UnixFd>;
    expect(v.signature).toBe('h');
    expect(readAll(v.value.fd)).toBe(TEXT);
    v.value.close();
  });

  it('an fd in a signal can be taken by the listener; untaken ones are closed', async () => {
    const got = new Promise<number>((resolve) => {
      void proxy.on('opened', (h) => resolve(h.take()));
    });
    await proxy.call('Emit', [file]);
    const taken = await got;
    expect(readAll(taken)).toBe(TEXT);
    closeSync(taken);
  });

  it('the fd count is unchanged after 1,000 calls each way', async () => {
    await proxy.call('Read', [fd]);
    ((await proxy.call('Open', [file])) as UnixFd).close();
    const before = openFds();
    for (let i = 0; i < 1000; i++) {
      await proxy.call('Read', [fd]);
      ((await proxy.call('Open', [file])) as UnixFd).close();
    }
    expect(openFds()).toBe(before);
  });
});

describe.skipIf(!available)('peer-to-peer with GDBus', () => {
  it('our client on a Gio.DBusServer: calls with fds both ways, no bus', async () => {
    const py = await startPythonScript(SCRIPT, ['p2p-server', mkdtempSync(join(dir, 'srv-'))]);
    let conn: Connection | undefined;
    try {
      conn = await connectPeer({ address: py.uniqueName });
      expect(conn.unixFds).toBe(true);
      const proxy = new Fd1Proxy(conn, Fd1, '', '/org/example/Fd1');
      const fd = openSync(file, 'r');
      expect(await proxy.call('Read', [fd])).toBe(TEXT);
      closeSync(fd);
      const got = (await proxy.call('Open', [file])) as UnixFd;
      expect(readAll(got.fd)).toBe(TEXT);
      got.close();
    } finally {
      await conn?.close();
      await py.stop();
    }
  });

  it('a GDBus client on our peer-to-peer server (listenPeer) calls our skeleton with an fd', async () => {
    const conns: Connection[] = [];
    const server = listenPeer(`unix:dir=${mkdtempSync(join(dir, 'ours-'))}`, (conn) => {
      conns.push(conn);
      new SkeletonBase(conn, Fd1, '/org/example/Fd1', { read: (h: UnixFd) => readAll(h.fd) }, {});
    });
    try {
      const out = await run(PYTHON, [SCRIPT, 'client', server.address, '-', file, '5']);
      expect(out).toMatch(new RegExp(`^result ${TEXT}$`, 'm'));
      expect(conns.length).toBe(1);
    } finally {
      server.close();
      for (const c of conns) await c.close();
    }
  });

  it('a GDBus client calls our skeleton with an fd through the bus', async () => {
    const tb = await startTestBus();
    try {
      const server = await tb.connect();
      new SkeletonBase(server, Fd1, '/org/example/Fd1', { read: (h: UnixFd) => readAll(h.fd) }, {});
      const out = await run(PYTHON, [SCRIPT, 'client', tb.address, server.uniqueName, file, '5']);
      expect(out).toMatch(new RegExp(`^result ${TEXT}$`, 'm'));
    } finally {
      await tb.stop();
    }
  });
});

function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${cmd} exited with ${code}`)),
    );
  });
}
