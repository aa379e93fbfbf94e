/**
 * display/ against a real QEMU 7.2 (`-display dbus` on a private bus, VGA, an HMP monitor on
 * a dbus chardev, QMP for the reference): our listener's framebuffer equals QMP `screendump`
 * pixel for pixel, paused (640×480) and after `cont` and `stop` (the BIOS text screen,
 * 720×400); HMP through Chardev.Register; the errors QEMU gives for a second listener on one
 * bus connection and a second chardev client; keyboard and mouse through the generated proxies.
 */
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HmpMonitor } from '../../display/hmp.js';
import { PixmanFormat } from '../../display/pixman.js';
import { readPpm } from '../../display/ppm.js';
import { type DisplaySession, openMonitor, registerListener } from '../../display/register.js';
import { KeyboardProxy } from '../../generated/org.qemu.Display1.Keyboard.js';
import { MouseProxy } from '../../generated/org.qemu.Display1.Mouse.js';
import { DBusError } from '../../runtime/index.js';
import { type DisplayVm, displayQemuSkipReason, startDisplayVm } from '../support/qemu-display.js';

const CONSOLE = '/org/qemu/Display1/Console_0';
const MONITOR = ['-chardev', 'dbus,id=mon0,name=org.qemu.monitor.hmp.0'];
const dumpFile = join(tmpdir(), `screendump-${process.pid}.ppm`);

describe.skipIf(displayQemuSkipReason !== undefined)('display/ against QEMU 7.2', () => {
  let vm: DisplayVm;
  let session: DisplaySession;

  beforeAll(async () => {
    vm = await startDisplayVm(
      ['-name', 'listener-test', ...MONITOR, '-mon', 'chardev=mon0,mode=readline'],
      '',
      { qmp: true },
    );
    session = await registerListener(vm.conn, { timeoutMs: 10_000 });
  });
  afterAll(async () => {
    await session?.close();
    await vm?.stop();
    rmSync(dumpFile, { force: true });
  });

  /** QMP screendump of console 0 as RGB. */
  async function screendump() {
    await vm.qmp!.execute('screendump', { filename: dumpFile });
    return readPpm(readFileSync(dumpFile));
  }

  /**
   * Waits until our framebuffer equals a fresh screendump. Both read the same QEMU surface,
   * but QEMU's Updates to us may still be on the way (and the text cursor blinks), so each
   * mismatch waits for our next update (bounded) and takes a new dump.
   */
  async function matchesScreendump(timeoutMs = 20_000): Promise<void> {
    const { listener } = session;
    const deadline = Date.now() + timeoutMs;
    let last = '';
    for (;;) {
      const dump = await screendump();
      const ours = listener.framebuffer.toImage();
      if (dump.width === ours.width && dump.height === ours.height && dump.data.equals(ours.data))
        return;
      let differ = 0;
      if (dump.data.length === ours.data.length)
        for (let i = 0; i < dump.data.length; i++) if (dump.data[i] !== ours.data[i]) differ++;
      last = `screendump ${dump.width}×${dump.height}, ours ${ours.width}×${ours.height}, ${differ} bytes differ`;
      if (Date.now() > deadline) throw new Error(`framebuffer never matched: ${last}`);
      await listener.nextChange(1000).catch(() => undefined);
    }
  }

  it('paused: the 640×480 x8r8g8b8 Scanout equals screendump pixel for pixel', async () => {
    const { listener } = session;
    await listener.until(() => listener.framebuffer.hasSurface, 10_000);
    expect(listener.framebuffer.width).toBe(640);
    expect(listener.framebuffer.height).toBe(480);
    expect(listener.framebuffer.format).toBe(PixmanFormat.x8r8g8b8);
    await matchesScreendump();
  });

  it('a second RegisterListener on the same bus connection is org.qemu.Display1.Error.Invalid', async () => {
    const err = await registerListener(vm.conn, { timeoutMs: 10_000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DBusError);
    expect((err as DBusError).type).toBe('org.qemu.Display1.Error.Invalid');
    // the first listener still works
    expect(session.listener.framebuffer.width).toBe(640);
  });

  it('after cont (BIOS text mode, 720×400 by Updates) and stop, still screendump pixel for pixel', async () => {
    const { listener } = session;
    await vm.qmp!.execute('cont');
    const fb = listener.framebuffer;
    await listener.until(() => fb.width === 720 && fb.height === 400, 30_000);
    await vm.qmp!.execute('stop');
    await matchesScreendump();
    expect([fb.width, fb.height]).toEqual([720, 400]);
    // not a blank screen: the BIOS printed something
    const img = fb.toImage();
    expect(img.data.some((b) => b !== 0)).toBe(true);
  });

  it("HMP through Chardev.Register: info version is QEMU's version; a second client is refused", async () => {
    const version = await vm.qmp!.execute<{
      qemu: { major: number; minor: number; micro: number };
    }>('query-version');
    const { major, minor, micro } = version.qemu;
    let mon: HmpMonitor | undefined;
    try {
      mon = await openMonitor(vm.conn, 'mon0');
      expect(mon.banner).toMatch(new RegExp(`^QEMU ${major}\\.${minor}\\.${micro} monitor`));
      expect(await mon.command('info version')).toMatch(
        new RegExp(`^${major}\\.${minor}\\.${micro}`),
      );
      expect(await mon.command('info status')).toMatch(/^VM status: (paused|running)/);
      const err = await openMonitor(vm.conn, 'mon0').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DBusError);
      expect((err as DBusError).type).toBe('org.qemu.Display1.Error.Failed');
    } finally {
      mon?.close();
    }
  });

  it('keyboard and mouse input through the generated proxies', async () => {
    const k = new KeyboardProxy(vm.conn, 'org.qemu', CONSOLE);
    await expect(k.press(30)).resolves.toBeUndefined();
    await expect(k.release(30)).resolves.toBeUndefined();
    const m = new MouseProxy(vm.conn, 'org.qemu', CONSOLE);
    if (await m.get('isAbsolute')) await expect(m.setAbsPosition(1, 1)).resolves.toBeUndefined();
    else await expect(m.relMotion(1, 1)).resolves.toBeUndefined();
    await expect(m.press(0)).resolves.toBeUndefined();
    await expect(m.release(0)).resolves.toBeUndefined();
  });
});
