/**
 * Runtime benchmarks (issue 3), all on a private dbus-daemon:
 * - noarg-call: generated PeerProxy.ping() vs raw dbus-next `bus.call` of the same Ping, same
 *   server (Python GDBus), interleaved rounds; per-call median latency. Goal <= 1.10.
 * - save-1MiB: the same VMState1Proxy calling Save() on our skeleton (child process) and on
 *   the Python GDBus service. Goal <= 1.5.
 * - memory: RSS growth of our skeleton's process over 100 x 1 MiB Save replies (and of the
 *   client receiving them; the larger is reported) against a 64 MiB anchor. Goal <= 1.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import dbus from 'dbus-next';
import { PeerProxy } from '../../generated/org.freedesktop.DBus.Peer.js';
import { VMState1Proxy } from '../../generated/org.qemu.VMState1.js';
import { connect } from '../../runtime/connection.js';
import { PrivateBus } from '../../runtime/private-bus.js';
import { startPythonService } from '../support/python-service.js';
import { benchLine, median } from './format.js';

const SERVER = fileURLToPath(new URL('./fixtures/runtime-server.ts', import.meta.url));

async function startOurServer(address: string): Promise<{ name: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', SERVER, address], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const name = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^ready (\S+)$/m.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
  return { name, child };
}

async function timeEach(n: number, f: () => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await f();
    out.push(performance.now() - t0);
  }
  return out;
}

export async function run(quick: boolean): Promise<void> {
  const bus = await PrivateBus.start({ limits: { max_message_size: 64 * 1024 * 1024 } });
  const py = await startPythonService(bus.address);
  const ours = await startOurServer(bus.address);
  const conn = await connect(bus.address);
  const raw = dbus.sessionBus({ busAddress: bus.address });
  await new Promise<void>((resolve, reject) => {
    raw.once('connect', () => resolve());
    raw.once('error', reject);
  });
  try {
    // noarg-call
    const peer = new PeerProxy(conn, py.uniqueName, '/org/example/Py1');
    const ping = () =>
      raw.call(
        new dbus.Message({
          destination: py.uniqueName,
          path: '/org/example/Py1',
          interface: 'org.freedesktop.DBus.Peer',
          member: 'Ping',
        }),
      );
    const rounds = quick ? 5 : 15;
    const per = quick ? 200 : 500;
    await timeEach(200, () => peer.ping());
    await timeEach(200, ping);
    const oursMed: number[] = [];
    const anchorMed: number[] = [];
    for (let r = 0; r < rounds; r++) {
      oursMed.push(median(await timeEach(per, () => peer.ping())));
      anchorMed.push(median(await timeEach(per, ping)));
    }
    benchLine(
      'noarg-call',
      median(oursMed) * 1000,
      median(anchorMed) * 1000,
      'us',
      1.1,
      'generated PeerProxy.ping vs raw dbus-next bus.call',
    );

    // save-1MiB
    const mine = new VMState1Proxy(conn, ours.name, '/org/qemu/VMState1');
    const theirs = new VMState1Proxy(conn, py.uniqueName, '/org/qemu/VMState1');
    const n = quick ? 10 : 30;
    await timeEach(5, () => mine.save());
    await timeEach(5, () => theirs.save());
    const a: number[] = [];
    const b: number[] = [];
    for (let r = 0; r < (quick ? 3 : 5); r++) {
      a.push(median(await timeEach(n, () => mine.save())));
      b.push(median(await timeEach(n, () => theirs.save())));
    }
    benchLine(
      'save-1MiB',
      median(a),
      median(b),
      'ms',
      1.5,
      'our skeleton vs Python GDBus, same VMState1Proxy client',
    );

    // memory
    const rss = async () => {
      const r = await conn.call({
        destination: ours.name,
        path: '/org/example/Bench1',
        interfaceName: 'org.example.Bench1',
        member: 'Rss',
      });
      return Number(r.body[0] as bigint) / 2 ** 20;
    };
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    const server0 = await rss();
    const client0 = process.memoryUsage().rss / 2 ** 20;
    let keep = 0;
    for (let i = 0; i < 100; i++) keep += (await mine.save()).length;
    const serverGrowth = (await rss()) - server0;
    const clientGrowth = process.memoryUsage().rss / 2 ** 20 - client0;
    benchLine(
      'memory',
      Math.max(serverGrowth, clientGrowth, 0),
      64,
      'MiB',
      1,
      `100 x 1 MiB Save replies (${keep >> 20} MiB): server +${serverGrowth.toFixed(1)} MiB, client +${clientGrowth.toFixed(1)} MiB`,
    );
  } finally {
    raw.disconnect();
    await conn.close();
    ours.child.stdin?.end();
    await py.stop();
    await bus.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run(process.argv.includes('--quick'));
