/**
 * `dbus-vmstate load`/`inspect` read their file incrementally (readBlobSource): a QEMU
 * migration stream section by section, keeping only the dbus-vmstate blob; a bare blob of at
 * most 64 MiB. Before: a 1.5 GiB zero file was accepted as an empty blob after 14 s at
 * 1.6 GB RSS, `/dev/zero` never ended, and any file of 2 GiB or more failed.
 */
import { execFile } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BlobError } from '../../vmstate/blob.js';
import { readBlobSource } from '../../vmstate/files.js';
import { SECTION_IDSTR } from '../../vmstate/stream.js';
import { u32 } from '../support/blob-bytes.js';

const CLI = new URL('../../vmstate/cli.ts', import.meta.url).pathname;
const FIXTURE = new URL('../fixtures/vmstate/qemu72-idA8-idB9.stream', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'vmstate-incremental-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const u8 = (n: number): Buffer => Buffer.from([n]);
const u16 = (n: number): Buffer => Buffer.from([n >> 8, n & 0xff]);
const u64 = (n: number): Buffer => Buffer.concat([u32(Math.floor(n / 2 ** 32)), u32(n >>> 0)]);
const name = (s: string): Buffer => Buffer.concat([u8(s.length), Buffer.from(s, 'latin1')]);

const HEADER = Buffer.concat([Buffer.from('QEVM'), u32(3), u8(0x07), u32(2), Buffer.from('pc')]);
const oneEntry = Buffer.concat([u32(1), u32(1), Buffer.from('a'), u32(2), Buffer.from('hi')]);

function full(id: number, idstr: string, body: Buffer, version = 0): Buffer {
  return Buffer.concat([
    u8(0x04),
    u32(id),
    name(idstr),
    u32(0),
    u32(version),
    body,
    u8(0x7e),
    u32(id),
  ]);
}
function dbusSection(id: number, blob: Buffer): Buffer {
  return full(id, SECTION_IDSTR, Buffer.concat([u32(blob.length), blob]));
}
/** RAM: start (one 8 KiB block), a part holding `page` as a normal page, an end. */
function ramSections(id: number, page: Buffer): Buffer {
  const EOS = u64(0x10);
  const start = Buffer.concat([
    u8(0x01),
    u32(id),
    name('ram'),
    u32(0),
    u32(4),
    u64(8192 | 0x04),
    name('pc.ram'),
    u64(8192),
    EOS,
    u8(0x7e),
    u32(id),
  ]);
  const part = Buffer.concat([
    u8(0x02),
    u32(id),
    u64(0 | 0x08),
    name('pc.ram'),
    page,
    u64(4096 | 0x02 | 0x20),
    u8(0),
    EOS,
    u8(0x7e),
    u32(id),
  ]);
  return Buffer.concat([start, part, u8(0x03), u32(id), EOS, u8(0x7e), u32(id)]);
}
const END = Buffer.concat([u8(0x00), u8(0x06), u32(2), Buffer.from('{}')]);

function file(label: string, ...parts: Buffer[]): string {
  const path = join(dir, label);
  writeFileSync(path, Buffer.concat(parts));
  return path;
}

async function fault(path: string): Promise<BlobError> {
  const err = await readBlobSource(path).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(BlobError);
  return err as BlobError;
}

/** The CLI; with `feed`, its stdin is a real pipe from that shell command (e.g. /dev/zero). */
function cli(
  args: string[],
  feed?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const command = [process.execPath, '--import', 'tsx', CLI, ...args]
    .map((a) => `'${a}'`)
    .join(' ');
  const [file, argv] =
    feed === undefined
      ? [process.execPath, ['--import', 'tsx', CLI, ...args]]
      : ['sh', ['-c', `(${feed}) | ${command}`]];
  return new Promise((done) => {
    execFile(file, argv, { maxBuffer: 1 << 20 }, (err, stdout, stderr) =>
      done({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('migration streams, section by section', () => {
  it('reads the stream QEMU 7.2 wrote', async () => {
    const s = await readBlobSource(FIXTURE);
    expect(s.kind).toBe('stream');
    expect(s.entries.map((e) => [e.id, e.data.length])).toEqual([
      ['idA', 8],
      ['idB', 9],
    ]);
    expect(s.blob.length).toBe(64);
  });

  it('RAM pages are parsed, so a look-alike section in guest RAM is never taken', async () => {
    const planted = dbusSection(9, Buffer.concat([u32(1), u32(4), Buffer.from('evil'), u32(0)]));
    const page = Buffer.concat([planted, Buffer.alloc(4096 - planted.length)]);
    const path = file(
      'ram.stream',
      HEADER,
      ramSections(3, page),
      full(4, 'timer', Buffer.from([0x7e, 0, 0, 0, 4, 0xff, 1, 2, 3])),
      Buffer.concat([u8(0x08), u16(1), u16(2), Buffer.from('xy')]), // a command record
      dbusSection(5, oneEntry),
      END,
    );
    const s = await readBlobSource(path);
    expect(s.entries.map((e) => e.id)).toEqual(['a']);
  });

  it.each<[string, Buffer[], RegExp]>([
    [
      'zeros after the header',
      [HEADER, Buffer.alloc(4096)],
      /byte 0x0 after the end of the stream \(at byte 16\)/,
    ],
    ['an unknown record type', [HEADER, u8(0x42)], /unknown record type 0x42 \(at byte 15\)/],
    [
      'no end of stream',
      [HEADER, dbusSection(1, oneEntry)],
      /ends without its end-of-stream record/,
    ],
    [
      'two dbus-vmstate sections',
      [HEADER, dbusSection(1, oneEntry), dbusSection(2, oneEntry), END],
      /a second dbus-vmstate/,
    ],
    [
      'bytes after the description',
      [HEADER, dbusSection(1, oneEntry), END, u8(0)],
      /bytes after the device description/,
    ],
    [
      'a wrong footer',
      [HEADER, dbusSection(1, oneEntry).subarray(0, -4), u32(7), END],
      /footer names section 7/,
    ],
    [
      'a part of a section never started',
      [HEADER, u8(0x02), u32(5)],
      /part of section 5, which never started/,
    ],
    [
      'data_size over 64 MiB',
      [HEADER, full(1, SECTION_IDSTR, u32(64 * 1024 * 1024 + 1))],
      /data_size 67108865 is over/,
    ],
    [
      'data_size past the end',
      [HEADER, full(1, SECTION_IDSTR, u32(100)).subarray(0, -5)],
      /data_size 100 runs past the end/,
    ],
    [
      'a device without footer',
      [HEADER, full(1, 'timer', Buffer.alloc(8)).subarray(0, -5), u8(0)],
      /"timer" \(1\) has no footer/,
    ],
    ['no dbus-vmstate section', [HEADER, END], /no dbus-vmstate\/dbus-vmstate section/],
  ])('refuses %s, saying where', async (label, parts, message) => {
    const err = await fault(file(label.replace(/\W/g, '-'), ...parts));
    expect(err.message).toMatch(message);
  });

  it('an endless stream (QEVM header, then /dev/zero on a pipe) is refused at once', async () => {
    const r = await cli(
      ['inspect', '/dev/stdin'],
      "printf 'QEVM\\000\\000\\000\\003'; exec cat /dev/zero",
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/after the end of the stream \(at byte 9\)/);
  }, 60_000);
});

describe('bare blobs and zero files', () => {
  it('/dev/zero is refused after 64 MiB, not read forever', async () => {
    const r = await cli(['inspect', '/dev/zero']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/longer than the largest blob read \(67108864 bytes\)/);
  }, 60_000);

  it('a zero file is an error, not an empty blob, small (QEMU padding) or 1.5 GiB (sparse)', async () => {
    expect((await fault(file('zero-64', Buffer.alloc(64)))).message).toMatch(
      /60 zero bytes after the last of 0 entries .* QEMU pads a blob only up to 16 bytes/,
    );
    const big = join(dir, 'zero-1.5G');
    writeFileSync(big, '');
    rmSync(big);
    const fd = openSync(big, 'w');
    writeSync(fd, Buffer.alloc(1), 0, 1, 1.5 * 2 ** 30 - 1); // sparse: one real byte at the end
    closeSync(fd);
    expect((await fault(big)).message).toMatch(/longer than the largest blob read/);
    // What QEMU writes is still read: 43 bytes of entries padded to 64, and our own blobs.
    const qemuBlob = Buffer.concat([
      u32(2),
      u32(3),
      Buffer.from('idA'),
      u32(8),
      Buffer.alloc(8, 1),
      u32(3),
      Buffer.from('idB'),
      u32(9),
      Buffer.alloc(9, 2),
      Buffer.alloc(21),
    ]);
    expect((await readBlobSource(file('qemu-blob', qemuBlob))).entries).toHaveLength(2);
    expect((await readBlobSource(file('empty-blob', u32(0), Buffer.alloc(12)))).entries).toEqual(
      [],
    );
  }, 60_000);
});

describe('files over 2 GiB', () => {
  it('a 2.25 GiB sparse stream: the section after the hole is found, memory stays bounded', async () => {
    const path = join(dir, 'big.stream');
    const hole = 2.25 * 2 ** 30;
    const head = Buffer.concat([HEADER, u8(0x04), u32(1), name('big-device'), u32(0), u32(0)]);
    const tail = Buffer.concat([u8(0x7e), u32(1), dbusSection(2, oneEntry), END]);
    const fd = openSync(path, 'w');
    writeSync(fd, head, 0, head.length, 0);
    writeSync(fd, tail, 0, tail.length, head.length + hole);
    closeSync(fd);
    // In a child, so its peak RSS is this read's alone.
    const script = `
      const { readBlobSource } = await import(${JSON.stringify(new URL('../../vmstate/files.ts', import.meta.url).href)});
      const s = await readBlobSource(${JSON.stringify(path)});
      console.log(JSON.stringify({ offset: s.blobOffset, ids: s.entries.map((e) => e.id), maxRssKiB: process.resourceUsage().maxRSS }));
    `;
    const out = await new Promise<string>((done, fail) =>
      execFile(
        process.execPath,
        ['--import', 'tsx', '--input-type=module', '-e', script],
        (err, stdout, stderr) => (err ? fail(new Error(stderr)) : done(stdout)),
      ),
    );
    const r = JSON.parse(out) as { offset: number; ids: string[]; maxRssKiB: number };
    expect(r.ids).toEqual(['a']);
    expect(r.offset).toBeGreaterThan(hole);
    expect(r.offset).toBe(head.length + hole + 5 + 1 + 4 + 1 + SECTION_IDSTR.length + 12);
    // The file is 2.25 GiB; a whole-file read would need that much. Chunks keep it near Node's
    // own footprint (~100 MB with tsx).
    expect(r.maxRssKiB).toBeLessThan(300 * 1024);
  }, 180_000);
});
