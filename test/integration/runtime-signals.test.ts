/**
 * Signals, PropertiesChanged and the authorization hook over a private dbus-daemon.
 * Match rules are counted on the daemon (org.freedesktop.DBus.Debug.Stats).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cachedUidCount } from '../../runtime/auth.js';
import type { Connection } from '../../runtime/connection.js';
import { DBusError, ErrorNames, ValidationError } from '../../runtime/errors.js';
import { ProxyBase } from '../../runtime/proxy.js';
import { SkeletonBase } from '../../runtime/skeleton.js';
import type { Variant } from '../../runtime/variant.js';
import { matchRuleCount, startTestBus, type TestBus } from '../support/bus.js';
import { makeInterface } from '../support/descriptor.js';

const Sig1 = makeInterface('org.example.Sig1', {
  methods: { Hello: { in: [['who', 's']], out: [['greeting', 's']] } },
  signals: {
    Tick: [
      ['n', 'u'],
      ['data', 'ay'],
    ],
    Changed: [['props', 'a{sv}']],
  },
  properties: {
    Loud: { type: 'u', access: 'readwrite', emits: 'true' },
    Quiet: { type: 's', access: 'read', emits: 'invalidates' },
    Fixed: { type: 's', access: 'read', emits: 'const' },
    Silent: { type: 'b', access: 'readwrite', emits: 'false' },
  },
});
type Props = { loud: number; quiet: string; fixed: string; silent: boolean };
type Signals = { tick: [number, Buffer]; changed: [Record<string, Variant>] };

class SigProxy extends ProxyBase<Props, Pick<Props, 'loud' | 'silent'>, Signals> {
  hello(who: string) {
    return this.callMethod(0, [who]);
  }
}
class SigSkeleton extends SkeletonBase<Props> {
  emitTick(n: number, data: Uint8Array) {
    this.emitSignal(0, [n, data]);
  }
}

let tb: TestBus;
let server: Connection;
let client: Connection;
let observer: Connection;
let skeleton: SigSkeleton;
const seen: { sender: string; uid: number | undefined; member: string; iface: string }[] = [];
let allow = true;

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(cond: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await wait(5);
  }
}

beforeAll(async () => {
  tb = await startTestBus();
  [server, client, observer] = [await tb.connect(), await tb.connect(), await tb.connect()];
  skeleton = new SigSkeleton(
    server,
    Sig1,
    '/org/example/Sig1',
    { hello: (who: string) => `hi ${who}` },
    { loud: 1, quiet: 'q', fixed: 'f', silent: false },
    {
      authorize: (req) => {
        seen.push({
          sender: req.sender,
          uid: req.uid,
          member: req.member,
          iface: req.interfaceName,
        });
        return allow;
      },
    },
  );
  expect(await server.requestName('org.example.Sig1')).toBe(1);
});
afterAll(async () => {
  await tb?.stop();
});

describe('signals', () => {
  it('typed subscription receives validated args; unsubscribe stops delivery', async () => {
    const proxy = new SigProxy(client, Sig1, server.uniqueName, '/org/example/Sig1');
    const got: [number, Buffer][] = [];
    const off = await proxy.on('tick', (n, data) => got.push([n, data]));
    skeleton.emitTick(7, new Uint8Array([1, 2]));
    await until(() => got.length === 1);
    expect(got[0]).toStrictEqual([7, Buffer.from([1, 2])]);
    await off();
    skeleton.emitTick(8, new Uint8Array());
    await proxy.hello('x'); // a round trip after the emit: the signal would have arrived
    expect(got.length).toBe(1);
  });

  it('a well-known destination is resolved to its owner', async () => {
    const proxy = new SigProxy(client, Sig1, 'org.example.Sig1', '/org/example/Sig1');
    const got: number[] = [];
    const off = await proxy.on('tick', (n) => got.push(n));
    skeleton.emitTick(9, new Uint8Array());
    await until(() => got.length === 1);
    // A different sender on the same path/interface is filtered out.
    observer.emitSignal({
      path: '/org/example/Sig1',
      interfaceName: 'org.example.Sig1',
      member: 'Tick',
      signature: 'uay',
      body: [99, new Uint8Array()],
    });
    skeleton.emitTick(10, new Uint8Array());
    await until(() => got.length === 2);
    expect(got).toEqual([9, 10]);
    await off();
  });

  it('emit validates its args', () => {
    expect(() => skeleton.emitTick(-1, new Uint8Array())).toThrow(ValidationError);
  });

  it('N subscribe/unsubscribe cycles leave no match rule on the daemon', async () => {
    const before = await matchRuleCount(observer, client.uniqueName);
    for (const dest of [server.uniqueName, 'org.example.Sig1']) {
      const proxy = new SigProxy(client, Sig1, dest, '/org/example/Sig1');
      for (let i = 0; i < 20; i++) {
        const offs = await Promise.all([
          proxy.on('tick', () => {}),
          proxy.onPropertiesChanged(() => {}),
        ]);
        expect(await matchRuleCount(observer, client.uniqueName)).toBeGreaterThan(before);
        for (const off of offs) await off();
      }
    }
    expect(await matchRuleCount(observer, client.uniqueName)).toBe(before);
  });
});

describe('shared match rules', () => {
  it('identical subscriptions share one rule; it goes with the last unsubscribe', async () => {
    const before = await matchRuleCount(observer, client.uniqueName);
    const a = new SigProxy(client, Sig1, server.uniqueName, '/org/example/Sig1');
    const b = new SigProxy(client, Sig1, server.uniqueName, '/org/example/Sig1');
    const got: string[] = [];
    const offA = await a.on('tick', () => got.push('a'));
    const offB = await b.on('tick', () => got.push('b'));
    expect(await matchRuleCount(observer, client.uniqueName)).toBe(before + 1);
    skeleton.emitTick(1, new Uint8Array());
    await until(() => got.length === 2);
    await offA();
    expect(await matchRuleCount(observer, client.uniqueName)).toBe(before + 1);
    skeleton.emitTick(2, new Uint8Array());
    await until(() => got.length === 3);
    expect(got.sort()).toEqual(['a', 'b', 'b']);
    await offB();
    await offB(); // twice is harmless
    expect(await matchRuleCount(observer, client.uniqueName)).toBe(before);
  });
});

describe('PropertiesChanged honours EmitsChangedSignal', () => {
  it('true: value; invalidates: name only; const/false: nothing', async () => {
    const proxy = new SigProxy(client, Sig1, server.uniqueName, '/org/example/Sig1');
    const events: [Partial<Props>, string[]][] = [];
    const off = await proxy.onPropertiesChanged((changed, invalidated) =>
      events.push([changed, invalidated]),
    );
    skeleton.setProperty('loud', 5);
    skeleton.setProperty('quiet', 'new');
    skeleton.setProperty('fixed', 'other');
    skeleton.setProperty('silent', true);
    skeleton.setProperty('loud', 5); // unchanged: no signal
    // A sentinel last: one connection's signals arrive in the order sent, so once it is here
    // any signal for fixed, silent or the unchanged loud would have arrived before it.
    skeleton.setProperty('loud', 7);
    await until(() => events.some(([changed]) => changed.loud === 7));
    expect(events).toStrictEqual([
      [{ loud: 5 }, []],
      [{}, ['quiet']],
      [{ loud: 7 }, []],
    ]);
    await proxy.set('loud', 6); // remote Set emits too
    await until(() => events.length === 4);
    expect(events[3]).toStrictEqual([{ loud: 6 }, []]);
    await off();
  });

  it('setProperty validates', () => {
    expect(() => skeleton.setProperty('loud', -5)).toThrow(ValidationError);
  });
});

describe('authorization hook', () => {
  it('gets sender, uid and member; deny -> AccessDenied and the handler is not called', async () => {
    const proxy = new SigProxy(client, Sig1, server.uniqueName, '/org/example/Sig1');
    seen.length = 0;
    allow = true;
    expect(await proxy.hello('a')).toBe('hi a');
    expect(seen[0]).toEqual({
      sender: client.uniqueName,
      uid: process.getuid?.(),
      member: 'Hello',
      iface: 'org.example.Sig1',
    });
    allow = false;
    const err = (await proxy.hello('b').catch((e: unknown) => e)) as DBusError;
    expect(err).toBeInstanceOf(DBusError);
    expect(err.type).toBe(ErrorNames.AccessDenied);
    await expect(proxy.get('loud')).rejects.toMatchObject({ type: ErrorNames.AccessDenied });
    await expect(proxy.getAll()).rejects.toMatchObject({ type: ErrorNames.AccessDenied });
    expect(seen.map((s) => s.member)).toEqual(['Hello', 'Hello', 'Get', 'GetAll']);
    allow = true;
  });

  it('uids are cached per sender and dropped when the sender leaves', async () => {
    const c = await tb.connect();
    const proxy = new SigProxy(c, Sig1, server.uniqueName, '/org/example/Sig1');
    await proxy.hello('x');
    const n = cachedUidCount(server);
    await c.close();
    await until(() => cachedUidCount(server) === n - 1);
  });
});
