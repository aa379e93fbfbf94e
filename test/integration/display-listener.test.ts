// The Display1 listener object, driven by our generated ListenerProxy over a private bus (the
// peer-to-peer path with QEMU is in test/interop/qemu-display-listener.test.ts): frames are
// kept, refused frames come back as typed D-Bus errors and reach onError, waiting is by event.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DisplayListener, LISTENER_PATH } from '../../display/listener.js';
import { PixmanFormat } from '../../display/pixman.js';
import { ListenerProxy } from '../../generated/org.qemu.Display1.Listener.js';
import { type Connection, DBusError } from '../../runtime/index.js';
import { startTestBus, type TestBus } from '../support/bus.js';

describe('DisplayListener', () => {
  let tb: TestBus;
  let server: Connection;
  let proxy: ListenerProxy;
  let listener: DisplayListener;
  const errors: Error[] = [];

  beforeAll(async () => {
    tb = await startTestBus();
    server = await tb.connect();
    listener = new DisplayListener(server, {
      limits: { maxWidth: 1024, maxHeight: 1024 },
      onError: (e) => errors.push(e),
    });
    proxy = new ListenerProxy(await tb.connect(), server.uniqueName, LISTENER_PATH);
  });
  afterAll(() => tb.stop());

  it('answers GetAll at once (QEMU waits for it) and keeps Scanout and Update', async () => {
    expect(await proxy.getAll()).toEqual({ interfaces: [] });
    const changed = listener.nextChange(5000);
    const px = Buffer.alloc(8 * 2 * 4);
    for (let i = 0; i < 16; i++) px.writeUInt32LE(0x010203 * i, i * 4);
    await proxy.scanout(8, 2, 32, PixmanFormat.x8r8g8b8, px);
    await changed;
    expect([listener.framebuffer.width, listener.framebuffer.height]).toEqual([8, 2]);
    await proxy.update(7, 1, 1, 1, 4, PixmanFormat.x8r8g8b8, Buffer.from([0x33, 0x22, 0x11, 0]));
    const img = listener.framebuffer.toImage();
    expect([...img.data.subarray(3, 6)]).toEqual([1, 2, 3]); // 0x010203: R=1 G=2 B=3
    expect([...img.data.subarray(45, 48)]).toEqual([0x11, 0x22, 0x33]);
  });

  it('refuses a bad frame with InvalidArgs, reports it, keeps the last good surface', async () => {
    const before = listener.framebuffer.toImage().data;
    const err = await proxy
      .update(7, 1, 2, 1, 8, PixmanFormat.x8r8g8b8, Buffer.alloc(8))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DBusError);
    expect((err as DBusError).type).toBe('org.freedesktop.DBus.Error.InvalidArgs');
    expect((err as DBusError).text).toMatch(/not inside the 8×2 surface/);
    const big = await proxy
      .scanout(2048, 1, 8192, PixmanFormat.x8r8g8b8, Buffer.alloc(8192))
      .catch((e: unknown) => e);
    expect((big as DBusError).text).toMatch(/exceeds the 1024×1024 limit/);
    expect(errors.map((e) => e.name)).toEqual(['FramebufferError', 'FramebufferError']);
    expect(listener.framebuffer.toImage().data.equals(before)).toBe(true);
  });

  it('tracks the pointer, bounds cursor shapes, and wakes waiters on Disable', async () => {
    await proxy.mouseSet(5, 6, 1);
    await proxy.cursorDefine(2, 2, 1, 1, Buffer.alloc(16, 0xff));
    expect(listener.cursor).toMatchObject({
      x: 5,
      y: 6,
      visible: true,
      shape: { width: 2, hotX: 1 },
    });
    await expect(proxy.cursorDefine(1000, 1000, 0, 0, Buffer.alloc(4))).rejects.toThrow(
      /CursorDefine: 1000×1000/,
    );
    const woke = listener.nextChange(5000);
    await proxy.disable();
    await woke;
    expect(listener.disabled).toBe(true);
    await expect(listener.nextChange(50)).rejects.toThrow(/no display update within 50 ms/);
  });

  it('follows a mode change QEMU announces only by Updates in the new size', async () => {
    let size = { width: 12, height: 2 };
    const asked: number[] = [];
    const other = new DisplayListener(await tb.connect(), {
      limits: { maxWidth: 64, maxHeight: 64 },
      consoleSize: async () => {
        asked.push(Date.now());
        return size;
      },
      onError: (e) => errors.push(e),
    });
    const p = new ListenerProxy(await tb.connect(), other.connection.uniqueName, LISTENER_PATH);
    const fb = other.framebuffer;
    await p.scanout(8, 4, 32, PixmanFormat.x8r8g8b8, Buffer.alloc(128, 0x40));
    // a 12-pixel-wide row: the surface grows to hold it, then takes the console's 12×2
    await p.update(0, 1, 12, 1, 48, PixmanFormat.x8r8g8b8, Buffer.alloc(48, 0x80));
    await other.until(() => fb.width === 12 && fb.height === 2, 5000);
    expect(asked.length).toBe(1);
    const img = fb.toImage();
    expect(img.data[0]).toBe(0x40); // kept from the Scanout
    expect(img.data[(12 + 11) * 3]).toBe(0x80); // the new row, beyond the old width
    // beyond the limits it is still refused
    size = { width: 64, height: 64 };
    await expect(
      p.update(0, 0, 65, 1, 260, PixmanFormat.x8r8g8b8, Buffer.alloc(260)),
    ).rejects.toThrow(/exceeds the 64×64 limit/);
    other.resize(5, 5);
    expect([fb.width, fb.height]).toEqual([5, 5]);
  });
});
