/**
 * A sequential reader over a file (regular file, pipe or device) with a bounded buffer:
 * streams of big VMs are many GiB, so nothing but the current chunk (1 MiB) and what a caller
 * asks to keep is in memory. Offsets are plain numbers (exact up to 2^53: files over 2 GiB
 * and 4 GiB are fine). Every read names what it wanted, so a truncated input says where and
 * what was missing.
 */
import type { FileHandle } from 'node:fs/promises';
import { BlobError, type BlobFault } from './blob.js';

const CHUNK = 1 << 20;

export class StreamReader {
  private buf = Buffer.alloc(0);
  /** File offset of buf[0]. */
  private base = 0;
  /** Index of the next unread byte in buf. */
  private at = 0;
  private ended = false;

  constructor(private readonly file: FileHandle) {}

  /** File offset of the next unread byte. */
  get offset(): number {
    return this.base + this.at;
  }

  /** Ensures `n` unread bytes are buffered; false when the input ends first. */
  private async fill(n: number): Promise<boolean> {
    const have = this.buf.length - this.at;
    if (have >= n || this.ended) return have >= n;
    // One buffer for the request: a pipe returns 64 KiB per read, so no concatenating.
    const next = Buffer.allocUnsafe(Math.max(CHUNK, n));
    this.buf.copy(next, 0, this.at);
    this.base += this.at;
    let length = have;
    while (length < n && !this.ended) {
      const { bytesRead } = await this.file.read(next, length, next.length - length, null);
      if (bytesRead === 0) this.ended = true;
      length += bytesRead;
    }
    this.buf = next.subarray(0, length);
    this.at = 0;
    return length >= n;
  }

  private async need(n: number, what: string, fault: BlobFault = 'truncated'): Promise<void> {
    if (!(await this.fill(n))) {
      const left = this.buf.length - this.at;
      throw new BlobError(fault, this.offset, `input ends: ${what} needs ${n} bytes, ${left} left`);
    }
  }

  /** True when the unread input starts with `prefix` (nothing is consumed). */
  async startsWith(prefix: Uint8Array): Promise<boolean> {
    if (!(await this.fill(prefix.length))) return false;
    return Buffer.compare(this.buf.subarray(this.at, this.at + prefix.length), prefix) === 0;
  }

  /** The rest of the input, or undefined when it is longer than `max` bytes. */
  async rest(max: number): Promise<Buffer | undefined> {
    if (await this.fill(max + 1)) return undefined;
    const out = Buffer.from(this.buf.subarray(this.at));
    this.at = this.buf.length;
    return out;
  }

  async atEnd(): Promise<boolean> {
    return !(await this.fill(1));
  }

  async u8(what: string): Promise<number> {
    await this.need(1, what);
    return this.buf[this.at++]!;
  }

  async u16(what: string): Promise<number> {
    await this.need(2, what);
    const v = this.buf.readUInt16BE(this.at);
    this.at += 2;
    return v;
  }

  async u32(what: string): Promise<number> {
    await this.need(4, what);
    const v = this.buf.readUInt32BE(this.at);
    this.at += 4;
    return v;
  }

  /** A big-endian u64 as its high and low 32-bit halves (no precision lost). */
  async u64(what: string): Promise<{ hi: number; lo: number }> {
    const hi = await this.u32(what);
    return { hi, lo: await this.u32(what) };
  }

  /** The next byte without consuming it; undefined at the end. */
  async peek(): Promise<number | undefined> {
    return (await this.fill(1)) ? this.buf[this.at] : undefined;
  }

  /** `n` bytes, copied out of the chunk (the caller bounds `n`). */
  async bytes(n: number, what: string): Promise<Buffer> {
    await this.need(n, what);
    const out = Buffer.from(this.buf.subarray(this.at, this.at + n));
    this.at += n;
    return out;
  }

  /** Reads past `n` bytes without keeping them, a chunk at a time. */
  async skip(n: number, what: string): Promise<void> {
    let left = n;
    while (left > 0) {
      const have = this.buf.length - this.at;
      if (have === 0 && !(await this.fill(1))) {
        throw new BlobError(
          'truncated',
          this.offset,
          `input ends: ${what} needs ${left} more bytes`,
        );
      }
      const step = Math.min(left, this.buf.length - this.at);
      this.at += step;
      left -= step;
    }
  }

  /**
   * Moves to the first offset where `marker` starts and `accept(window)` holds for the
   * `window` bytes there; false (at the end of the input) when there is none.
   */
  async seek(marker: number, window: number, accept: (bytes: Buffer) => boolean): Promise<boolean> {
    for (;;) {
      const i = this.buf.indexOf(marker, this.at);
      if (i < 0) {
        this.at = this.buf.length;
        if (!(await this.fill(window))) return false;
        continue;
      }
      this.at = i;
      if (!(await this.fill(window))) return false;
      if (accept(this.buf.subarray(this.at, this.at + window))) return true;
      this.at++;
    }
  }
}
