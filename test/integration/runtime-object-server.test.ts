/**
 * The object server over a private dbus-daemon: property authorization, Properties calls
 * with an empty interface name, Introspect of nested paths, the reserved local path and
 * interface, and a handler that returns after its connection closed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthorizationRequest } from '../../runtime/auth.js';
import type { Connection } from '../../runtime/connection.js';
import { ErrorNames } from '../../runtime/errors.js';
import { SkeletonBase } from '../../runtime/skeleton.js';
import { Variant } from '../../runtime/variant.js';
import { startTestBus, type TestBus } from '../support/bus.js';
import { makeInterface } from '../support/descriptor.js';

const Vault1 = makeInterface('org.example.Vault1', {
  properties: {
    Public: { type: 's', access: 'read' },
    Secret: { type: 's', access: 'read' },
    Level: { type: 'u', access: 'readwrite' },
  },
});
const Other1 = makeInterface('org.example.Other1', {
  properties: { Colour: { type: 's', access: 'read' } },
});
const PATH = '/org/example/Vault1';

let tb: TestBus;
let server: Connection;
let client: Connection;
const requests: AuthorizationRequest[] = [];

function props(member: string, signature: string, body: unknown[]) {
  return client.call({
    destination: server.uniqueName,
    path: PATH,
    interfaceName: 'org.freedesktop.DBus.Properties',
    member,
    signature,
    body,
  });
}

beforeAll(async () => {
  tb = await startTestBus();
  [server, client] = [await tb.connect(), await tb.connect()];
  // Denies exactly one property, by name: the hook's `property` field says which.
  const authorize = (req: AuthorizationRequest) => {
    requests.push(req);
    return req.property?.name !== 'Secret';
  };
  new SkeletonBase(
    server,
    Vault1,
    PATH,
    {},
    { public: 'p', secret: 's3cr3t', level: 1 },
    { authorize },
  );
  new SkeletonBase(server, Other1, PATH, {}, { colour: 'red' });
});
afterAll(async () => {
  await tb?.stop();
});

describe('authorization covers every way to read a property', () => {
  it('Get of a denied property is AccessDenied', async () => {
    await expect(props('Get', 'ss', ['org.example.Vault1', 'Secret'])).rejects.toMatchObject({
      type: ErrorNames.AccessDenied,
    });
  });

  it('GetAll leaves out properties the caller may not read (the specification: silently omitted)', async () => {
    const reply = await props('GetAll', 's', ['org.example.Vault1']);
    const all = reply.body[0] as Record<string, Variant>;
    expect(Object.keys(all).sort()).toEqual(['Level', 'Public']);
  });
});

describe('Properties with an empty interface name', () => {
  it('Get and Set find the property on any interface at the path', async () => {
    const got = await props('Get', 'ss', ['', 'Colour']);
    expect((got.body[0] as Variant).value).toBe('red');
    await props('Set', 'ssv', ['', 'Level', new Variant('u', 7)]);
    const level = await props('Get', 'ss', ['org.example.Vault1', 'Level']);
    expect((level.body[0] as Variant).value).toBe(7);
    await expect(props('Get', 'ss', ['', 'Secret'])).rejects.toMatchObject({
      type: ErrorNames.AccessDenied,
    });
    await expect(props('Get', 'ss', ['', 'Nope'])).rejects.toMatchObject({
      type: ErrorNames.UnknownProperty,
    });
  });

  it('GetAll returns the readable properties of every interface', async () => {
    const reply = await props('GetAll', 's', ['']);
    const all = reply.body[0] as Record<string, Variant>;
    expect(Object.keys(all).sort()).toEqual(['Colour', 'Level', 'Public']);
  });
});

describe('Introspect lists child nodes of nested exported paths', () => {
  async function introspect(path: string): Promise<string> {
    const r = await client.call({
      destination: server.uniqueName,
      path,
      interfaceName: 'org.freedesktop.DBus.Introspectable',
      member: 'Introspect',
    });
    return r.body[0] as string;
  }

  it('each ancestor names the next element; a non-element prefix is no object', async () => {
    expect(await introspect('/')).toContain('<node name="org"/>');
    expect(await introspect('/org')).toContain('<node name="example"/>');
    const mid = await introspect('/org/example');
    expect(mid).toContain('<node name="Vault1"/>');
    expect(mid).not.toContain('<interface');
    const leaf = await introspect(PATH);
    expect(leaf).toContain('<interface name="org.example.Vault1">');
    expect(leaf).toContain('<interface name="org.example.Other1">');
    await expect(introspect('/org/exam')).rejects.toMatchObject({
      type: ErrorNames.UnknownObject,
    });
  });
});

describe('the reserved local path and interface (/org/freedesktop/DBus/Local)', () => {
  it('are refused locally instead of getting the connection dropped by the bus', async () => {
    const c = await tb.connect();
    const base = { destination: server.uniqueName, path: PATH, member: 'Ping' };
    for (const m of [
      { ...base, path: '/org/freedesktop/DBus/Local' },
      { ...base, interfaceName: 'org.freedesktop.DBus.Local' },
    ]) {
      await expect(c.call(m)).rejects.toMatchObject({ type: ErrorNames.InvalidArgs });
    }
    expect(() =>
      c.emitSignal({ path: '/org/freedesktop/DBus/Local', interfaceName: 'a.b', member: 'C' }),
    ).toThrow(/not sent/);
    await c.call({ ...base, interfaceName: 'org.freedesktop.DBus.Peer' });
    expect(c.closed).toBe(false);
  });
});

describe('a handler that returns after its connection closed', () => {
  it('sends nothing, throws nothing; the caller gets NoReply from the bus', async () => {
    const Slow1 = makeInterface('org.example.Slow1', {
      methods: { Wait: { in: [], out: [['v', 'u']] } },
    });
    const host = await tb.connect();
    let started!: () => void;
    const running = new Promise<void>((r) => {
      started = r;
    });
    let finished = false;
    let release!: () => void;
    const released = new Promise<void>((r) => {
      release = r;
    });
    let returned!: () => void;
    const handlerReturned = new Promise<void>((r) => {
      returned = r;
    });
    new SkeletonBase(
      host,
      Slow1,
      '/slow',
      {
        wait: async () => {
          started();
          await released; // until the connection is closed
          finished = true;
          queueMicrotask(returned);
          return 1;
        },
      },
      {},
    );
    const call = client.call({
      destination: host.uniqueName,
      path: '/slow',
      interfaceName: 'org.example.Slow1',
      member: 'Wait',
    });
    const outcome = call.then(
      () => undefined,
      (e: unknown) => e,
    );
    await running;
    await host.close();
    expect(await outcome).toMatchObject({ type: ErrorNames.NoReply });
    release();
    await handlerReturned;
    // The skeleton handles the returned value in the turns after; an exception there would be
    // an unhandled rejection, which fails the run.
    await new Promise((r) => setImmediate(r));
    expect(finished).toBe(true);
  });
});
