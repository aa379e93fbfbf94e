/**
 * The authorization hook's uid cache (runtime/auth.ts) over a private dbus-daemon: entries
 * are made once per live sender and never for a sender that already left.
 */
import { describe, expect, it } from 'vitest';
import { cachedUidCount, uidOf } from '../../runtime/auth.js';
import { busForFile } from '../support/bus-hooks.js';

const bus = busForFile();

describe('uid cache', () => {
  it('a sender that already left is not cached (its NameOwnerChanged came first)', async () => {
    const gone = await bus.tb.connect();
    const name = gone.uniqueName;
    await gone.close();
    const before = cachedUidCount(bus.server);
    expect(await uidOf(bus.server, name)).toBeUndefined();
    // The lookup failed with NameHasNoOwner: nothing will ever remove an entry for it. A round
    // trip to the bus delivers every NameOwnerChanged sent before it, so an entry that only a
    // signal would remove is still there now; a live lookup shows the count does move.
    await bus.server.callBus('GetId', '', []);
    expect(cachedUidCount(bus.server)).toBe(before);
    const live = await bus.tb.connect();
    await bus.server.callBus('GetId', '', []); // its own NameOwnerChanged (acquired) delivered first
    await uidOf(bus.server, live.uniqueName);
    expect(cachedUidCount(bus.server)).toBe(before + 1);
  });

  it('a live sender is cached once', async () => {
    const live = await bus.tb.connect();
    // Its NameOwnerChanged (name acquired) also drops a cache entry: have it delivered first.
    await bus.server.callBus('GetId', '', []);
    const before = cachedUidCount(bus.server);
    expect(await uidOf(bus.server, live.uniqueName)).toBe(process.getuid?.());
    expect(await uidOf(bus.server, live.uniqueName)).toBe(process.getuid?.());
    expect(cachedUidCount(bus.server)).toBe(before + 1);
  });
});
