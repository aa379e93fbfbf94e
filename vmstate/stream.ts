/**
 * Finds the dbus-vmstate blob inside a QEMU migration stream (a file written by
 * `migrate exec:cat > file`). The stream starts with `QEVM` and version 3; the section we
 * want is a full section (`0x04`), u32 section id, u8 idstr length 25,
 * `dbus-vmstate/dbus-vmstate`, u32 instance 0, u32 version 0, then u32 `data_size` and the
 * blob, then (when the machine sends footers) `0x7e` + the same section id.
 *
 * We do not parse every device (RAM sections of a real guest are large and versioned):
 * we look for the section header and validate everything that follows it. A guest's RAM
 * may contain the same bytes (by chance, or planted by the guest), so the last section header
 * is the one read and validated: device state is written after RAM.
 *
 * This finder works on a stream already in memory. Files (`dbus-vmstate load`/`inspect`,
 * `readBlobSource` in files.ts) are read by stream-walk.ts instead: section by section,
 * RAM records parsed (so RAM look-alikes are never candidates), bounded memory, any size.
 */
import { BlobError, decodeBlob, type VMStateEntry } from './blob.js';

const MAGIC = Buffer.from('QEVM', 'latin1');
const STREAM_VERSION = 3;
const SECTION_FULL = 0x04;
const SECTION_FOOTER = 0x7e;
export const SECTION_IDSTR = 'dbus-vmstate/dbus-vmstate';
const IDSTR = Buffer.from(SECTION_IDSTR, 'latin1');

/** Where the blob sits in the stream. */
export interface StreamSection {
  /** Offset of the section's `0x04` byte. */
  readonly sectionOffset: number;
  readonly sectionId: number;
  /** Offset of the blob (just after `data_size`). */
  readonly blobOffset: number;
  /** The blob, padding included (a view into the stream). */
  readonly blob: Buffer;
  readonly entries: VMStateEntry[];
}

/** True when `data` starts like a QEMU migration stream. */
export function isMigrationStream(data: Uint8Array): boolean {
  return data.length >= 4 && MAGIC.equals(data.subarray(0, 4));
}

/**
 * Finds and decodes the dbus-vmstate section. Throws a {@link BlobError} when the input is
 * not a version-3 stream, has no such section, or the (last) section is malformed, with the
 * offset of the fault.
 */
export function findVMStateSection(stream: Uint8Array): StreamSection {
  const buf = Buffer.from(stream.buffer, stream.byteOffset, stream.byteLength);
  if (!isMigrationStream(buf)) {
    throw new BlobError('not-a-stream', 0, 'not a QEMU migration stream (no QEVM magic)');
  }
  if (buf.length < 8 || buf.readUInt32BE(4) !== STREAM_VERSION) {
    const v = buf.length < 8 ? 'missing' : String(buf.readUInt32BE(4));
    throw new BlobError('not-a-stream', 4, `migration stream version ${v} (expected 3)`);
  }
  // The real section is the last one with a section header: device state is written after
  // guest RAM, and only the JSON device description (no header bytes) follows it. Earlier
  // look-alikes sit in RAM, which the guest controls, so a valid one there must never stand
  // in for a real section that is malformed or truncated.
  let last = -1;
  for (let at = buf.indexOf(IDSTR, 8); at >= 0; at = buf.indexOf(IDSTR, at + 1)) {
    if (hasSectionHeader(buf, at - 6)) last = at - 6;
  }
  if (last < 0) {
    throw new BlobError('no-section', 8, `no ${SECTION_IDSTR} section in the migration stream`);
  }
  return readSection(buf, last);
}

function hasSectionHeader(buf: Buffer, start: number): boolean {
  return start >= 8 && buf[start] === SECTION_FULL && buf[start + 5] === IDSTR.length;
}

function readSection(buf: Buffer, start: number): StreamSection {
  const bad = (offset: number, what: string): BlobError =>
    new BlobError('bad-section', offset, `${SECTION_IDSTR} section: ${what}`);
  const sectionId = buf.readUInt32BE(start + 1);
  let at = start + 6 + IDSTR.length;
  if (at + 12 > buf.length) throw bad(at, 'header truncated');
  const instance = buf.readUInt32BE(at);
  if (instance !== 0) throw bad(at, `instance id ${instance} (expected 0)`);
  const version = buf.readUInt32BE(at + 4);
  if (version !== 0) throw bad(at + 4, `version ${version} (expected 0)`);
  const dataSize = buf.readUInt32BE(at + 8);
  at += 12;
  if (at + dataSize > buf.length) {
    throw bad(at - 4, `data_size ${dataSize} runs past the end of the file`);
  }
  const blob = buf.subarray(at, at + dataSize);
  const end = at + dataSize;
  if (buf[end] === SECTION_FOOTER && end + 5 <= buf.length) {
    const footerId = buf.readUInt32BE(end + 1);
    if (footerId !== sectionId) {
      throw bad(end, `footer names section ${footerId}, header ${sectionId}`);
    }
  }
  return checkedSection(blob, start, sectionId, at);
}

/** Decodes the blob of a section found at `start`; a fault's offset points into the stream. */
export function checkedSection(
  blob: Buffer,
  start: number,
  sectionId: number,
  at: number,
): StreamSection {
  let entries: VMStateEntry[];
  try {
    entries = decodeBlob(blob);
  } catch (err) {
    if (!(err instanceof BlobError)) throw err;
    // Re-base the blob's offset onto the stream so the message points into the file.
    throw new BlobError(
      err.fault,
      at + err.offset,
      err.message.replace(/ \(at byte \d+\)$/, ''),
      err.helperId,
    );
  }
  return { sectionOffset: start, sectionId, blobOffset: at, blob, entries };
}
