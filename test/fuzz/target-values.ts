/**
 * D-Bus values fuzz target: random values of random types through a proxy -> dbus-daemon
 * -> skeleton echo. Each must either come back equal (in its received form) or be refused
 * by the proxy with a ValidationError before anything is sent.
 */
import type { InterfaceDescriptor } from '../../runtime/descriptor.js';
import {
  type Connection,
  connect,
  ProxyBase,
  SkeletonBase,
  ValidationError,
} from '../../runtime/index.js';
import { PrivateBus } from '../../runtime/private-bus.js';
import { parseSingleType } from '../../spec/signature.js';
import { type FuzzResult, fail, newResult } from './report.js';
import { Rng } from './rng.js';
import { corrupt, randomSignature, same, toReceived, validValue } from './values-gen.js';

const IFACE = 'org.dbuscg.Fuzz1';
const CALL_LIMIT_MS = 5000;

export function echoDescriptor(sig: string): InterfaceDescriptor {
  const arg = (name: string) => ({ name, tsName: name, type: sig });
  return {
    name: IFACE,
    methods: [
      {
        name: 'Echo',
        tsName: 'echo',
        inArgs: [arg('v')],
        outArgs: [arg('r')],
        inSignature: sig,
        outSignature: sig,
      },
    ],
    signals: [],
    properties: [],
    annotations: {},
    xml: `<interface name="${IFACE}"><method name="Echo"><arg name="v" type="${sig}" direction="in"/><arg name="r" type="${sig}" direction="out"/></method></interface>`,
  };
}

export class EchoProxy extends ProxyBase<object, object, Record<string, never>> {
  constructor(connection: Connection, signature: string, destination: string, path: string) {
    super(connection, echoDescriptor(signature), destination, path);
  }

  echo(value: unknown): Promise<unknown> {
    return this.callMethod(0, [value], { timeoutMs: CALL_LIMIT_MS });
  }
}

function show(v: unknown): string {
  try {
    const s = JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? `${x}n` : x));
    return (s ?? String(v)).slice(0, 200);
  } catch {
    return String(v).slice(0, 200);
  }
}

export async function fuzzValues(cases: number, seed: number): Promise<FuzzResult> {
  const r = newResult('values');
  const bus = await PrivateBus.start();
  const conns: Connection[] = [];
  let roundTrips = 0;
  let refused = 0;
  try {
    const server = await connect(bus.address);
    const client = await connect(bus.address);
    conns.push(server, client);
    for (let i = 0; i < cases; i++) {
      const rng = new Rng(seed + i);
      const sig = randomSignature(rng);
      const type = parseSingleType(sig);
      const valid = validValue(rng, type);
      const bad = rng.chance(0.3);
      const value = bad ? corrupt(rng, type, valid) : valid;
      const where = `seed=${seed + i} ${sig} ${bad ? 'corrupted' : 'valid'} ${show(value)}`;
      r.cases++;
      const path = `/fuzz/c${i}`;
      let handled = 0;
      let received: unknown;
      const descriptor = echoDescriptor(sig);
      const skeleton = new SkeletonBase(
        server,
        descriptor,
        path,
        {
          echo: (v: unknown) => {
            handled++;
            received = v;
            return v;
          },
        },
        {},
      );
      const started = performance.now();
      try {
        const back = await new EchoProxy(client, sig, server.uniqueName, path).echo(value).then(
          (v) => ({ ok: true as const, v }),
          (e: unknown) => ({ ok: false as const, e }),
        );
        if (performance.now() - started > CALL_LIMIT_MS) fail(r, 'hang', where);
        else if (back.ok) {
          roundTrips++;
          let expected: unknown;
          try {
            expected = toReceived(type, value);
          } catch {
            fail(r, 'crash', `${where}: accepted a value that has no received form`);
            continue;
          }
          if (!same(expected, received))
            fail(r, 'crash', `${where}: skeleton got ${show(received)}`);
          else if (!same(expected, back.v))
            fail(r, 'crash', `${where}: echo came back ${show(back.v)}`);
        } else if (back.e instanceof ValidationError) {
          refused++;
          if (!bad) fail(r, 'crash', `${where}: a valid value was refused: ${back.e.message}`);
          if (handled > 0) fail(r, 'crash', `${where}: refused, yet the skeleton was called`);
        } else {
          const e = back.e as Error;
          fail(r, 'crash', `${where}: ${e?.name}: ${e?.message}`);
        }
      } finally {
        skeleton.unexport();
      }
      if (client.closed || server.closed) {
        fail(r, 'crash', `${where}: a connection closed`);
        break;
      }
    }
  } finally {
    await Promise.all(conns.map((c) => c.close().catch(() => {})));
    await bus.stop();
  }
  r.notes.push(`values round-tripped=${roundTrips} refused-before-send=${refused}`);
  return r;
}
