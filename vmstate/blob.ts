/**
 * The dbus-vmstate blob: what QEMU stores in its `dbus-vmstate/dbus-vmstate` migration
 * section, and what our migrator saves and loads. Big-endian:
 *
 * ```
 * u32 count
 * count times: u32 id_length, id bytes (UTF-8, no NUL), u32 data_length, data bytes
 * ```
 *
 * QEMU sends its whole allocated buffer, so a blob may end with zero bytes; they are
 * accepted. Anything else that does not fit is refused with a {@link BlobError} that
 * carries the byte offset of the fault.
 */
import { VMStateError } from './errors.js';

/** Longest Id QEMU accepts, in UTF-8 bytes. */
export const MAX_ID_BYTES = 255;
/** Most data one helper may save (QEMU's DBUS_VMSTATE_SIZE_LIMIT, 1 MiB). */
export const MAX_DATA_BYTES = 1024 * 1024;

/** One helper's saved state. */
export interface VMStateEntry {
  readonly id: string;
  readonly data: Uint8Array;
}

/** Why a blob is refused. */
export type BlobFault =
  | 'truncated'
  | 'id-length'
  | 'id-encoding'
  | 'data-too-large'
  | 'duplicate-id'
  | 'trailing-bytes'
  | 'not-a-stream'
  | 'no-section'
  | 'bad-section';

/** A malformed blob or migration stream; `offset` is where in the input the fault is. */
export class BlobError extends VMStateError {
  override readonly name = 'BlobError';
  constructor(
    readonly fault: BlobFault,
    readonly offset: number,
    message: string,
    helperId?: string,
  ) {
    super('bad-blob', `${message} (at byte ${offset})`, helperId === undefined ? {} : { helperId });
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const utf8Encoder = new TextEncoder();

/**
 * Checks an Id the way QEMU does (1..255 bytes), plus what D-Bus requires of a string
 * (valid UTF-8, no NUL). Returns its UTF-8 bytes, or a reason it is invalid.
 */
export function checkId(id: string): { bytes: Uint8Array } | { reason: string } {
  const bytes = utf8Encoder.encode(id);
  if (bytes.length === 0) return { reason: 'is empty' };
  if (bytes.length > MAX_ID_BYTES) {
    return { reason: `is ${bytes.length} bytes long (at most ${MAX_ID_BYTES})` };
  }
  if (bytes.includes(0)) return { reason: 'contains a NUL character' };
  // TextEncoder turns a lone surrogate into U+FFFD: the round trip shows it.
  if (utf8.decode(bytes) !== id) return { reason: 'is not valid Unicode (lone surrogate)' };
  return { bytes };
}

/** Byte-wise comparison of UTF-8 Ids: locale-independent, so blobs are reproducible. */
export function compareIds(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/**
 * Encodes entries into a blob, sorted by Id. Refuses invalid or duplicate Ids and data
 * over {@link MAX_DATA_BYTES} (a {@link VMStateError} naming the helper).
 */
export function encodeBlob(entries: readonly VMStateEntry[]): Buffer {
  const prepared = entries.map((e) => {
    const checked = checkId(e.id);
    if ('reason' in checked) {
      throw new VMStateError('invalid-id', `VMState Id ${JSON.stringify(e.id)} ${checked.reason}`, {
        helperId: e.id,
      });
    }
    if (e.data.length > MAX_DATA_BYTES) {
      throw new VMStateError(
        'too-large',
        `helper ${JSON.stringify(e.id)}: ${e.data.length} bytes of data (at most ${MAX_DATA_BYTES})`,
        { helperId: e.id },
      );
    }
    return { id: e.id, idBytes: Buffer.from(checked.bytes), data: e.data };
  });
  prepared.sort((a, b) => Buffer.compare(a.idBytes, b.idBytes));
  let size = 4;
  for (let i = 0; i < prepared.length; i++) {
    const p = prepared[i]!;
    if (i > 0 && prepared[i - 1]!.idBytes.equals(p.idBytes)) {
      throw new VMStateError('duplicate-id', `Duplicated VMState Id ${JSON.stringify(p.id)}`, {
        helperId: p.id,
      });
    }
    size += 8 + p.idBytes.length + p.data.length;
  }
  const out = Buffer.allocUnsafe(size);
  let at = out.writeUInt32BE(prepared.length, 0);
  for (const p of prepared) {
    at = out.writeUInt32BE(p.idBytes.length, at);
    at += p.idBytes.copy(out, at);
    at = out.writeUInt32BE(p.data.length, at);
    out.set(p.data, at);
    at += p.data.length;
  }
  return out;
}

/**
 * Decodes and checks a whole blob: lengths within the buffer, Ids 1..255 bytes of valid
 * UTF-8 without NUL, data at most 1 MiB, no duplicate Id, only zero bytes after the last
 * entry. Entries come back in blob order; their `data` are views into `blob` (no copy).
 */
export function decodeBlob(blob: Uint8Array): VMStateEntry[] {
  const buf = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  const need = (at: number, n: number, what: string, id?: string): void => {
    if (at + n > buf.length) {
      throw new BlobError(
        'truncated',
        at,
        `blob truncated: ${what} needs ${n} bytes, ${buf.length - at} left`,
        id,
      );
    }
  };
  need(0, 4, 'the entry count');
  const count = buf.readUInt32BE(0);
  let at = 4;
  const entries: VMStateEntry[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < count; i++) {
    need(at, 4, `the id length of entry ${i + 1} of ${count}`);
    const idLen = buf.readUInt32BE(at);
    if (idLen === 0 || idLen > MAX_ID_BYTES) {
      throw new BlobError(
        'id-length',
        at,
        `entry ${i + 1} of ${count}: id length ${idLen} (must be 1..${MAX_ID_BYTES})`,
      );
    }
    at += 4;
    need(at, idLen, `the id of entry ${i + 1} of ${count}`);
    const id = decodeId(buf.subarray(at, at + idLen), at, i, count);
    if (seen.has(id)) {
      throw new BlobError('duplicate-id', at, `Duplicated VMState Id ${JSON.stringify(id)}`, id);
    }
    seen.add(id);
    at += idLen;
    need(at, 4, `the data length of ${JSON.stringify(id)}`, id);
    const dataLen = buf.readUInt32BE(at);
    if (dataLen > MAX_DATA_BYTES) {
      throw new BlobError(
        'data-too-large',
        at,
        `helper ${JSON.stringify(id)}: data length ${dataLen} (at most ${MAX_DATA_BYTES})`,
        id,
      );
    }
    at += 4;
    need(at, dataLen, `the data of ${JSON.stringify(id)}`, id);
    entries.push({ id, data: buf.subarray(at, at + dataLen) });
    at += dataLen;
  }
  for (let j = at; j < buf.length; j++) {
    if (buf[j] !== 0) {
      throw new BlobError(
        'trailing-bytes',
        j,
        `non-zero byte after the last of ${count} entries (only zero padding may follow)`,
      );
    }
  }
  return entries;
}

function decodeId(bytes: Uint8Array, at: number, i: number, count: number): string {
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    throw new BlobError('id-encoding', at + nul, `entry ${i + 1} of ${count}: id contains a NUL`);
  }
  try {
    return utf8.decode(bytes);
  } catch {
    throw new BlobError('id-encoding', at, `entry ${i + 1} of ${count}: id is not valid UTF-8`);
  }
}
