/**
 * `npm run demo:display`: QEMU's D-Bus display from TypeScript, end to end.
 *
 * 1. Starts a private dbus-daemon and `qemu-system-x86_64 -display dbus` on it (paused, VGA,
 *    with an HMP monitor on a dbus chardev).
 * 2. Waits for QEMU to own `org.qemu` and registers a display listener on console 0 (QEMU
 *    sends the paused VM's 640×480 screen at once).
 * 3. Opens the HMP monitor through Chardev.Register: `info version`, then `cont`; waits (by
 *    event) until the BIOS text screen (720×400) is there, `stop`s and writes it as
 *    `display-demo.png` (or the path given as the first argument).
 * 4. Presses and releases a key and moves the mouse through the generated proxies.
 * Exits 1 if anything fails.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { encodePng, openMonitor, registerListener, waitForName } from '../display/index.js';
import { KeyboardProxy } from '../generated/org.qemu.Display1.Keyboard.js';
import { MouseProxy } from '../generated/org.qemu.Display1.Mouse.js';
import { connect } from '../runtime/index.js';
import { PrivateBus } from '../runtime/private-bus.js';

const QEMU = process.env['QEMU_BIN'] ?? 'qemu-system-x86_64';
const output = resolve(process.argv[2] ?? 'display-demo.png');
const CONSOLE = '/org/qemu/Display1/Console_0';

const bus = await PrivateBus.start();
const qemu = spawn(
  QEMU,
  [
    ...['-M', 'pc', '-nodefaults', '-vga', 'std', '-S', '-name', 'display-demo'],
    ...[
      '-chardev',
      'dbus,id=mon0,name=org.qemu.monitor.hmp.0',
      '-mon',
      'chardev=mon0,mode=readline',
    ],
    ...['-display', `dbus,p2p=no,addr=${bus.address}`],
  ],
  { stdio: ['ignore', 'ignore', 'pipe'] },
);
let qemuStderr = '';
qemu.stderr?.on('data', (d: Buffer) => {
  qemuStderr += d.toString();
});
const conn = await connect(bus.address);
let failed = false;
try {
  await waitForName(conn, 'org.qemu', 10_000);
  console.log(`QEMU is on ${bus.address}`);

  const session = await registerListener(conn);
  const { listener } = session;
  const fb = listener.framebuffer;
  await listener.until(() => fb.hasSurface, 10_000);
  console.log(`listener: first frame ${fb.width}x${fb.height}`);

  const monitor = await openMonitor(conn, 'mon0');
  console.log(`monitor: ${monitor.banner}`);
  console.log(`(qemu) info version\n${await monitor.command('info version')}`);
  await monitor.command('cont');
  // The guest's BIOS switches VGA to 80x25 text: Updates in the new size, then Width/Height.
  await listener.until(() => fb.width === 720 && fb.height === 400, 30_000);
  await monitor.command('stop');
  console.log(`(qemu) info status\n${await monitor.command('info status')}`);
  monitor.close();
  writeFileSync(output, encodePng(fb.toImage()));
  console.log(`screenshot: ${output} (${fb.width}x${fb.height})`);

  const keyboard = new KeyboardProxy(conn, 'org.qemu', CONSOLE);
  await keyboard.press(30); // 'a' (a PC scancode)
  await keyboard.release(30);
  const mouse = new MouseProxy(conn, 'org.qemu', CONSOLE);
  if (await mouse.get('isAbsolute')) await mouse.setAbsPosition(10, 10);
  else await mouse.relMotion(5, 5);
  console.log('keyboard and mouse input accepted');
  await session.close();
} catch (err) {
  failed = true;
  console.error(`display-demo: ${err instanceof Error ? err.message : String(err)}`);
  if (qemuStderr !== '') console.error(`QEMU stderr: ${qemuStderr.trim()}`);
} finally {
  await conn.close();
  if (qemu.exitCode === null && qemu.signalCode === null) {
    const exited = new Promise((r) => qemu.once('exit', r));
    qemu.kill('SIGTERM');
    await exited;
  }
  await bus.stop();
}
process.exitCode = failed ? 1 : 0;
