/**
 * fd-call (issue 10): a method call carrying one unix fd, `Read(h) -> s` on a GDBus
 * (Python) service on a private dbus-daemon, which reads the file behind the fd. Ours: our
 * proxy on the native fd transport; anchor: a Python GDBus client making the same call
 * (call_with_unix_fd_list_sync). Per-call median latency over interleaved rounds; goal <= 1.5.
 */
import { execFile } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connect } from '../../runtime/connection.js';
import { PrivateBus } from '../../runtime/private-bus.js';
import { ProxyBase } from '../../runtime/proxy.js';
import { makeInterface } from '../support/descriptor.js';
import { PYTHON, startPythonScript } from '../support/python-service.js';
import { benchLine, median } from './format.js';

const SCRIPT = fileURLToPath(new URL('../interop/fixtures/gdbus-fd-peer.py', import.meta.url));
const Fd1 = makeInterface('org.example.Fd1', {
  methods: { Read: { in: [['fd', 'h']], out: [['text', 's']] } },
});
class ReadProxy extends ProxyBase<
  Record<string, never>,
  Record<string, never>,
  Record<string, never>
> {
  read(fd: number): Promise<unknown> {
    return this.callMethod(0, [fd]);
  }
}

function pythonMedianUs(address: string, dest: string, file: string, n: number): Promise<number> {
  return new Promise((resolve, reject) => {
    execFile(PYTHON, [SCRIPT, 'client', address, dest, file, String(n)], (err, out) => {
      if (err) return reject(err);
      const m = /^median_us (\S+)$/m.exec(out);
      return m ? resolve(Number(m[1])) : reject(new Error(`no median in ${out}`));
    });
  });
}

export async function run(quick: boolean): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-fd-'));
  const file = join(dir, 'f.txt');
  writeFileSync(file, 'fd bench');
  const bus = await PrivateBus.start();
  const py = await startPythonScript(SCRIPT, ['bus', bus.address]);
  const conn = await connect(bus.address);
  const fd = openSync(file, 'r');
  try {
    const proxy = new ReadProxy(conn, Fd1, py.uniqueName, '/org/example/Fd1');
    const n = quick ? 100 : 500;
    const rounds = quick ? 3 : 7;
    for (let i = 0; i < 50; i++) await proxy.read(fd); // warm-up (JIT, caches)
    const ours: number[] = [];
    const anchor: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const times: number[] = [];
      for (let i = 0; i < n; i++) {
        const t0 = performance.now();
        await proxy.read(fd);
        times.push((performance.now() - t0) * 1000);
      }
      ours.push(median(times));
      anchor.push(await pythonMedianUs(bus.address, py.uniqueName, file, n));
    }
    benchLine('fd-call', median(ours), median(anchor), 'us', 1.5, `${rounds}x${n} calls`);
  } finally {
    closeSync(fd);
    await conn.close();
    await py.stop();
    await bus.stop();
  }
}
