/**
 * The `dbus-display` CLI against a real QEMU 7.2: `screenshot` started before QEMU waits for
 * `org.qemu` and writes a PNG (read back by an independent reader) equal to QMP screendump;
 * `monitor` runs HMP commands; a bus without QEMU times out with a clear error (exit 1), bad
 * usage exits 2.
 */
import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPpm } from '../../display/ppm.js';
import { PrivateBus } from '../../runtime/private-bus.js';
import { Qmp } from '../support/qemu.js';
import { DISPLAY_QEMU, displayQemuArgs, displayQemuSkipReason } from '../support/qemu-display.js';

const CLI = new URL('../../display/cli.ts', import.meta.url).pathname;
const PNG_READER = new URL('../support/png-read.py', import.meta.url).pathname;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[]): { child: ChildProcess; done: Promise<Run> } {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const done = new Promise<Run>((resolve) =>
    child.once('exit', (code) => resolve({ code, stdout, stderr })),
  );
  return { child, done };
}

describe.skipIf(displayQemuSkipReason !== undefined)('dbus-display CLI against QEMU 7.2', () => {
  const work = mkdtempSync(join(tmpdir(), 'dbus-display-cli-'));
  let bus: PrivateBus;
  let qemu: ChildProcess | undefined;
  let qmp: Qmp | undefined;

  beforeAll(async () => {
    bus = await PrivateBus.start();
  });
  afterAll(async () => {
    qmp?.close();
    if (qemu && qemu.exitCode === null && qemu.signalCode === null) {
      const exited = new Promise((r) => qemu!.once('exit', r));
      qemu.kill('SIGTERM');
      await exited;
    }
    await bus.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('screenshot, started before QEMU, waits for org.qemu and writes the screendump as PNG', async () => {
    const png = join(work, 'shot.png');
    const shot = cli(['screenshot', '--address', bus.address, '-o', png, '--timeout', '20000']);
    const qmpPath = join(work, 'qmp.sock');
    qemu = spawn(
      DISPLAY_QEMU,
      displayQemuArgs(
        [
          ...['-chardev', 'dbus,id=mon0,name=org.qemu.monitor.hmp.0'],
          ...['-mon', 'chardev=mon0,mode=readline', '-qmp', `unix:${qmpPath},server=on,wait=off`],
        ],
        bus.address,
      ),
      { stdio: 'ignore' },
    );
    const r = await shot.done;
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${png}: 640x480 (x8r8g8b8)\n`);
    const [head, hex] = execFileSync('/usr/bin/python3', [PNG_READER, png], {
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    }).split('\n');
    qmp = await Qmp.connect(qmpPath);
    const dumpFile = join(work, 'dump.ppm');
    await qmp.execute('screendump', { filename: dumpFile });
    const dump = readPpm(readFileSync(dumpFile));
    expect(head).toBe(`${dump.width} ${dump.height} 3`);
    expect(Buffer.from(hex!, 'hex').equals(dump.data)).toBe(true);
  }, 60_000);

  it('monitor runs HMP commands in order and prints their output', async () => {
    const r = await cli([
      ...['monitor', '--address', bus.address, '--chardev', 'mon0'],
      ...['info version', 'info status'],
    ]).done;
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const version = await qmp!.execute<{ qemu: { major: number; minor: number; micro: number } }>(
      'query-version',
    );
    const { major, minor, micro } = version.qemu;
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(new RegExp(`^${major}\\.${minor}\\.${micro}`));
    expect(lines[1]).toMatch(/^VM status: paused/);
  }, 30_000);

  it('a chardev QEMU does not have is QEMU’s error, exit 1', async () => {
    const r = await cli(['monitor', '--address', bus.address, '--chardev', 'nope', 'info version'])
      .done;
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^dbus-display: error: .*(UnknownObject|UnknownMethod|No such)/);
  }, 30_000);

  it('no QEMU on the bus: a clear timeout, exit 1; bad usage: exit 2', async () => {
    const empty = await PrivateBus.start();
    try {
      const r = await cli([
        'screenshot',
        '--address',
        empty.address,
        '-o',
        'x.png',
        '--timeout',
        '300',
      ]).done;
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(
        'dbus-display: error: org.qemu did not appear on the bus within 300 ms\n',
      );
    } finally {
      await empty.stop();
    }
    const usage = await new Promise<number | null>((resolve) =>
      execFile(process.execPath, ['--import', 'tsx', CLI, 'screenshot'], (err) =>
        resolve(err ? ((err as { code?: number }).code ?? null) : 0),
      ),
    );
    expect(usage).toBe(2);
  }, 30_000);
});
