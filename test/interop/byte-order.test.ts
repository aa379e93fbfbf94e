/**
 * Our receive path against an independent peer sending in BOTH byte orders: a Python GDBus
 * peer (test/interop/fixtures/gdbus-order-peer.py) that sets every message's byte order
 * with Gio.DBusMessage.set_byte_order. fast-check picks a type and a value; each case runs
 * through a private dbus-daemon in four directions:
 * - proxy: our call, the peer's reply (method return in ORDER);
 * - property: our proxy's Get, the peer's `v` reply in ORDER;
 * - signal: the peer emits the value in ORDER to our subscription;
 * - skeleton: the peer calls our skeleton in ORDER (Bounce), we decode and echo it.
 */

import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '../../runtime/connection.js';
import { DoubleKeyMap } from '../../runtime/double-key-map.js';
import { ProxyBase } from '../../runtime/proxy.js';
import { SkeletonBase } from '../../runtime/skeleton.js';
import { Variant } from '../../runtime/variant.js';
import { parseSingleType } from '../../spec/signature.js';
import { typeArb, valueArb } from '../support/arbitraries.js';
import { startTestBus, type TestBus } from '../support/bus.js';
import { makeInterface } from '../support/descriptor.js';
import { hasPythonGi, type PythonService, startPythonScript } from '../support/python-service.js';
import { received } from '../support/values.js';

const PEER = fileURLToPath(new URL('fixtures/gdbus-order-peer.py', import.meta.url));
const available = hasPythonGi();
const RUNS = 100;

/** Every basic type with values whose bytes differ in the two orders, then containers. */
const FIXED: [string, unknown][] = [
  ['y', 0xfe],
  ['b', true],
  ['n', -2],
  ['q', 0x1234],
  ['i', -2],
  ['u', 0x01020304],
  ['x', 1n],
  ['x', -2n],
  ['t', 0x0102030405060708n],
  ['d', -1.5e-300],
  ['s', 'héllo 🌍'],
  ['o', '/a/b_1'],
  ['g', 'a{sv}(xt)'],
  ['ay', Buffer.from([0, 1, 255])],
  ['a{xs}', new Map([[-(2n ** 63n), 'min']])],
  [
    'a{ds}',
    new DoubleKeyMap([
      [-0, 'minus zero'],
      [0, 'zero'],
      [1.5, 'x'],
    ]),
  ],
  [
    'a{sv}',
    Object.fromEntries([
      ['__proto__', new Variant('u', 1)],
      ['k', new Variant('s', 'x')],
    ]),
  ],
  ['(nqiuxtd)', [-1, 2, -3, 4, -5n, 6n, 7.25]],
  ['av', [new Variant('x', 1n), new Variant('(qt)', [1, 2n])]],
];

function iface(sig: string) {
  const one = [['value', sig]] as const;
  return makeInterface('org.example.Order1', {
    methods: { Echo: { in: one, out: one }, Bounce: { in: one, out: one }, Signal: { in: one } },
    signals: { Sig: one },
    properties: { Value: { type: sig, access: 'read' } },
  });
}

class OrderProxy extends ProxyBase<{ value: unknown }, object, { sig: [unknown] }> {
  call(name: string, value: unknown) {
    return this.callMethod(
      this.descriptor.methods.findIndex((m) => m.name === name),
      [value],
    );
  }
}

describe.skipIf(!available).each([
  ['big-endian', 'B'],
  ['little-endian', 'l'],
])('a GDBus peer sending %s', (_name, order) => {
  let tb: TestBus;
  let server: Connection;
  let client: Connection;
  let py: PythonService;
  let n = 0;

  beforeAll(async () => {
    tb = await startTestBus();
    server = await tb.connect();
    client = await tb.connect();
    py = await startPythonScript(PEER, [tb.address, order, server.uniqueName]);
  });
  afterAll(async () => {
    await py?.stop();
    await tb?.stop();
  });

  async function roundTrip(sig: string, value: unknown): Promise<void> {
    const path = `/org/example/Order1/c${n++}`;
    const d = iface(sig);
    const want = received(parseSingleType(sig), value);
    let got: unknown[] = [];
    const skeleton = new SkeletonBase(
      server,
      d,
      path,
      {
        echo: (v: unknown) => {
          got.push(v);
          return v;
        },
        bounce: (v: unknown) => v,
        signal: () => undefined,
      },
      { value },
    );
    const proxy = new OrderProxy(client, d, py.uniqueName, path);
    const signals: unknown[][] = [];
    const off = await proxy.on('sig', (...args) => signals.push(args));
    try {
      expect(await proxy.call('Echo', value)).toStrictEqual(want); // proxy direction
      expect(await proxy.get('value')).toStrictEqual(want); // property
      await proxy.call('Signal', value);
      for (let i = 0; i < 400 && signals.length === 0; i++) {
        await new Promise((r) => setTimeout(r, 5));
      }
      expect(signals).toStrictEqual([[want]]); // signal
      got = [];
      expect(await proxy.call('Bounce', value)).toStrictEqual(want);
      expect(got).toStrictEqual([want]); // skeleton direction
    } finally {
      await off();
      skeleton.unexport();
    }
  }

  it('fixed values of every type, four directions', async () => {
    for (const [sig, value] of FIXED) await roundTrip(sig, value);
  });

  it(`random types and values, four directions (${RUNS} cases)`, async () => {
    await fc.assert(
      fc.asyncProperty(
        typeArb().chain((sig) => valueArb(sig, { maxArray: 4 }).map((v) => [sig, v] as const)),
        ([sig, value]) => roundTrip(sig, value),
      ),
      { numRuns: RUNS },
    );
  }, 120_000);
});
