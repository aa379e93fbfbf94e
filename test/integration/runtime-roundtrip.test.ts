/**
 * ProxyBase <-> SkeletonBase over a private dbus-daemon: every type round-trips, errors
 * keep their names, validation happens before sending, dispatch answers the reference
 * daemon's error names.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '../../runtime/connection.js';
import { DBusError, ErrorNames, ValidationError } from '../../runtime/errors.js';
import { ProxyBase } from '../../runtime/proxy.js';
import { SkeletonBase } from '../../runtime/skeleton.js';
import { Variant } from '../../runtime/variant.js';
import { parseSingleType } from '../../spec/signature.js';
import { startPeers, type TestBus } from '../support/bus.js';
import { makeInterface } from '../support/descriptor.js';
import { received } from '../support/values.js';

const CASES: [string, unknown, unknown?][] = [
  ['y', 255],
  ['b', true],
  ['n', -32768],
  ['q', 65535],
  ['i', -2147483648],
  ['u', 4294967295],
  ['x', -(2n ** 63n)],
  ['x', 42, 42n],
  ['t', 2n ** 64n - 1n],
  ['d', -1.5e300],
  ['d', Number.NaN],
  ['d', -0],
  ['s', 'héllo 🌍'],
  ['o', '/org/qemu/Display1/Console_0'],
  ['g', 'a{sv}(iay)'],
  ['ay', new Uint8Array([0, 1, 255]), Buffer.from([0, 1, 255])],
  ['ay', Buffer.alloc(0)],
  ['as', ['a', '', 'c']],
  ['ax', [1n, -(2n ** 63n)]],
  ['aay', [Buffer.from('ab'), Buffer.alloc(0)]],
  ['a{sv}', { A: new Variant('s', 'x'), B: new Variant('ay', Buffer.from([1])) }],
  [
    'a{is}',
    new Map([
      [1, 'one'],
      [-5, 'minus five'],
    ]),
  ],
  ['a{ts}', new Map([[2n ** 64n - 1n, 'max']])],
  ['a{bs}', new Map([[true, 'yes']])],
  ['a{oas}', { '/a': ['x'], '/b': [] }],
  ['(isv)', [1, 's', new Variant('(ii)', [1, 2])]],
  ['a(yay)', [[1, Buffer.from([2, 3])]]],
  ['v', new Variant('v', new Variant('i', 7))],
  ['av', [new Variant('a{sv}', { k: new Variant('x', 5n) })]],
  ['a{sa{sv}}', { outer: { inner: new Variant('b', false) } }],
];

const sigName = (sig: string) =>
  sig.replace(/[^a-z]/gi, (c) => ({ '{': 'D', '}': 'E', '(': 'S', ')': 'T' })[c] ?? '_');
const methods: Record<string, { in: [string, string][]; out: [string, string][] }> = {};
for (const [sig] of CASES)
  methods[`Echo_${sigName(sig)}`] = { in: [['value', sig]], out: [['value', sig]] };

const Test1 = makeInterface('org.example.Test1', {
  methods: {
    ...methods,
    Multi: {
      in: [],
      out: [
        ['a', 's'],
        ['b', 'u'],
        ['c', 'ay'],
      ],
    },
    Fail: { in: [['kind', 's']], out: [] },
    BadReply: { in: [], out: [['n', 'u']] },
    Slow: { in: [['ms', 'u']], out: [] },
    Fire: { in: [['n', 'u']], out: [], noReply: true },
    PassFd: { in: [['fd', 'h']], out: [] },
    Grab: { in: [['mimes', 'as']], out: [] },
  },
  properties: {
    Name: { type: 's', access: 'read' },
    Volume: { type: 'u', access: 'readwrite' },
    Secret: { type: 's', access: 'write' },
    Unset: { type: 's', access: 'read' },
  },
});

class TestProxy extends ProxyBase<
  { name: string; volume: number; unset: string },
  { volume: number; secret: string },
  Record<string, never>
> {
  echo(sig: string, value: unknown) {
    return this.callMethod(
      this.descriptor.methods.findIndex((m) => m.name === `Echo_${sigName(sig)}`),
      [value],
    );
  }
  call(name: string, args: unknown[]) {
    return this.callMethod(
      this.descriptor.methods.findIndex((m) => m.name === name),
      args,
    );
  }
}

let tb: TestBus;
let server: Connection;
let client: Connection;
let proxy: TestProxy;
let fired: number[] = [];
let skeleton: SkeletonBase<{ name: string; volume: number; secret: string; unset?: string }>;

beforeAll(async () => {
  ({ tb, server, client } = await startPeers());
  const handlers: Record<string, unknown> = {
    multi: () => ({ a: 'x', b: 7, c: Buffer.from([9]) }),
    fail: (kind: string) => {
      if (kind === 'dbus') throw new DBusError('org.example.Error.Custom', 'custom text');
      if (kind === 'badname') throw new DBusError('not a valid name', 'x');
      if (kind === 'nul') throw new DBusError('org.example.Error.Nul', 'a\0b\uD800');
      if (kind === 'path')
        throw new Error(`ENOENT: no such file '/etc/secret/file' at ${import.meta.url}:12:3`);
      throw new TypeError('boom');
    },
    badReply: () => -1,
    slow: (ms: number) => new Promise((r) => setTimeout(r, ms)),
    fire: (n: number) => {
      fired.push(n);
    },
    grab: () => undefined,
  };
  for (const [sig] of CASES) handlers[`echo_${sigName(sig)}`] = (v: unknown) => v;
  skeleton = new SkeletonBase(server, Test1, '/org/example/Test1', handlers, {
    name: 'test',
    volume: 3,
    secret: 'hidden',
  });
  proxy = new TestProxy(client, Test1, server.uniqueName, '/org/example/Test1');
});
afterAll(async () => {
  await tb?.stop();
});

describe('round trips', () => {
  it.each(CASES.map((c, i) => [i, ...c] as const))('#%i %s', async (_i, sig, value, expected) => {
    const got = await proxy.echo(sig, value);
    expect(got).toStrictEqual(received(parseSingleType(sig), expected ?? value));
  });

  it('several out args come back as an object keyed by name', async () => {
    expect(await proxy.call('Multi', [])).toStrictEqual({ a: 'x', b: 7, c: Buffer.from([9]) });
  });

  it('1 MiB ay round-trips', async () => {
    const big = Buffer.alloc(1 << 20, 7);
    const got = (await proxy.echo('ay', big)) as Buffer;
    expect(got.length).toBe(1 << 20);
    expect(Buffer.compare(got, big)).toBe(0);
  });
});

describe('errors', () => {
  it('a thrown DBusError reaches the caller as is', async () => {
    await expect(proxy.call('Fail', ['dbus'])).rejects.toMatchObject({
      type: 'org.example.Error.Custom',
      text: 'custom text',
    });
  });

  it('any other exception becomes Failed with no stack, path or line numbers', async () => {
    for (const kind of ['plain', 'path']) {
      const err = (await proxy.call('Fail', [kind]).catch((e: unknown) => e)) as DBusError;
      expect(err).toBeInstanceOf(DBusError);
      expect(err.type).toBe(ErrorNames.Failed);
      expect(err.text).not.toMatch(/\/|:\d+|at |boom|ENOENT/);
    }
  });

  it('an invalid error name becomes Failed; a NUL or lone surrogate in the text is made safe', async () => {
    await expect(proxy.call('Fail', ['badname'])).rejects.toMatchObject({
      type: ErrorNames.Failed,
    });
    await expect(proxy.call('Fail', ['nul'])).rejects.toMatchObject({
      type: 'org.example.Error.Nul',
      text: 'a\\0b\uFFFD',
    });
    expect(server.closed).toBe(false);
  });

  it('invalid header fields and bodies are refused locally; the connection survives', async () => {
    const bad = new TestProxy(client, Test1, server.uniqueName, '/not//valid');
    await expect(bad.call('Multi', [])).rejects.toMatchObject({ type: ErrorNames.InvalidArgs });
    const badDest = new TestProxy(client, Test1, 'not a bus name', '/org/example/Test1');
    await expect(badDest.call('Multi', [])).rejects.toMatchObject({ type: ErrorNames.InvalidArgs });
    const raw = client.call({
      destination: server.uniqueName,
      path: '/x',
      interfaceName: 'a.b',
      member: 'M',
      signature: 'o',
      body: ['bad path'],
    });
    await expect(raw).rejects.toBeInstanceOf(ValidationError);
    expect(client.closed).toBe(false);
    expect(await proxy.call('Multi', [])).toBeTruthy();
  });

  it('an invalid handler result is not sent', async () => {
    const err = (await proxy.call('BadReply', []).catch((e: unknown) => e)) as DBusError;
    expect(err.type).toBe(ErrorNames.Failed);
  });

  it('arguments are validated before sending, naming the path inside the value', async () => {
    const err = (await proxy
      .call('Grab', [['a', 'b', 'c', 4]])
      .catch((e: unknown) => e)) as ValidationError;
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.message).toBe(
      'org.example.Test1.Grab: argument "mimes[3]" (s): expected string, got number',
    );
    expect(err.valuePath).toBe('mimes[3]');
  });

  it('an h value that is not an fd is refused before sending; the connection survives', async () => {
    await expect(proxy.call('PassFd', ['0'])).rejects.toBeInstanceOf(ValidationError);
    await expect(proxy.call('PassFd', [-1])).rejects.toBeInstanceOf(ValidationError);
    expect(await proxy.call('Multi', [])).toBeTruthy();
  });

  it('wrong signature -> InvalidArgs; unknown member/interface/object', async () => {
    const base = { destination: server.uniqueName, path: '/org/example/Test1' };
    const expectType = async (m: Parameters<Connection['call']>[0], type: string) => {
      await expect(client.call(m)).rejects.toMatchObject({ type });
    };
    await expectType(
      { ...base, interfaceName: 'org.example.Test1', member: 'Fail', signature: 'i', body: [1] },
      ErrorNames.InvalidArgs,
    );
    await expectType(
      { ...base, interfaceName: 'org.example.Test1', member: 'Nope' },
      ErrorNames.UnknownMethod,
    );
    await expectType(
      { ...base, interfaceName: 'org.example.Nope', member: 'Nope' },
      ErrorNames.UnknownInterface,
    );
    await expectType(
      { ...base, path: '/nothing/here', interfaceName: 'org.example.Test1', member: 'Multi' },
      ErrorNames.UnknownObject,
    );
  });

  it('a call without an interface header is dispatched by member', async () => {
    const r = await client.call({
      destination: server.uniqueName,
      path: '/org/example/Test1',
      member: 'Multi',
    });
    expect(r.signature).toBe('suay');
  });
});

describe('properties', () => {
  it('get, set, getAll', async () => {
    expect(await proxy.get('name')).toBe('test');
    await proxy.set('volume', 11);
    expect(skeleton.getProperty('volume')).toBe(11);
    expect(await proxy.get('volume')).toBe(11);
    expect(await proxy.getAll()).toStrictEqual({ name: 'test', volume: 11 });
  });

  it('property errors', async () => {
    const props = {
      destination: server.uniqueName,
      path: '/org/example/Test1',
      interfaceName: 'org.freedesktop.DBus.Properties',
    };
    await expect(
      client.call({
        ...props,
        member: 'Get',
        signature: 'ss',
        body: ['org.example.Test1', 'Nope'],
      }),
    ).rejects.toMatchObject({ type: ErrorNames.UnknownProperty });
    await expect(
      client.call({
        ...props,
        member: 'Set',
        signature: 'ssv',
        body: ['org.example.Test1', 'Name', new Variant('s', 'x')],
      }),
    ).rejects.toMatchObject({ type: ErrorNames.PropertyReadOnly });
    await expect(
      client.call({
        ...props,
        member: 'Set',
        signature: 'ssv',
        body: ['org.example.Test1', 'Volume', new Variant('s', 'x')],
      }),
    ).rejects.toMatchObject({ type: ErrorNames.InvalidArgs });
    await expect(
      client.call({
        ...props,
        member: 'Get',
        signature: 'ss',
        body: ['org.example.Test1', 'Secret'],
      }),
    ).rejects.toMatchObject({ type: ErrorNames.AccessDenied });
    await expect(
      client.call({ ...props, member: 'GetAll', signature: 's', body: ['org.example.Nope'] }),
    ).rejects.toMatchObject({ type: ErrorNames.UnknownInterface });
    await expect(proxy.set('volume', -1)).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('calls', () => {
  it('NoReply methods resolve at once and the skeleton sends no reply', async () => {
    fired = [];
    expect(await proxy.call('Fire', [5])).toBeUndefined();
    await proxy.call('Multi', []);
    expect(fired).toEqual([5]);
    expect(client.pendingCallCount).toBe(0);
  });

  it('with NO_REPLY_EXPECTED the skeleton sends nothing back, not even errors', async () => {
    const c = await tb.connect();
    const replies: number[] = [];
    (
      c as unknown as { transport: { onMessage(l: (m: { type: number }) => void): void } }
    ).transport.onMessage((m) => {
      if (m.type === 2 || m.type === 3) replies.push(m.type);
    });
    const base = {
      destination: server.uniqueName,
      path: '/org/example/Test1',
      interfaceName: 'org.example.Test1',
    };
    c.callNoReply({ ...base, member: 'Multi' });
    c.callNoReply({ ...base, member: 'Fail', signature: 's', body: ['dbus'] });
    c.callNoReply({ ...base, member: 'Nope' });
    await c.call({ ...base, member: 'Multi' });
    expect(replies).toEqual([2]);
  });

  it('a call times out with NoReply and leaves no pending entry', async () => {
    const err = (await client
      .call(
        {
          destination: server.uniqueName,
          path: '/org/example/Test1',
          interfaceName: 'org.example.Test1',
          member: 'Slow',
          signature: 'u',
          body: [1000],
        },
        { timeoutMs: 100 },
      )
      .catch((e: unknown) => e)) as DBusError;
    expect(err.type).toBe(ErrorNames.NoReply);
    expect(client.pendingCallCount).toBe(0);
  });

  it('Peer.Ping and GetMachineId work on any path', async () => {
    const peer = {
      destination: server.uniqueName,
      path: '/any/where',
      interfaceName: 'org.freedesktop.DBus.Peer',
    };
    await client.call({ ...peer, member: 'Ping' });
    const r = await client.call({ ...peer, member: 'GetMachineId' }).catch((e: DBusError) => e);
    if (r instanceof DBusError) expect(r.type).toBe(ErrorNames.Failed);
    else expect(r.body[0]).toMatch(/^[0-9a-f]{32}$/);
  });

  it('closing rejects pending calls with Disconnected', async () => {
    const c = await tb.connect();
    const p = c.call({
      destination: server.uniqueName,
      path: '/org/example/Test1',
      interfaceName: 'org.example.Test1',
      member: 'Slow',
      signature: 'u',
      body: [2000],
    });
    const settled = p.catch((e: unknown) => e);
    // A Ping sent after it is answered after the server has taken the Slow call: it is in flight.
    await c.call({
      destination: server.uniqueName,
      path: '/',
      interfaceName: 'org.freedesktop.DBus.Peer',
      member: 'Ping',
    });
    await c.close();
    expect(await settled).toMatchObject({ type: ErrorNames.Disconnected });
    await expect(
      c.call({ path: '/', member: 'X', destination: 'org.freedesktop.DBus' }),
    ).rejects.toMatchObject({ type: ErrorNames.Disconnected });
  });
});
