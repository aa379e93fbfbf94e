/**
 * Reads a QEMU migration stream (version 3) section by section, from a file of any size,
 * with bounded memory: only the dbus-vmstate section's blob is kept (at most
 * {@link MAX_BLOB_BYTES}); guest RAM and other devices are read past a chunk at a time.
 * What is malformed is refused where it is found, with its offset.
 *
 * Structure (QEMU's migration/savevm.c and ram.c, as 7.2 writes them):
 * - `QEVM`, u32 version 3; then records, each starting with a type byte:
 * - `0x07` configuration: u32 length, machine name.
 * - `0x01` start / `0x04` full: u32 section id, u8 idstr length, idstr, u32 instance,
 *   u32 version, the section's data, then (machines since 2.4) footer `0x7e` + u32 id.
 *   `0x02` part / `0x03` end: u32 id of a started section, its data, footer.
 * - `ram` (the bulk of a big VM): records of u64 `address | flags` until the EOS flag:
 *   MEM_SIZE (block list: u8 length, idstr, u64 size each, up to the total), ZERO (1 byte),
 *   PAGE (4096 bytes), COMPRESS_PAGE (u32 length + data), XBZRLE (u8, u16 length + data);
 *   a page record without CONTINUE names its block (u8 length + idstr) first.
 * - `dbus-vmstate/dbus-vmstate` (full, instance 0, version 0): u32 data_size + the blob.
 * - any other full section: its fields are device-specific, so it is read past up to its
 *   footer (`0x7e` + its own id, then a record type). Streams without footers are refused.
 * - `0x08` command: u16 command, u16 length, data. `0x00` end of stream, then optionally
 *   `0x06` + u32 length + the JSON device description; nothing may follow.
 *
 * Not supported (refused with the offset, never misread silently): RAM page sizes other than
 * 4096, the postcopy/ignore-shared extras in the block list, iterative sections of devices
 * other than RAM (block migration, dirty bitmaps, VFIO).
 */
import { BlobError } from './blob.js';
import { checkedSection, SECTION_IDSTR, type StreamSection } from './stream.js';
import type { StreamReader } from './stream-reader.js';

/** The largest blob read from a file (a stream's data_size or a bare blob): 64 MiB. */
export const MAX_BLOB_BYTES = 64 * 1024 * 1024;
/** The largest JSON device description after the end of the stream that is read past. */
const MAX_VMDESC_BYTES = 64 * 1024 * 1024;
const PAGE_SIZE = 4096;

const T = {
  EOF: 0x00,
  START: 0x01,
  PART: 0x02,
  END: 0x03,
  FULL: 0x04,
  VMDESC: 0x06,
  CONFIG: 0x07,
  COMMAND: 0x08,
  FOOTER: 0x7e,
} as const;
const RECORD_TYPES: ReadonlySet<number> = new Set([
  T.EOF,
  T.START,
  T.PART,
  T.END,
  T.FULL,
  T.COMMAND,
]);

const RAM = {
  ZERO: 0x02,
  MEM_SIZE: 0x04,
  PAGE: 0x08,
  EOS: 0x10,
  CONTINUE: 0x20,
  XBZRLE: 0x40,
  COMPRESS: 0x100,
  MULTIFD_FLUSH: 0x200,
} as const;

function bad(offset: number, what: string): BlobError {
  return new BlobError('bad-section', offset, `migration stream: ${what}`);
}

/** Reads the stream from the start of `r` (the magic is checked here). */
export async function walkStream(r: StreamReader): Promise<StreamSection> {
  const magic = await r.bytes(4, 'the QEVM magic');
  if (magic.toString('latin1') !== 'QEVM') {
    throw new BlobError('not-a-stream', 0, 'not a QEMU migration stream (no QEVM magic)');
  }
  const version = await r.u32('the stream version');
  if (version !== 3) {
    throw new BlobError('not-a-stream', 4, `migration stream version ${version} (expected 3)`);
  }
  const started = new Map<number, string>();
  let found: StreamSection | undefined;
  for (;;) {
    const at = r.offset;
    if (await r.atEnd()) throw bad(at, 'the stream ends without its end-of-stream record');
    const type = await r.u8('a record type');
    if (type === T.EOF) break;
    if (type === T.CONFIG) {
      const len = await r.u32('the configuration length');
      if (len > 256) throw bad(at, `configuration record of ${len} bytes`);
      await r.skip(len, 'the machine name');
    } else if (type === T.COMMAND) {
      await r.u16('a command');
      await r.skip(await r.u16('the command length'), 'the command data');
    } else if (type === T.START || type === T.FULL) {
      const id = await r.u32('a section id');
      const len = await r.u8('an idstr length');
      const idstr = (await r.bytes(len, 'the idstr')).toString('latin1');
      if (len === 0 || !/^[\x20-\x7e]+$/.test(idstr)) {
        throw bad(at, `section ${id} has an unprintable or empty name`);
      }
      const instance = await r.u32('the instance id');
      const ver = await r.u32('the version id');
      if (idstr === 'ram') {
        if (type !== T.START) throw bad(at, 'a ram section that is not iterative');
        started.set(id, idstr);
        await ramRecords(r);
        await footer(r, id, at);
      } else if (idstr === SECTION_IDSTR) {
        if (type !== T.FULL) throw bad(at, `${SECTION_IDSTR} section ${id} is not a full section`);
        if (found !== undefined) {
          throw bad(at, `a second ${SECTION_IDSTR} section (the first at ${found.sectionOffset})`);
        }
        found = await dbusSection(r, at, id, instance, ver);
        await footer(r, id, at);
      } else if (type === T.START) {
        throw bad(at, `iterative section "${idstr}" is not supported (only ram)`);
      } else {
        await skipDevice(r, id, idstr, at);
      }
    } else if (type === T.PART || type === T.END) {
      const id = await r.u32('a section id');
      if (started.get(id) !== 'ram') throw bad(at, `part of section ${id}, which never started`);
      await ramRecords(r);
      await footer(r, id, at);
    } else {
      throw bad(at, `unknown record type 0x${type.toString(16).padStart(2, '0')}`);
    }
  }
  await afterEnd(r);
  if (found === undefined) {
    throw new BlobError('no-section', 8, `no ${SECTION_IDSTR} section in the migration stream`);
  }
  return found;
}

