/**
 * Reading primitives for received messages, in either byte order: a cursor over one message
 * buffer that checks every byte it consumes (bounds, zero padding, booleans 0/1, strict UTF-8
 * without NUL, object path and signature syntax). Offsets are relative to `base`, the start
 * of the message (header) or of the body, which is 8-aligned in the message, so alignment
 * agrees with the sender's.
 */
import { isUtf8 } from 'node:buffer';
import { parseSignatureCached } from '../../spec/signature.js';
import { isObjectPath } from '../basic-checks.js';

/** Strings up to this length are scanned for ASCII first (the common case). */
const SHORT = 64;

/** A received message breaks the wire format; `offset` is where (from the message or body start). */
export class WireError extends Error {
  override readonly name: string = 'WireError';
  constructor(
    readonly reason: string,
    readonly offset: number,
  ) {
    super(`${reason} at byte ${offset}`);
  }
}

/** A received message is well-formed but exceeds one of our documented limits. */
export class WireLimitError extends WireError {
  override readonly name = 'WireLimitError';
}

export class WireReader {
  pos: number;
  constructor(
    readonly buf: Buffer,
    readonly le: boolean,
    readonly base = 0,
    readonly end = buf.length,
  ) {
    this.pos = base;
  }

  fail(reason: string, at = this.pos): never {
    throw new WireError(reason, at - this.base);
  }

  need(n: number): void {
    if (this.pos + n > this.end) {
      this.fail(`truncated: ${n} bytes needed, ${this.end - this.pos} left`);
    }
  }

  /** Skips the padding to a multiple of `n`; every padding byte must be zero. */
  align(n: number): void {
    const rem = (this.pos - this.base) % n;
    if (rem === 0) return;
    const pad = n - rem;
    this.need(pad);
    for (let i = 0; i < pad; i++) {
      if (this.buf[this.pos + i] !== 0) this.fail('non-zero padding byte', this.pos + i);
    }
    this.pos += pad;
  }

  u8(): number {
    this.need(1);
    return this.buf[this.pos++]!;
  }

  u16(): number {
    this.align(2);
    this.need(2);
    const v = this.le ? this.buf.readUInt16LE(this.pos) : this.buf.readUInt16BE(this.pos);
    this.pos += 2;
    return v;
  }

  i16(): number {
    this.align(2);
    this.need(2);
    const v = this.le ? this.buf.readInt16LE(this.pos) : this.buf.readInt16BE(this.pos);
    this.pos += 2;
    return v;
  }

  u32(): number {
    this.align(4);
    this.need(4);
    const v = this.le ? this.buf.readUInt32LE(this.pos) : this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  i32(): number {
    this.align(4);
    this.need(4);
    const v = this.le ? this.buf.readInt32LE(this.pos) : this.buf.readInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  bool(): boolean {
    const at = this.pos;
    const v = this.u32();
    if (v > 1) this.fail(`boolean value ${v} (only 0 and 1 are valid)`, at);
    return v === 1;
  }

  i64(): bigint {
    this.align(8);
    this.need(8);
    const v = this.le ? this.buf.readBigInt64LE(this.pos) : this.buf.readBigInt64BE(this.pos);
    this.pos += 8;
    return v;
  }

  u64(): bigint {
    this.align(8);
    this.need(8);
    const v = this.le ? this.buf.readBigUInt64LE(this.pos) : this.buf.readBigUInt64BE(this.pos);
    this.pos += 8;
    return v;
  }

  f64(): number {
    this.align(8);
    this.need(8);
    const v = this.le ? this.buf.readDoubleLE(this.pos) : this.buf.readDoubleBE(this.pos);
    this.pos += 8;
    return v;
  }

  /** STRING or OBJECT_PATH: u32 length, UTF-8 bytes without NUL, one NUL. */
  string(kind: 's' | 'o' = 's'): string {
    const at = this.pos;
    const len = this.u32();
    this.need(len + 1);
    const start = this.pos;
    const stop = start + len;
    if (this.buf[stop] !== 0) this.fail('string not terminated by NUL', stop);
    let s: string;
    if (len <= SHORT && this.ascii(start, stop)) {
      s = this.buf.toString('latin1', start, stop); // ASCII, no NUL: checked byte by byte
    } else {
      const nul = this.buf.indexOf(0, start);
      if (nul < stop) this.fail('string contains NUL', nul);
      const bytes = this.buf.subarray(start, stop);
      if (!isUtf8(bytes)) this.fail('string is not valid UTF-8', at);
      s = bytes.toString('utf8');
    }
    if (kind === 'o' && !isObjectPath(s)) this.fail('invalid object path', at);
    this.pos = stop + 1;
    return s;
  }

  /** True when bytes [start, stop) are ASCII without NUL. */
  private ascii(start: number, stop: number): boolean {
    const b = this.buf;
    for (let i = start; i < stop; i++) {
      const c = b[i]!;
      if (c === 0 || c > 0x7f) return false;
    }
    return true;
  }

  /** SIGNATURE: u8 length, ASCII, one NUL; must be a valid signature. */
  signature(): string {
    const at = this.pos;
    const len = this.u8();
    this.need(len + 1);
    const stop = this.pos + len;
    if (this.buf[stop] !== 0) this.fail('signature not terminated by NUL', stop);
    const s = this.buf.toString('latin1', this.pos, stop);
    try {
      parseSignatureCached(s); // cached: signatures repeat; invalid ones are not kept
    } catch {
      this.fail(`invalid signature ${JSON.stringify(s)}`, at);
    }
    this.pos = stop + 1;
    return s;
  }
}
