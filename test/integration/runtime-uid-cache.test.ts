/**
 * The authorization hook's uid cache (runtime/auth.ts) over a private dbus-daemon: entries
 * are made once per live sender and never for a sender that already left.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cachedUidCount, uidOf } from '../../runtime/auth.js';
import type { Connection } from '../../runtime/connection.js';
import { startTestBus, type TestBus } from '../support/bus.js';

let tb: TestBus;
let server: Connection;

beforeAll(async () => {
  tb = await startTestBus();
  server = await tb.connect();
});
afterAll(async () => {
  await tb?.stop();
});

describe('uid cache', () => {
  it('a sender that already left is not cached (its NameOwnerChanged came first)', async () => {
    const gone = await tb.connect();
    const name = gone.uniqueName;
    await gone.close();
    const before = cachedUidCount(server);
    expect(await uidOf(server, name)).toBeUndefined();
    // The lookup failed with NameHasNoOwner: nothing will ever remove an entry for it. A round
    // trip to the bus delivers every NameOwnerChanged sent before it, so an entry that only a
    // signal would remove is still there now; a live lookup shows the count does move.
    await server.callBus('GetId', '', []);
    expect(cachedUidCount(server)).toBe(before);
    const live = await tb.connect();
    await server.callBus('GetId', '', []); // its own NameOwnerChanged (acquired) delivered first
    await uidOf(server, live.uniqueName);
    expect(cachedUidCount(server)).toBe(before + 1);
  });

  it('a live sender is cached once', async () => {
    const live = await tb.connect();
    // Its NameOwnerChanged (name acquired) also drops a cache entry: have it delivered first.
    await server.callBus('GetId', '', []);
    const before = cachedUidCount(server);
    expect(await uidOf(server, live.uniqueName)).toBe(process.getuid?.());
    expect(await uidOf(server, live.uniqueName)).toBe(process.getuid?.());
    expect(cachedUidCount(server)).toBe(before + 1);
  });
});
