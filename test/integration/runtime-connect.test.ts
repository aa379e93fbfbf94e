/**
 * connect(): unix paths with %-escapes, `;` lists tried in order, tcp with ANONYMOUS,
 * clear errors when nothing answers.
 */
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../runtime/connection.js';
import { DBusError, ErrorNames } from '../../runtime/errors.js';
import { PrivateBus } from '../../runtime/private-bus.js';
import { escapeValue } from '../../runtime/transport/address.js';

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

let bus: PrivateBus;
let port: number;
let linkDir: string;

beforeAll(async () => {
  port = await freePort();
  bus = await PrivateBus.start({
    extraConfig: `  <listen>tcp:host=127.0.0.1,port=${port}</listen>
  <auth>ANONYMOUS</auth>
  <allow_anonymous/>`,
  });
  linkDir = mkdtempSync(join(tmpdir(), 'dbus a,b;c='));
  symlinkSync(bus.socketPath, join(linkDir, 'bus sock'));
});
afterAll(async () => {
  await bus?.stop();
  if (linkDir) rmSync(linkDir, { recursive: true, force: true });
});

describe('connect', () => {
  it('unix:path with %-escaped characters', async () => {
    const c = await connect(`unix:path=${escapeValue(join(linkDir, 'bus sock'))}`);
    expect(c.uniqueName).toMatch(/^:1\.\d+$/);
    await c.close();
  });

  it('a ; list is tried in order', async () => {
    const address = `unix:path=/nonexistent/x.sock;unix:abstract=nope-${process.pid};${bus.address}`;
    const c = await connect(address);
    expect(c.address).toBe(bus.address);
    await c.close();
  });

  it('tcp with ANONYMOUS', async () => {
    const c = await connect(`tcp:host=127.0.0.1,port=${port}`);
    expect(c.uniqueName).toMatch(/^:/);
    const [names] = await c.callBus('ListNames');
    expect(names).toContain(c.uniqueName);
    await c.close();
  });

  it('nothing listening: NoServer naming every address tried', async () => {
    const err = (await connect('unix:path=/nonexistent/a;unix:path=/nonexistent/b').catch(
      (e: unknown) => e,
    )) as DBusError;
    expect(err).toBeInstanceOf(DBusError);
    expect(err.type).toBe(ErrorNames.NoServer);
    expect(err.text).toContain('/nonexistent/a');
    expect(err.text).toContain('/nonexistent/b');
  });

  it('unsupported transports and bad addresses are typed errors', async () => {
    await expect(connect('launchd:env=X')).rejects.toMatchObject({ type: ErrorNames.NotSupported });
    await expect(connect('unix:path=%q')).rejects.toMatchObject({ type: ErrorNames.BadAddress });
  });

  it('a server that never answers the handshake times out', async () => {
    const sockets: import('node:net').Socket[] = [];
    const srv = createServer((s) => sockets.push(s));
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const p = (srv.address() as { port: number }).port;
    const t0 = Date.now();
    await expect(
      connect(`tcp:host=127.0.0.1,port=${p}`, { timeoutMs: 200 }),
    ).rejects.toBeInstanceOf(DBusError);
    expect(Date.now() - t0).toBeLessThan(2000);
    for (const s of sockets) s.destroy();
    await new Promise((r) => srv.close(r));
  });
});

describe('hostile input', () => {
  it('a call whose h has no fd behind it is refused; the connection survives', async () => {
    const { marshalMessage } = await import('../../runtime/transport/marshal.js');
    const a = await connect(bus.address);
    const b = await connect(bus.address);
    let calls = 0;
    b.setMethodCallHandler((m) => {
      calls++;
      b.reply(m);
    });
    const buf = marshalMessage({
      type: 1,
      serial: 999,
      path: '/x',
      interfaceName: 'a.b',
      member: 'M',
      destination: b.uniqueName,
      signature: 'u',
      body: [0],
    });
    const at = buf.lastIndexOf(Buffer.from([8, 1, 0x67, 0, 1, 0x75, 0]));
    buf[at + 5] = 0x68; // signature "u" -> "h"
    (a as unknown as { transport: { write(d: Uint8Array): void } }).transport.write(buf);
    await a.call({ destination: b.uniqueName, path: '/x', interfaceName: 'a.b', member: 'M' });
    expect(b.closed).toBe(false);
    expect(calls).toBe(1);
    await a.close();
    await b.close();
  });
});

describe('hostile dict keys', () => {
  it('a "__proto__" key is an ordinary key of a prototype-less received dict', async () => {
    const a = await connect(bus.address);
    const b = await connect(bus.address);
    let got: unknown;
    b.setMethodCallHandler((m) => {
      got = m.body[0];
      b.reply(m);
    });
    const evil = JSON.parse('{"__proto__": {"isAdmin": "yes"}, "ok": {"k": "v"}}') as Record<
      string,
      unknown
    >;
    await a.call({
      destination: b.uniqueName,
      path: '/x',
      interfaceName: 'a.b',
      member: 'M',
      signature: 'a{sa{ss}}',
      body: [evil],
    });
    expect(Object.getPrototypeOf(got)).toBe(null);
    expect((got as { isAdmin?: unknown }).isAdmin).toBeUndefined();
    expect(Object.keys(got as object)).toEqual(['__proto__', 'ok']);
    const proto = Object.getOwnPropertyDescriptor(got, '__proto__')?.value as object;
    expect(Object.getPrototypeOf(proto)).toBe(null);
    expect({ ...proto }).toEqual({ isAdmin: 'yes' });
    await a.close();
    await b.close();
  });
});

describe('call flags', () => {
  it('NO_AUTO_START and ALLOW_INTERACTIVE_AUTHORIZATION reach the peer', async () => {
    const a = await connect(bus.address);
    const b = await connect(bus.address);
    const flags: number[] = [];
    b.setMethodCallHandler((m) => {
      flags.push(m.flags);
      b.reply(m);
    });
    const m = { destination: b.uniqueName, path: '/x', interfaceName: 'a.b', member: 'M' };
    await a.call(m);
    await a.call(m, { noAutoStart: true });
    await a.call(m, { allowInteractiveAuthorization: true, noAutoStart: true });
    a.callNoReply(m);
    await a.call(m);
    expect(flags).toEqual([0, 2, 6, 1, 0]);
    await a.close();
    await b.close();
  });
});

describe('message size', () => {
  it('maxMessageBytes refuses locally instead of being dropped by the bus', async () => {
    const a = await connect(bus.address, { maxMessageBytes: 1 << 20 });
    const b = await connect(bus.address);
    b.setMethodCallHandler((m) => b.reply(m));
    const m = {
      destination: b.uniqueName,
      path: '/x',
      interfaceName: 'a.b',
      member: 'M',
      signature: 'ay',
    };
    await expect(a.call({ ...m, body: [Buffer.alloc(2 << 20)] })).rejects.toMatchObject({
      type: ErrorNames.LimitsExceeded,
    });
    await a.call({ ...m, body: [Buffer.alloc(1000)] });
    expect(a.closed).toBe(false);
    await a.close();
    await b.close();
  });
});
