/**
 * BENCH scanout-1280x800: one 1280×800 x8r8g8b8 Scanout (4 MB of pixels) delivered to our
 * DisplayListener vs to a Python GDBus listener, both on a peer-to-peer connection over a
 * socketpair. The same sender (scanout-sender.py, GDBus as the authentication server, like
 * QEMU) times each call until its reply, so both sides pay the same sending cost and the
 * difference is the receiver: reading, decoding, keeping the frame. Medians of the calls.
 */
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { benchLine, fmt, median } from './format.js';

const execFileAsync = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const PYTHON = '/usr/bin/python3';

async function timed(iterations: number, receiver: string[]): Promise<number[]> {
  const { stdout } = await execFileAsync(
    PYTHON,
    [join(here, 'scanout-sender.py'), String(iterations), '1280', '800', '--', ...receiver],
    { maxBuffer: 1 << 20, timeout: 300_000 },
  );
  const r = JSON.parse(stdout) as { ms: number[]; receiver_exit: number };
  if (r.receiver_exit !== 0) throw new Error(`receiver exited with ${r.receiver_exit}`);
  return r.ms;
}

export async function run(quick: boolean): Promise<void> {
  const n = quick ? 10 : 40;
  const ours = await timed(n, [
    process.execPath,
    '--import',
    'tsx',
    join(here, 'scanout-listener.ts'),
    '{fd}',
  ]);
  const anchor = await timed(n, [PYTHON, join(here, 'gdbus-scanout-listener.py'), '{fd}']);
  benchLine(
    'scanout-1280x800',
    median(ours),
    median(anchor),
    'ms',
    1.5,
    `${n} Scanouts of 4 MB each, p2p over a socketpair; ours min ${fmt(Math.min(...ours))}ms, GDBus min ${fmt(Math.min(...anchor))}ms`,
  );
}
