/**
 * Signal subscriptions and the bus's match rules (runtime/signals.ts) over a private
 * dbus-daemon: concurrent subscribe/unsubscribe leaves exactly the live rules.
 */
import { describe, expect, it } from 'vitest';
import { subscribeSignal } from '../../runtime/signals.js';
import { matchRuleCount } from '../support/bus.js';
import { busForFile } from '../support/bus-hooks.js';
import { deferred, within } from '../support/events.js';

const bus = busForFile();

const PATH = '/org/example/Vault1';

describe('match rules under concurrent subscribe/unsubscribe', () => {
  it('interleaved subscriptions to the same rules leave exactly the live ones', async () => {
    const observer = await bus.tb.connect();
    const sub = await bus.tb.connect();
    expect(await bus.server.requestName('org.example.Vault')).toBe(1);
    const before = await matchRuleCount(observer, sub.uniqueName);
    const filters = [
      {
        sender: bus.server.uniqueName,
        path: PATH,
        interfaceName: 'org.example.Vault1',
        member: 'A',
      },
      { sender: 'org.example.Vault', path: PATH, interfaceName: 'org.example.Vault1', member: 'A' },
    ];
    const jitter = () => new Promise((r) => setTimeout(r, Math.floor(Math.random() * 3)));
    await Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        await jitter();
        const off = await subscribeSignal(sub, filters[i % 2]!, () => {});
        await jitter();
        await off();
      }),
    );
    expect(await matchRuleCount(observer, sub.uniqueName)).toBe(before);
    const got: number[] = [];
    const both = deferred();
    const offs = await Promise.all(
      filters.map((f, i) =>
        subscribeSignal(sub, f, () => {
          if (got.push(i) === 2) both.resolve();
        }),
      ),
    );
    bus.server.emitSignal({ path: PATH, interfaceName: 'org.example.Vault1', member: 'A' });
    await within(both.promise, 'the signal through both subscriptions');
    expect(got.sort()).toEqual([0, 1]);
    for (const off of offs) await off();
    expect(await matchRuleCount(observer, sub.uniqueName)).toBe(before);
  });
});