async function dbusSection(
  r: StreamReader,
  start: number,
  sectionId: number,
  instance: number,
  version: number,
): Promise<StreamSection> {
  const fieldsAt = r.offset - 8;
  if (instance !== 0) throw checkedFault(fieldsAt, `instance id ${instance} (expected 0)`);
  if (version !== 0) throw checkedFault(fieldsAt + 4, `version ${version} (expected 0)`);
  const sizeAt = r.offset;
  const dataSize = await r.u32('data_size');
  if (dataSize > MAX_BLOB_BYTES) {
    throw checkedFault(sizeAt, `data_size ${dataSize} is over the ${MAX_BLOB_BYTES}-byte limit`);
  }
  const blobOffset = r.offset;
  const blob = await r.bytes(dataSize, `the ${dataSize}-byte blob`).catch((err: unknown) => {
    throw err instanceof BlobError
      ? checkedFault(sizeAt, `data_size ${dataSize} runs past the end of the file`)
      : err;
  });
  return checkedSection(blob, start, sectionId, blobOffset);
}

function checkedFault(offset: number, what: string): BlobError {
  return new BlobError('bad-section', offset, `${SECTION_IDSTR} section: ${what}`);
}

/** The footer `0x7e` + id that machines since QEMU 2.4 write after every section. */
async function footer(r: StreamReader, id: number, start: number): Promise<void> {
  if ((await r.peek()) !== T.FOOTER) return;
  const at = r.offset;
  await r.u8('the footer');
  const footerId = await r.u32('the footer section id');
  if (footerId !== id) {
    throw bad(at, `footer names section ${footerId}, the section at ${start} is ${id}`);
  }
}

/** A device section we cannot parse: read past it to its footer. */
async function skipDevice(r: StreamReader, id: number, idstr: string, at: number): Promise<void> {
  const ok = await r.seek(T.FOOTER, 6, (b) => b.readUInt32BE(1) === id && RECORD_TYPES.has(b[5]!));
  if (!ok) {
    throw bad(
      at,
      `device section "${idstr}" (${id}) has no footer: streams without section footers are not supported`,
    );
  }
  await r.skip(5, 'the footer');
}

async function ramRecords(r: StreamReader): Promise<void> {
  for (;;) {
    const at = r.offset;
    const { hi, lo } = await r.u64('a RAM record');
    const flags = lo & 0xfff;
    const address = hi * 2 ** 32 + (lo - flags);
    const kind = flags & ~RAM.CONTINUE;
    if (kind === RAM.EOS) return;
    if (kind === RAM.MULTIFD_FLUSH) continue;
    if (kind === RAM.MEM_SIZE) {
      await blockList(r, address, at);
      continue;
    }
    if (kind !== RAM.ZERO && kind !== RAM.PAGE && kind !== RAM.COMPRESS && kind !== RAM.XBZRLE) {
      throw bad(at, `RAM record with flags 0x${flags.toString(16)} (unknown or unsupported)`);
    }
    if (!(flags & RAM.CONTINUE)) await r.skip(await r.u8('a block name length'), 'a block name');
    if (kind === RAM.ZERO) await r.skip(1, 'a zero page');
    else if (kind === RAM.PAGE) await r.skip(PAGE_SIZE, 'a RAM page');
    else if (kind === RAM.COMPRESS) {
      const len = await r.u32('a compressed page length');
      if (len > 2 * PAGE_SIZE) throw bad(at, `compressed page of ${len} bytes`);
      await r.skip(len, 'a compressed page');
    } else {
      await r.u8('the XBZRLE encoding');
      await r.skip(await r.u16('an XBZRLE length'), 'an XBZRLE page');
    }
  }
}

/** MEM_SIZE: the RAM blocks (u8 length, idstr, u64 size) whose sizes add up to `total`. */
async function blockList(r: StreamReader, total: number, at: number): Promise<void> {
  let sum = 0;
  while (sum < total) {
    const len = await r.u8('a RAM block name length');
    if (len === 0) throw bad(r.offset - 1, 'a RAM block with an empty name');
    await r.skip(len, 'a RAM block name');
    const { hi, lo } = await r.u64('a RAM block size');
    sum += hi * 2 ** 32 + lo;
  }
  if (sum !== total) {
    throw bad(at, `RAM blocks add up to ${sum} bytes, the header says ${total}`);
  }
}

/** After the end-of-stream record: the JSON device description, then the end of the file. */
async function afterEnd(r: StreamReader): Promise<void> {
  if (await r.atEnd()) return;
  const at = r.offset;
  const type = await r.u8('the device description');
  if (type !== T.VMDESC) throw bad(at, `byte 0x${type.toString(16)} after the end of the stream`);
  const len = await r.u32('the device description length');
  if (len > MAX_VMDESC_BYTES) throw bad(at, `device description of ${len} bytes`);
  await r.skip(len, 'the device description');
  if (!(await r.atEnd())) throw bad(r.offset, 'bytes after the device description');
}
