/** File helpers for the CLI: atomic writes and reading a blob from a blob or a QEMU stream. */
import { randomBytes } from 'node:crypto';
import { open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { decodeBlob, type VMStateEntry } from './blob.js';
import { findVMStateSection, isMigrationStream } from './stream.js';

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

export async function readBlobSource(path: string): Promise<BlobSource> {
  const data = await readFile(path);
  if (isMigrationStream(data)) {
    const s = findVMStateSection(data);
    return { kind: 'stream', blob: s.blob, entries: s.entries, blobOffset: s.blobOffset };
  }
  return { kind: 'blob', blob: data, entries: decodeBlob(data), blobOffset: 0 };
}

/** Bytes of the blob after its last entry (QEMU's zero padding). */
export function paddingOf(source: BlobSource): number {
  const used = source.entries.reduce((n, e) => n + 8 + Buffer.byteLength(e.id) + e.data.length, 4);
  return source.blob.length - used;
}
