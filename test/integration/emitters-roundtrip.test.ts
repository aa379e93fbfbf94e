/**
 * Generated code end to end: the generated Mapping1 proxy calls the generated Mapping1 skeleton
 * over a private dbus-daemon. Checks that the emitters wire names, indexes, argument order and
 * out-arg shapes the way the runtime expects (fixture: test/types/fixtures/org.example.Mapping1.xml).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallContext, Connection } from '../../runtime/index.js';
import { DBusError, Variant } from '../../runtime/index.js';
import { startPeers, type TestBus } from '../support/bus.js';
import {
  exportMapping1,
  type Mapping1Handlers,
  Mapping1Proxy,
  type Mapping1Skeleton,
} from '../types/generated/org.example.Mapping1.js';

const PATH = '/org/example/Mapping1';

describe('generated proxy <-> generated skeleton', () => {
  let tb: TestBus;
  let server: Connection;
  let client: Connection;
  let skeleton: Mapping1Skeleton;
  let proxy: Mapping1Proxy;
  const seen: { member: string; sender: string }[] = [];

  const handlers: Mapping1Handlers = {
    nothing: (ctx: CallContext) => {
      seen.push({ member: ctx.member, sender: ctx.sender });
    },
    bytes: (data) => Buffer.concat([data, Buffer.from([0xff])]),
    int64: (x) => x * 2n + 1n,
    basics: () => {},
    dicts: (vardict, numbers) => ({
      vardict: { ...vardict, seen: new Variant('u', Object.keys(vardict).length) },
      numbers: new Map([...numbers].map(([k, v]) => [k + 1, v.toUpperCase()])),
    }),
    structs: (pair, list) => [pair[0] + list.length, `${pair[1]}!`],
    variants: (value) => [value, new Variant('s', 'second')],
    unnamed: (s) => ({ arg0: [s, s], arg1: s.length }),
    delete: (class_, interface_) => {
      throw new DBusError('org.example.Error.Refused', `${class_}/${interface_}`);
    },
  };

  beforeAll(async () => {
    ({ tb, server, client } = await startPeers());
    skeleton = exportMapping1(server, PATH, handlers, {
      big: 7n,
      props: { a: new Variant('s', 'b') },
      secret: new Uint8Array([1]),
      strings: ['x'],
    });
    proxy = new Mapping1Proxy(client, server.uniqueName, PATH);
  });

  afterAll(async () => {
    skeleton?.unexport();
    await tb?.stop();
  });

  it('0, 1 and several out-args', async () => {
    await expect(proxy.nothing()).resolves.toBeUndefined();
    expect(seen).toEqual([{ member: 'Nothing', sender: client.uniqueName }]);
    expect(await proxy.bytes(new Uint8Array([1, 2]))).toEqual(Buffer.from([1, 2, 0xff]));
    expect(await proxy.int64(20)).toBe(41n);
    const d = await proxy.dicts({ k: new Variant('b', true) }, new Map([[1, 'one']]));
    expect(d.numbers).toEqual(new Map([[2, 'ONE']]));
    expect(d.vardict['seen']).toEqual(new Variant('u', 1));
    expect(await proxy.unnamed('ab')).toEqual({ arg0: ['ab', 'ab'], arg1: 2 });
  });

  it('structs, variants, all basic types', async () => {
    expect(await proxy.structs([1, 'a'], [[5n, new Uint8Array([9])]])).toEqual([2, 'a!']);
    const v = await proxy.variants(new Variant('ai', [1, 2]));
    expect(v).toEqual([new Variant('ai', [1, 2]), new Variant('s', 'second')]);
    await expect(
      proxy.basics(255, true, -1, 1, -2, 3, 0.5, 's', '/o', 'a{sv}', 0),
    ).resolves.toBeUndefined(); // `h`: fd 0 is sent as a duplicate
  });

  it('errors thrown by handlers keep their names', async () => {
    await expect(proxy.delete('c', 'i')).rejects.toMatchObject({
      type: 'org.example.Error.Refused',
      text: 'c/i',
    });
  });

  it('properties: get, set, getAll, change signal', async () => {
    expect(await proxy.get('big')).toBe(7n);
    await proxy.set('big', 9);
    expect(skeleton.getProperty('big')).toBe(9n);
    const changes: unknown[] = [];
    const off = await proxy.onPropertiesChanged((changed) => changes.push(changed));
    skeleton.setProperty('strings', ['y', 'z']);
    await expect.poll(() => changes.length).toBe(1);
    expect(changes[0]).toEqual({ strings: ['y', 'z'] });
    await off();
    const all = await proxy.getAll();
    expect(all).toEqual({ big: 9n, props: { a: new Variant('s', 'b') }, strings: ['y', 'z'] });
  });

  it('signals: typed emitter to typed listener', async () => {
    const got: unknown[][] = [];
    const off = await proxy.on('changed', (...args) => got.push(args));
    skeleton.emitChanged('n', 5, [1, 2]);
    await expect.poll(() => got.length).toBe(1);
    expect(got[0]).toEqual(['n', 5n, [1, 2]]);
    await off();
  });
});
