/**
 * Our proxies against an independent GDBus service (Python + PyGObject): values of every
 * type, errors, signals, properties and PropertiesChanged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DBusError } from '../../runtime/errors.js';
import { ProxyBase } from '../../runtime/proxy.js';
import { Variant } from '../../runtime/variant.js';
import { parseSingleType } from '../../spec/signature.js';
import { startTestBus, type TestBus } from '../support/bus.js';
import { echoName, Py1 } from '../support/interop-iface.js';
import { hasPythonGi, type PythonService, startPythonService } from '../support/python-service.js';
import { received } from '../support/values.js';

const available = hasPythonGi();
if (!available)
  console.log('python-gdbus interop skipped: /usr/bin/python3 with gi (python3-gi) not found');

type Props = { name: string; volume: number };
class Py1Proxy extends ProxyBase<Props, Pick<Props, 'volume'>, { tick: [number, Buffer] }> {
  echo(sig: string, value: unknown) {
    return this.callMethod(
      this.descriptor.methods.findIndex((m) => m.name === echoName(sig)),
      [value],
    );
  }
  call(name: string, args: unknown[] = []) {
    return this.callMethod(
      this.descriptor.methods.findIndex((m) => m.name === name),
      args,
    );
  }
}

const VALUES: [string, unknown, unknown?][] = [
  ['y', 200],
  ['b', true],
  ['n', -32768],
  ['q', 65535],
  ['i', -5],
  ['u', 4294967295],
  ['x', -(2n ** 63n)],
  ['t', 2n ** 64n - 1n],
  ['d', 3.25],
  ['s', 'héllo 🌍'],
  ['o', '/a/b_1'],
  ['g', 'a{sv}'],
  ['ay', new Uint8Array([0, 255]), Buffer.from([0, 255])],
  ['as', ['x', '']],
  ['aay', [Buffer.from([1]), Buffer.alloc(0)]],
  ['a{sv}', { a: new Variant('u', 1), b: new Variant('as', ['z']) }],
  [
    'a{is}',
    new Map([
      [-1, 'neg'],
      [7, 'seven'],
    ]),
  ],
  ['a{ta{sv}}', new Map([[2n ** 64n - 1n, { k: new Variant('x', -1n) }]])],
  ['(isv)', [1, 's', new Variant('ay', Buffer.from([5]))]],
  ['a(yay)', [[1, Buffer.from([2])]]],
  ['v', new Variant('(ii)', [1, 2])],
  ['av', [new Variant('s', 'x'), new Variant('v', new Variant('b', false))]],
];

describe.skipIf(!available)('our proxy -> Python GDBus service', () => {
  let tb: TestBus;
  let py: PythonService;
  let proxy: Py1Proxy;

  beforeAll(async () => {
    tb = await startTestBus();
    py = await startPythonService(tb.address, 'org.example.Py1');
    proxy = new Py1Proxy(await tb.connect(), Py1, 'org.example.Py1', '/org/example/Py1');
  });
  afterAll(async () => {
    await py?.stop();
    await tb?.stop();
  });

  it.each(VALUES)('echo %s', async (sig, value, expected) => {
    expect(await proxy.echo(sig, value)).toStrictEqual(
      received(parseSingleType(sig), expected ?? value),
    );
  });

  it('1 MiB Save', async () => {
    const data = (await proxy.call('Save')) as Buffer;
    expect(data.length).toBe(1 << 20);
    expect(data[257]).toBe(1);
  });

  it('error names come through', async () => {
    const err = (await proxy.call('Fail').catch((e: unknown) => e)) as DBusError;
    expect(err).toBeInstanceOf(DBusError);
    expect(err.type).toBe('org.example.Error.Custom');
    expect(err.text).toBe('custom text');
  });

  it('signals from a well-known name', async () => {
    const got: [number, Buffer][] = [];
    const off = await proxy.on('tick', (n, data) => got.push([n, data]));
    await proxy.call('Emit', [42]);
    for (let i = 0; i < 200 && got.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
    expect(got).toStrictEqual([[42, Buffer.from([1, 2, 3])]]);
    await off();
  });

  it('properties and PropertiesChanged', async () => {
    expect(await proxy.get('name')).toBe('py');
    const changes: Partial<Props>[] = [];
    const off = await proxy.onPropertiesChanged((c) => changes.push(c));
    await proxy.set('volume', 9);
    expect(await proxy.get('volume')).toBe(9);
    expect(await proxy.getAll()).toStrictEqual({ name: 'py', volume: 9 });
    for (let i = 0; i < 200 && changes.length === 0; i++)
      await new Promise((r) => setTimeout(r, 5));
    expect(changes).toStrictEqual([{ volume: 9 }]);
    await off();
  });
});
