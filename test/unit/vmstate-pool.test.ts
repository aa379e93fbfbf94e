import { describe, expect, it } from 'vitest';
import { DBusError } from '../../runtime/errors.js';
import { callFailure } from '../../vmstate/failure.js';
import { mapBounded } from '../../vmstate/pool.js';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('mapBounded', () => {
  it('keeps order and never exceeds the bound', async () => {
    let inFlight = 0;
    let most = 0;
    const out = await mapBounded([5, 1, 4, 2, 3, 0], 2, async (n) => {
      most = Math.max(most, ++inFlight);
      await tick(n);
      inFlight--;
      return n * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30, 0]);
    expect(most).toBe(2);
  });

  it('stops starting items after a failure, waits for those in flight, throws the first error', async () => {
    const started: number[] = [];
    const finished: number[] = [];
    const run = mapBounded([0, 1, 2, 3, 4], 2, async (n) => {
      started.push(n);
      if (n === 0) throw new Error('first');
      await tick(30);
      finished.push(n);
      return n;
    });
    await expect(run).rejects.toThrow('first');
    expect(started).toEqual([0, 1]);
    expect(finished).toEqual([1]);
  });

  it('handles no items and a bound larger than the list', async () => {
    expect(await mapBounded([], 8, async () => 1)).toEqual([]);
    expect(await mapBounded([1], 8, async (n) => n)).toEqual([1]);
  });
});

describe('callFailure names the helper and tells what happened', () => {
  const t0 = performance.now();
  it.each([
    [
      new DBusError('org.freedesktop.DBus.Error.NoReply', 'no reply to x within 300 ms'),
      'timeout',
      'helper "idB" (:1.7): Save got no reply within 300 ms',
    ],
    [
      new DBusError(
        'org.freedesktop.DBus.Error.NoReply',
        'Message recipient disconnected from message bus without replying',
      ),
      'call-failed',
      'helper "idB" (:1.7) left the bus during Save (org.freedesktop.DBus.Error.NoReply: Message recipient disconnected from message bus without replying)',
    ],
    [
      new DBusError(
        'org.freedesktop.DBus.Error.ServiceUnknown',
        'The name :1.7 was not provided by any .service files',
      ),
      'call-failed',
      'helper "idB" (:1.7) left the bus before Save (org.freedesktop.DBus.Error.ServiceUnknown: The name :1.7 was not provided by any .service files)',
    ],
    [
      new DBusError('org.example.Broken', 'boom'),
      'call-failed',
      'helper "idB" (:1.7): Save failed: org.example.Broken: boom',
    ],
  ])('%s', (err, code, message) => {
    const f = callFailure(err, 'Save', 'idB', ':1.7', 300, t0);
    expect(f.code).toBe(code);
    expect(f.message).toBe(message);
    expect(f.helperId).toBe('idB');
    expect(f.busName).toBe(':1.7');
    expect(f.cause).toBe(err);
  });
});

describe('mapBounded: the bound with odd values', () => {
  it.each([Number.NaN, 0, -3, 0.5, 2.7])('concurrency %s still runs every item', async (limit) => {
    let inFlight = 0;
    let most = 0;
    const out = await mapBounded([1, 2, 3, 4, 5], limit, async (n) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      return n * 2;
    });
    expect(out).toEqual([2, 4, 6, 8, 10]);
    expect(most).toBeLessThanOrEqual(Math.max(1, Math.floor(limit) || 1));
  });
});
