/** The `dbus-vmstate` CLI end to end: file-backed helpers, list, save, inspect, load, exit codes. */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrivateBus } from '../../runtime/private-bus.js';
import { decodeBlob, encodeBlob } from '../../vmstate/blob.js';

const CLI = new URL('../../vmstate/cli.ts', import.meta.url).pathname;
const NODE_ARGS = ['--import', 'tsx', CLI];

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await promisify(execFile)(process.execPath, [...NODE_ARGS, ...args]);
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

interface Served {
  readonly child: ChildProcess;
  readonly lines: string[];
  waitFor(re: RegExp): Promise<string>;
  stop(): Promise<number | null>;
}

function serve(...args: string[]): Promise<Served> {
  const child = spawn(process.execPath, [...NODE_ARGS, 'serve', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters: { re: RegExp; resolve: (l: string) => void }[] = [];
  let buf = '';
  child.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    const parts = buf.split('\n');
    buf = parts.pop()!;
    for (const l of parts) {
      lines.push(l);
      for (const w of waiters.filter((x) => x.re.test(l))) w.resolve(l);
    }
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
  const served: Served = {
    child,
    lines,
    waitFor: (re) => {
      const seen = lines.find((l) => re.test(l));
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        waiters.push({ re, resolve });
        exited.then((c) => reject(new Error(`serve exited (${c}) before ${re}: ${stderr}`)));
      });
    },
    stop: async () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
  return served.waitFor(/^serving /).then(() => served);
}

let src: PrivateBus;
let dst: PrivateBus;
let dir: string;
const helpers: Served[] = [];

beforeAll(async () => {
  [src, dst] = await Promise.all([PrivateBus.start(), PrivateBus.start()]);
  dir = mkdtempSync(join(tmpdir(), 'vmstate-cli-'));
});
afterAll(async () => {
  await Promise.all(helpers.map((h) => h.stop()));
  await Promise.all([src.stop(), dst.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

describe('dbus-vmstate CLI', () => {
  it('serve, list, save, inspect, load: state files migrate byte for byte', async () => {
    const stateA = Buffer.from("I'am\0idA!\0");
    const stateB = Buffer.alloc(300_000, 0xab);
    writeFileSync(join(dir, 'a.src'), stateA);
    writeFileSync(join(dir, 'b.src'), stateB);
    for (const [id, f] of [
      ['idA', 'a.src'],
      ['idB', 'b.src'],
    ] as const) {
      helpers.push(await serve('--address', src.address, '--id', id, '--state-file', join(dir, f)));
    }
    const dstA = await serve(
      '--address',
      dst.address,
      '--id',
      'idA',
      '--state-file',
      join(dir, 'a.dst'),
      '--incoming',
    );
    const dstB = await serve(
      '--address',
      dst.address,
      '--id',
      'idB',
      '--state-file',
      join(dir, 'b.dst'),
      '--incoming',
    );
    helpers.push(dstA, dstB);
    expect(dstA.lines[0]).toMatch(
      /^serving "idA" as :1\.\d+ on unix:path=.* \(primary owner\), waiting for Load$/,
    );
    expect(dstB.lines[0]).toMatch(/\(queued\), waiting for Load$/);

    const list = await cli('list', '--address', src.address);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^idA\t:1\.\d+\nidB\t:1\.\d+\n$/);

    const blobFile = join(dir, 'state.blob');
    const saved = await cli('save', '--address', src.address, '-o', blobFile);
    expect(saved.code).toBe(0);
    expect(saved.stdout).toMatch(
      /^idA\t10 bytes\t[\d.]+ ms\nidB\t300000 bytes\t[\d.]+ ms\nsaved 2 helpers, 300036 bytes, to /,
    );
    expect(decodeBlob(readFileSync(blobFile)).map((e) => e.id)).toEqual(['idA', 'idB']);

    const inspected = await cli('inspect', blobFile);
    expect(inspected.stdout).toBe(
      'blob: 2 entries, 300036 bytes, 0 bytes of zero padding\nidA\t10 bytes\nidB\t300000 bytes\n',
    );
    const extracted = join(dir, 'a.extracted');
    expect((await cli('inspect', blobFile, '--extract', 'idA', '-o', extracted)).code).toBe(0);
    expect(readFileSync(extracted).equals(stateA)).toBe(true);

    const loaded = await cli('load', '--address', dst.address, blobFile);
    expect(loaded.stderr).toBe('');
    expect(loaded.code).toBe(0);
    expect(await dstA.waitFor(/^loaded /)).toBe(
      `loaded "idA": 10 bytes written to ${join(dir, 'a.dst')}`,
    );
    await dstB.waitFor(/^loaded /);
    expect(readFileSync(join(dir, 'a.dst')).equals(stateA)).toBe(true);
    expect(readFileSync(join(dir, 'b.dst')).equals(stateB)).toBe(true);
    // Atomic write: no temporary file left behind.
    expect(readFileSync(join(dir, 'b.dst')).length).toBe(300_000);
    expect(existsSync(join(dir, `.b.dst.tmp`))).toBe(false);

    // Save never stops a helper; SIGTERM does, with exit 0 and the name released.
    expect((await cli('list', '--address', src.address)).stdout.split('\n').length).toBe(3);
    expect(await dstB.stop()).toBe(0);
    expect((await cli('list', '--address', dst.address)).stdout).toMatch(/^idA\t:1\.\d+\n$/);
  });

  it.each([
    [['save', '--address', 'unix:path=/nonexistent'], 2, /required option '-o, --output <file>'/],
    [['list'], 2, /required option '--address <address>'/],
    [['frobnicate'], 2, /unknown command 'frobnicate'/],
    [['save', '--address', 'x', '-o', 'y', '--timeout', 'soon'], 2, /expected a positive integer/],
  ])('usage errors exit 2: %j', async (args, code, message) => {
    const r = await cli(...args);
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(message);
  });

  it('failures exit 1 with one line naming the helper', async () => {
    const missing = await cli(
      'save',
      '--address',
      src.address,
      '--id-list',
      'idA,idZ',
      '-o',
      join(dir, 'x.blob'),
    );
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('dbus-vmstate: error: Required VMState Id are missing: "idZ"\n');
    expect(existsSync(join(dir, 'x.blob'))).toBe(false);

    const bad = join(dir, 'bad.blob');
    writeFileSync(bad, encodeBlob([{ id: 'idA', data: Buffer.from('x') }]).subarray(0, 15));
    const r = await cli('load', '--address', src.address, bad);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'dbus-vmstate: error: blob truncated: the data of "idA" needs 1 bytes, 0 left (at byte 15)\n',
    );

    const unknown = join(dir, 'unknown.blob');
    writeFileSync(unknown, encodeBlob([{ id: 'nobody', data: Buffer.from('x') }]));
    const u = await cli('load', '--address', src.address, unknown);
    expect(u.code).toBe(1);
    expect(u.stderr).toBe(
      'dbus-vmstate: error: blob entries without a helper on this bus: "nobody"\n',
    );

    const e = await cli('inspect', unknown, '--extract', 'idQ');
    expect(e.code).toBe(1);
    expect(e.stderr).toMatch(/no helper "idQ" in /);

    const noFile = await cli('inspect', join(dir, 'nope'));
    expect(noFile.code).toBe(1);
    expect(noFile.stderr).toMatch(/^dbus-vmstate: error: ENOENT/);
  });

  it('serve refuses an invalid Id with exit 1', async () => {
    const r = await cli(
      'serve',
      '--address',
      src.address,
      '--id',
      'x'.repeat(256),
      '--state-file',
      join(dir, 'z'),
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/VMState Id "x+" is 256 bytes long \(at most 255\)/);
  });
});
