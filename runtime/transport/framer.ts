/**
 * Cuts a byte stream into whole messages. Fed with `push(chunk)` (from a socket or anything
 * else), it reads the 16 fixed header bytes as soon as they are there, checks them (byte
 * order, protocol version 1, lengths against the limits) and then waits for exactly that
 * many bytes. Chunks are kept in a list and each byte is copied at most once into its
 * message, so accumulating a big message costs time linear in its size.
 */
import { MAX_ARRAY_BYTES } from '../compile-type.js';
import { MAX_MESSAGE_BYTES } from './marshal.js';
import { WireError, WireLimitError } from './wire-read.js';

export const FIXED_HEADER_BYTES = 16;

/** Total length of the message whose first 16 bytes are `head`; throws when they are bad. */
export function messageLength(head: Buffer, maxBytes = MAX_MESSAGE_BYTES): number {
  const order = head[0];
  if (order !== 0x6c && order !== 0x42) {
    throw new WireError(`byte order mark ${order} (expected "l" or "B")`, 0);
  }
  if (head[3] !== 1) throw new WireError(`protocol version ${head[3]} (expected 1)`, 3);
  const le = order === 0x6c;
  const bodyLen = le ? head.readUInt32LE(4) : head.readUInt32BE(4);
  const fieldsLen = le ? head.readUInt32LE(12) : head.readUInt32BE(12);
  if (fieldsLen > MAX_ARRAY_BYTES) {
    throw new WireError(`header fields of ${fieldsLen} bytes, over the 64 MiB array limit`, 12);
  }
  const headerLen = FIXED_HEADER_BYTES + fieldsLen + ((8 - (fieldsLen % 8)) % 8);
  const total = headerLen + bodyLen;
  if (total > maxBytes) {
    throw new WireLimitError(`message of ${total} bytes, over the limit of ${maxBytes}`, 4);
  }
  return total;
}

export class MessageFramer {
  private chunks: Buffer[] = [];
  private first = 0; // index of the first unread chunk
  private have = 0;
  private need = 0; // length of the message being gathered; 0: not known yet

  constructor(
    private readonly onMessage: (frame: Buffer) => void,
    private readonly maxBytes = MAX_MESSAGE_BYTES,
  ) {}

  /** Bytes received but not yet handed out as a message. */
  get buffered(): number {
    return this.have;
  }

  /** Adds bytes; hands out every message they complete. Throws WireError on a bad header. */
  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.have += chunk.length;
    for (;;) {
      if (this.need === 0) {
        if (this.have < FIXED_HEADER_BYTES) return;
        this.need = messageLength(this.take(FIXED_HEADER_BYTES, false), this.maxBytes);
      }
      if (this.have < this.need) return;
      const frame = this.take(this.need, true);
      this.need = 0;
      this.onMessage(frame);
    }
  }

  /** The next `n` bytes as one Buffer; consumed only when `consume`. */
  private take(n: number, consume: boolean): Buffer {
    const head = this.chunks[this.first]!;
    if (head.length >= n) {
      const out = head.subarray(0, n);
      if (consume) this.drop(n);
      return out;
    }
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    for (let i = this.first; filled < n; i++) {
      const c = this.chunks[i]!;
      const part = Math.min(c.length, n - filled);
      c.copy(out, filled, 0, part);
      filled += part;
    }
    if (consume) this.drop(n);
    return out;
  }

  private drop(n: number): void {
    this.have -= n;
    while (n > 0) {
      const c = this.chunks[this.first]!;
      if (c.length <= n) {
        n -= c.length;
        this.chunks[this.first++] = EMPTY;
      } else {
        this.chunks[this.first] = c.subarray(n);
        n = 0;
      }
    }
    if (this.first > 64 && this.first * 2 > this.chunks.length) {
      this.chunks = this.chunks.slice(this.first);
      this.first = 0;
    }
  }
}

const EMPTY = Buffer.alloc(0);
