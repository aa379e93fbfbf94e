/** File helpers for the CLI: atomic writes and reading a blob from a blob or a QEMU stream. */
import { randomBytes } from 'node:crypto';
import { open, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { BlobError, decodeBlob, type VMStateEntry } from './blob.js';
import { StreamReader } from './stream-reader.js';
import { MAX_BLOB_BYTES, walkStream } from './stream-walk.js';

/**
 * Writes `data` to `path` atomically: a temporary file in the same directory, fsync, rename.
 * A reader sees the old contents or the new ones, never half of them. A replaced file's mode
 * is kept; a new file is 0600.
 */
export async function writeFileAtomic(path: string, data: Uint8Array): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  // A file being replaced keeps its mode (a state file may be shared with a group); a new
  // one is owner-only, as state may be sensitive.
  const mode = await stat(path).then(
    (s) => (s.isFile() ? s.mode & 0o777 : 0o600),
    () => 0o600,
  );
  const handle = await open(tmp, 'wx', 0o600);
  try {
    if (mode !== 0o600) await handle.chmod(mode);
    await handle.writeFile(data);
    await handle.sync();
  } catch (err) {
    await handle.close();
    await unlink(tmp).catch(() => {});
    throw err;
  }
  await handle.close();
  try {
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => {});
    throw err;
  }
  // The rename itself is durable only once the directory is synced (best effort).
  const dir = await open(dirname(path), 'r').catch(() => undefined);
  await dir
    ?.sync()
    .catch(() => {})
    .finally(() => dir.close());
}

/** A blob read from a file, which may be a bare blob or a QEMU migration stream. */
export interface BlobSource {
  readonly kind: 'blob' | 'stream';
  /** The blob, padding included. */
  readonly blob: Buffer;
  readonly entries: VMStateEntry[];
  /** Where the blob starts in the file (0 for a bare blob). */
  readonly blobOffset: number;
}

/**
 * Reads `path` incrementally (a file of any size, a pipe or a device): a QEMU migration
 * stream section by section (stream-walk.ts), keeping only the dbus-vmstate blob; anything
 * else as a bare blob of at most {@link MAX_BLOB_BYTES}, whose zero padding must be what QEMU
 * writes (see {@link qemuPaddingProblem}).
 */
export async function readBlobSource(path: string): Promise<BlobSource> {
  const file = await open(path, 'r');
  try {
    const r = new StreamReader(file);
    if (await r.startsWith(QEVM)) {
      const s = await walkStream(r);
      return { kind: 'stream', blob: s.blob, entries: s.entries, blobOffset: s.blobOffset };
    }
    const data = await r.rest(MAX_BLOB_BYTES);
    if (data === undefined) {
      throw new BlobError(
        'trailing-bytes',
        MAX_BLOB_BYTES,
        `not a QEMU migration stream, and longer than the largest blob read (${MAX_BLOB_BYTES} bytes)`,
      );
    }
    const source: BlobSource = {
      kind: 'blob',
      blob: data,
      entries: decodeBlob(data),
      blobOffset: 0,
    };
    const problem = qemuPaddingProblem(source);
    if (problem !== undefined) throw problem;
    return source;
  } finally {
    await file.close();
  }
}

const QEVM = Buffer.from('QEVM', 'latin1');
/** GLib's memory stream (QEMU's buffer) allocates at least 16 bytes, then powers of two. */
const MIN_QEMU_BUFFER = 16;

/**
 * QEMU pads its blob to the buffer it allocated: the next power of two of what the entries
 * use (at least 16 bytes; 43 bytes are sent as 64). A blob file with more zero bytes than
 * that, such as an all-zero file (count 0 and nothing but zeros), is not a blob QEMU or we
 * wrote: a located error instead of an empty blob.
 */
export function qemuPaddingProblem(source: BlobSource): BlobError | undefined {
  const used = source.blob.length - paddingOf(source);
  let allocated = MIN_QEMU_BUFFER;
  while (allocated < used) allocated *= 2;
  if (source.blob.length <= allocated) return undefined;
  return new BlobError(
    'trailing-bytes',
    allocated,
    `${paddingOf(source)} zero bytes after the last of ${source.entries.length} entries (${used} bytes): QEMU pads a blob only up to ${allocated} bytes; an all-zero or zero-extended file is not a blob`,
  );
}

/** Bytes of the blob after its last entry (QEMU's zero padding). */
export function paddingOf(source: BlobSource): number {
  const used = source.entries.reduce((n, e) => n + 8 + Buffer.byteLength(e.id) + e.data.length, 4);
  return source.blob.length - used;
}
