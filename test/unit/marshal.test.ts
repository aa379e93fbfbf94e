/**
 * Our marshaller against dbus-next 0.10.2's own: byte-identical whole messages for every
 * body dbus-next can marshal (ay anywhere: top level, structs, variants, aay), and
 * round trips through our reader for what it cannot write (Map dicts, INT64 min,
 * NaN, -0, Uint8Array).
 */
import dbus from 'dbus-next';
import compat from 'dbus-next/lib/marshall-compat.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMessage } from '../../runtime/transport/header.js';
import { marshalMessage, type OutgoingMessage } from '../../runtime/transport/marshal.js';
import { readBody } from '../../runtime/transport/message.js';
import { Variant } from '../../runtime/variant.js';
import { parseSignature } from '../../spec/signature.js';
import { bodyArb, valueArb } from '../support/arbitraries.js';
import { received, toDbusNext } from '../support/values.js';

const header = {
  path: '/org/example/Obj',
  interfaceName: 'org.example.Iface',
  member: 'Method',
  destination: ':1.42',
};

function dbusNextBytes(m: OutgoingMessage): Buffer {
  const msg = new dbus.Message({
    type: m.type,
    serial: m.serial,
    path: m.path,
    interface: m.interfaceName,
    member: m.member,
    destination: m.destination,
    signature: m.signature,
    body: m.body as unknown[],
    flags: m.flags ?? 0,
    ...(m.replySerial ? { replySerial: m.replySerial } : {}),
    ...(m.errorName ? { errorName: m.errorName } : {}),
  } as never);
  return compat.marshallMessage(msg)[0];
}

/** Reads a message back with our reader (header.ts + body decoder). */
function readBack(buf: Buffer): { signature: string; body: unknown[] } {
  const raw = parseMessage(buf)!;
  return { signature: raw.signature, body: readBody(raw) as unknown[] };
}

describe('byte-identical to dbus-next', () => {
  it('fixed cases: empty body, error, reply, signal', () => {
    const cases: OutgoingMessage[] = [
      { type: 1, serial: 1, ...header },
      { type: 1, serial: 7, flags: 3, ...header, signature: 'ay', body: [Buffer.from([1, 2, 3])] },
      {
        type: 2,
        serial: 9,
        replySerial: 4,
        destination: ':1.3',
        signature: 'ay',
        body: [Buffer.alloc(1 << 16, 5)],
      },
      {
        type: 3,
        serial: 10,
        replySerial: 4,
        destination: ':1.3',
        errorName: 'org.example.Error.X',
        signature: 's',
        body: ['bad'],
      },
      {
        type: 4,
        serial: 11,
        path: '/a',
        interfaceName: 'a.b',
        member: 'S',
        signature: 'aay(ayv)',
        body: [
          [Buffer.from('x'), Buffer.alloc(0)],
          [Buffer.from([9]), new Variant('ay', Buffer.from([1]))],
        ],
      },
    ];
    for (const m of cases) {
      const theirs = dbusNextBytes({
        ...m,
        body: m.body && parseSignature(m.signature ?? '').map((t, i) => toDbusNext(t, m.body![i])),
      });
      expect(marshalMessage(m).equals(theirs)).toBe(true);
    }
  });

  it('random bodies (ay anywhere)', () => {
    fc.assert(
      fc.property(
        bodyArb({ dbusNextSafe: true }),
        fc.integer({ min: 1, max: 0xffffffff }),
        ({ signature, body }, serial) => {
          const types = parseSignature(signature);
          const ours = marshalMessage({ type: 1, serial, ...header, signature, body });
          const theirs = dbusNextBytes({
            type: 1,
            serial,
            ...header,
            signature,
            body: types.map((t, i) => toDbusNext(t, body[i])),
          });
          expect(ours.toString('hex')).toBe(theirs.toString('hex'));
        },
      ),
      { numRuns: 400 },
    );
  });

  it('random bodies with ay inside structs, variants and aay', () => {
    const sigs = ['(uay)', 'a(ayv)', 'aay', 'v', 'a{sv}', '(a{say}(yay))', 'aaay'];
    fc.assert(
      fc.property(
        fc
          .constantFrom(...sigs)
          .chain((s) => valueArb(s, { dbusNextSafe: true }).map((v) => [s, v] as const)),
        ([sig, value]) => {
          const t = parseSignature(sig)[0]!;
          const ours = marshalMessage({
            type: 1,
            serial: 5,
            ...header,
            signature: sig,
            body: [value],
          });
          const theirs = dbusNextBytes({
            type: 1,
            serial: 5,
            ...header,
            signature: sig,
            body: [toDbusNext(t, value)],
          });
          expect(ours.equals(theirs)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('what dbus-next cannot write, read back by our reader', () => {
  it('Map dicts, INT64 min, NaN, -0, Uint8Array round-trip', () => {
    fc.assert(
      fc.property(bodyArb(), ({ signature, body }) => {
        const types = parseSignature(signature);
        const buf = marshalMessage({ type: 1, serial: 1, ...header, signature, body });
        const back = readBack(buf);
        expect(back.signature).toBe(signature);
        expect(back.body).toStrictEqual(types.map((t, i) => received(t, body[i])));
      }),
      { numRuns: 400 },
    );
  });

  it('INT64 minimum', () => {
    const buf = marshalMessage({
      type: 1,
      serial: 1,
      ...header,
      signature: 'x',
      body: [-(2n ** 63n)],
    });
    expect(readBack(buf).body).toEqual([-(2n ** 63n)]);
  });
});

describe('speed', () => {
  it('1 MiB ay marshals in well under 50 ms (dbus-next: 0.2-0.5 s)', () => {
    const data = Buffer.alloc(1 << 20, 1);
    const t0 = performance.now();
    for (let i = 0; i < 10; i++)
      marshalMessage({
        type: 2,
        serial: 1,
        replySerial: 1,
        destination: ':1.1',
        signature: 'ay',
        body: [data],
      });
    expect((performance.now() - t0) / 10).toBeLessThan(50);
  });
});
