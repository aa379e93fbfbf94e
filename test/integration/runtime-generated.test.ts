/**
 * Round trips through generated code (generated/*.ts): the bus's own interface through
 * DBusProxy against dbus-daemon, VMState1 and Display1.Clipboard proxy <-> skeleton.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DBusProxy } from '../../generated/org.freedesktop.DBus.js';
import { ClipboardProxy, ClipboardSkeleton } from '../../generated/org.qemu.Display1.Clipboard.js';
import { VMState1Proxy, VMState1Skeleton } from '../../generated/org.qemu.VMState1.js';
import type { Connection } from '../../runtime/connection.js';
import { DBusError, ErrorNames, ValidationError } from '../../runtime/errors.js';
import { startPeers, type TestBus } from '../support/bus.js';

let tb: TestBus;
let server: Connection;
let client: Connection;

beforeAll(async () => {
  ({ tb, server, client } = await startPeers());
});
afterAll(async () => {
  await tb?.stop();
});

describe('org.freedesktop.DBus (generated) against dbus-daemon', () => {
  it('methods, errors and NameOwnerChanged', async () => {
    const bus = new DBusProxy(client, 'org.freedesktop.DBus', '/org/freedesktop/DBus');
    expect(await bus.listNames()).toContain(client.uniqueName);
    expect(await bus.getConnectionUnixUser(server.uniqueName)).toBe(process.getuid?.());
    expect(await bus.getId()).toMatch(/^[0-9a-f]{32}$/);
    const err = (await bus
      .getNameOwner('org.example.Nobody')
      .catch((e: unknown) => e)) as DBusError;
    expect(err).toBeInstanceOf(DBusError);
    expect(err.type).toBe(ErrorNames.NameHasNoOwner);
    const seen: string[][] = [];
    const off = await bus.on('nameOwnerChanged', (name, oldOwner, newOwner) =>
      seen.push([name, oldOwner, newOwner]),
    );
    expect(
      await new DBusProxy(server, 'org.freedesktop.DBus', '/org/freedesktop/DBus').requestName(
        'org.example.Gen',
        4,
      ),
    ).toBe(1);
    for (let i = 0; i < 200 && !seen.some((s) => s[0] === 'org.example.Gen'); i++)
      await new Promise((r) => setTimeout(r, 5));
    expect(seen).toContainEqual(['org.example.Gen', '', server.uniqueName]);
    await off();
  });
});

describe('org.qemu.VMState1 (generated)', () => {
  it('Save/Load 1 MiB and the Id property', async () => {
    let state: Uint8Array = Buffer.from('initial');
    const sk = new VMState1Skeleton(
      server,
      '/org/qemu/VMState1',
      {
        save: () => state,
        load: (data) => {
          state = Buffer.from(data);
        },
      },
      { id: 'helper-a' },
    );
    const proxy = new VMState1Proxy(client, server.uniqueName, '/org/qemu/VMState1');
    expect(await proxy.get('id')).toBe('helper-a');
    expect(await proxy.getAll()).toStrictEqual({ id: 'helper-a' });
    const big = Buffer.alloc(1 << 20, 0xab);
    await proxy.load(big);
    expect(Buffer.compare(await proxy.save(), big)).toBe(0);
    sk.unexport();
    await expect(proxy.save()).rejects.toMatchObject({ type: ErrorNames.UnknownObject });
  });
});

describe('org.qemu.Display1.Clipboard (generated)', () => {
  it('typed args, several out args, validation naming the path', async () => {
    const grabs: unknown[] = [];
    new ClipboardSkeleton(
      server,
      '/org/qemu/Display1/Clipboard',
      {
        register: () => {},
        unregister: () => {},
        grab: (selection, serial, mimes) => {
          grabs.push([selection, serial, mimes]);
        },
        release: () => {},
        request: (_selection, mimes) => ({ replyMime: mimes[0] ?? '', data: Buffer.from('clip') }),
      },
      { interfaces: [] },
    );
    const proxy = new ClipboardProxy(client, server.uniqueName, '/org/qemu/Display1/Clipboard');
    await proxy.grab(0, 7, ['text/plain', 'text/html']);
    expect(grabs).toStrictEqual([[0, 7, ['text/plain', 'text/html']]]);
    expect(await proxy.request(0, ['text/plain'])).toStrictEqual({
      replyMime: 'text/plain',
      data: Buffer.from('clip'),
    });
    const err = (await proxy
      .grab(0, 1, ['a', 'b', 'c', 4 as unknown as string])
      .catch((e: unknown) => e)) as ValidationError;
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.message).toBe(
      'org.qemu.Display1.Clipboard.Grab: argument "mimes[3]" (s): expected string, got number',
    );
  });
});
