/**
 * The reply table with our reader's raw messages: a reply nobody waits for is never
 * decoded, a reply with an unexpected signature is not decoded, and a call whose reply is
 * still being decoded (in slices) when its timeout passes ends at the deadline with NoReply.
 */
import { describe, expect, it } from 'vitest';
import { ErrorNames } from '../../runtime/errors.js';
import { PendingCalls } from '../../runtime/pending-calls.js';
import { parseMessage } from '../../runtime/transport/header.js';
import { marshalMessage } from '../../runtime/transport/marshal.js';
import type { RawMessage } from '../../runtime/transport/message.js';

const CALL = { path: '/x', interfaceName: 'a.b', member: 'M' };

function reply(replySerial: number, signature: string, body: unknown[]): RawMessage {
  const buf = marshalMessage({ type: 2, serial: 9, replySerial, signature, body });
  return parseMessage(buf)!;
}

function waiting(p: PendingCalls, serial: number, ms: number, replySignature?: string) {
  const out: { resolved?: unknown; rejected?: Error } = {};
  p.add(
    serial,
    { ...CALL, replySignature },
    ms,
    (m) => {
      out.resolved = m;
    },
    (e) => {
      out.rejected = e;
    },
  );
  return out;
}

describe('pending calls and raw replies', () => {
  it('a big reply still decoding when the timeout passes ends the call with NoReply', async () => {
    const p = new PendingCalls();
    const strings = Array.from({ length: 300_000 }, (_, i) => `value-${i}`);
    const raw = reply(5, 'as', [strings]);
    const call = waiting(p, 5, 0);
    const decoding = p.settle(raw);
    expect(decoding).toBeInstanceOf(Promise); // sliced: the timer can run in between
    await decoding;
    expect(call.resolved).toBeUndefined();
    expect(call.rejected).toMatchObject({ type: ErrorNames.NoReply });
    expect(p.size).toBe(0);
  });

  it('the same reply resolves when the call still waits', async () => {
    const p = new PendingCalls();
    const strings = Array.from({ length: 100_000 }, (_, i) => `value-${i}`);
    const call = waiting(p, 6, 60_000);
    await p.settle(reply(6, 'as', [strings]));
    expect((call.resolved as { body: unknown[] }).body).toEqual([strings]);
  });

  it('a reply with an unexpected signature resolves with an empty body, unread', () => {
    const p = new PendingCalls();
    const call = waiting(p, 7, 60_000, 'ay');
    const raw = reply(7, 'as', [['a', 'b']]);
    raw.bodyBytes.fill(0xff); // unreadable: decoding it would fail
    expect(p.settle(raw)).toBeUndefined();
    expect(call.resolved).toMatchObject({ signature: 'as', body: [] });
  });

  it('an unreadable reply rejects with InvalidArgs; a reply nobody waits for is dropped unread', () => {
    const p = new PendingCalls();
    const call = waiting(p, 8, 60_000);
    const raw = reply(8, 'b', [true]);
    raw.bodyBytes[0] = 2;
    p.settle(raw);
    expect(call.rejected).toMatchObject({ type: ErrorNames.InvalidArgs });
    expect(call.rejected?.message).toMatch(/boolean value 2/);
    expect(p.settle(raw)).toBeUndefined();
  });
});
