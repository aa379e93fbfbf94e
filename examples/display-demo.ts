/**
 * `npm run demo:display`: QEMU's D-Bus display from TypeScript, end to end.
 *
 * 1. Starts a private dbus-daemon and `qemu-system-x86_64 -display dbus` on it (paused, VGA,
 *    with an HMP monitor on a dbus chardev).
 * 2. Waits for QEMU to own `org.qemu`, registers a display listener on console 0 and writes
 *    the first frame as `display-demo.png` (or the path given as the first argument).
 * 3. Runs `info version` and `info status` on the monitor through Chardev.Register.
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
  { stdio: ['ignore', 'inherit', 'inherit'] },
);
const conn = await connect(bus.address);
let failed = false;
try {
  await waitForName(conn, 'org.qemu', 10_000);
  console.log(`QEMU is on ${bus.address}`);

  const session = await registerListener(conn);
  const fb = session.listener.framebuffer;
  await session.listener.until(() => fb.hasSurface, 10_000);
  writeFileSync(output, encodePng(fb.toImage()));
  console.log(`screenshot: ${output} (${fb.width}x${fb.height})`);

  const monitor = await openMonitor(conn, 'mon0');
  console.log(`monitor: ${monitor.banner}`);
  for (const cmd of ['info version', 'info status']) {
    console.log(`(qemu) ${cmd}\n${await monitor.command(cmd)}`);
  }
  monitor.close();

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
