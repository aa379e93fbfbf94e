/** File helpers for the CLI: atomic writes and reading a blob from a blob or a QEMU stream. */
import { randomBytes } from 'node:crypto';
import { open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { decodeBlob, type VMStateEntry } from './blob.js';
import { findVMStateSection, isMigrationStream } from './stream.js';

/**
 * Writes `data` to `path` atomically: a temporary file in the same directory, fsync, rename.
 * A reader sees the old contents or the new ones, never half of them.
 */
export async function writeFileAtomic(path: string, data: Uint8Array): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(tmp, 'wx', 0o600);
  try {
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
