/**
 * Our message marshaller (little-endian, D-Bus protocol version 1). dbus-next writes `ay`
 * one element at a time through per-byte closures (0.2–0.5 s per MiB); this writer copies
 * byte arrays as one block, and also writes what dbus-next cannot: `Map` dicts with
 * non-string keys, `Uint8Array` for `ay`, and INT64 minimum. For every body dbus-next can
 * marshal, the output is byte-identical to dbus-next 0.10.2's (test/unit/marshal.test.ts),
 * except -0.0 as `d`, which dbus-next writes as +0.0 and we keep as -0.0.
 *
 * Values are expected to have passed validate.ts; this module only guards sizes.
 */

import { parseSignatureCached, type TypeNode } from '../../spec/signature.js';
import { MAX_ARRAY_BYTES } from '../compile-type.js';
import { fdNumber } from '../unix-fd.js';

export const MAX_MESSAGE_BYTES = 134_217_728;

/**
 * The D-Bus message types, as the header's type byte holds them (`IncomingMessage.type`).
 * Other values are valid on the wire and ignored by the connection, as the spec says.
 *
 * @example
 * ```ts
 * const ping = { interfaceName: 'org.freedesktop.DBus.Peer', member: 'Ping' };
 * const reply = await conn.call({ destination: 'org.qemu', path: '/', ...ping });
 * reply.type === MessageType.METHOD_RETURN; // true: an ERROR reply rejects instead
 * ```
 */
export const MessageType = { METHOD_CALL: 1, METHOD_RETURN: 2, ERROR: 3, SIGNAL: 4 } as const;
/**
 * The D-Bus header flag bits (`MessageHeader.flags`). A call sent with `NO_REPLY_EXPECTED`
 * (`Connection.callNoReply`) gets no reply: `reply` and `replyError` send nothing for it.
 * `NO_AUTO_START` asks the bus not to start a service for the call;
 * `ALLOW_INTERACTIVE_AUTHORIZATION` lets the receiver ask the user (e.g. polkit) first;
 * `CallOptions.noAutoStart` and `allowInteractiveAuthorization` set these two.
 *
 * @example
 * ```ts
 * const oneWay = (call.flags & MessageFlag.NO_REPLY_EXPECTED) !== 0;
 * ```
 */
export const MessageFlag = {
  NO_REPLY_EXPECTED: 1,
  NO_AUTO_START: 2,
  ALLOW_INTERACTIVE_AUTHORIZATION: 4,
} as const;

/**
 * A message to write. Body values are in our send-side forms (README "Type mapping": e.g.
 * `bigint` or a safe integer for `x`/`t`, `Uint8Array` for `ay`, `Map` for non-string keys).
 */
export interface OutgoingMessage {
  readonly type: number;
  readonly flags?: number;
  readonly serial: number;
  readonly path?: string | undefined;
  readonly interfaceName?: string | undefined;
  readonly member?: string | undefined;
  readonly errorName?: string | undefined;
  readonly replySerial?: number | undefined;
  readonly destination?: string | undefined;
  readonly sender?: string | undefined;
  readonly signature?: string | undefined;
  readonly body?: readonly unknown[] | undefined;
}

/** Alignment of each type code (the first character of a type). */
export const ALIGN: Readonly<Record<string, number>> = {
  y: 1,
  g: 1,
  v: 1,
  n: 2,
  q: 2,
  b: 4,
  i: 4,
  u: 4,
  h: 4,
  s: 4,
  o: 4,
  a: 4,
  x: 8,
  t: 8,
  d: 8,
  '(': 8,
  '{': 8,
};

function alignOf(node: TypeNode): number {
  return ALIGN[node.signature[0]!]!;
}

/** A growable little-endian buffer; `pos` is also the wire offset used for alignment. */
export class Writer {
  buf: Buffer;
  pos = 0;
  /** The fds the `h` values written so far refer to (by index). */
  readonly fds: number[] = [];
  constructor(capacity = 256) {
    this.buf = Buffer.allocUnsafe(capacity);
  }

  ensure(n: number): void {
    const need = this.pos + n;
    if (need <= this.buf.length) return;
    if (need > MAX_MESSAGE_BYTES) {
      throw new RangeError(`message would exceed the D-Bus limit of ${MAX_MESSAGE_BYTES} bytes`);
    }
    const next = Buffer.allocUnsafe(Math.max(need, this.buf.length * 2));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  align(n: number): void {
    const pad = (n - (this.pos % n)) % n;
    if (pad === 0) return;
    this.ensure(pad);
    this.buf.fill(0, this.pos, this.pos + pad);
    this.pos += pad;
  }

  u8(v: number): void {
    this.ensure(1);
    this.buf[this.pos++] = v;
  }

  u32(v: number): void {
    this.align(4);
    this.ensure(4);
    this.buf.writeUInt32LE(v, this.pos);
    this.pos += 4;
  }

  string(s: string): void {
    const len = Buffer.byteLength(s, 'utf8');
    this.u32(len);
    this.ensure(len + 1);
    this.buf.write(s, this.pos, len, 'utf8');
    this.pos += len;
    this.buf[this.pos++] = 0;
  }

  signature(s: string): void {
    this.ensure(s.length + 2);
    this.buf[this.pos++] = s.length;
    this.buf.write(s, this.pos, s.length, 'latin1');
    this.pos += s.length;
    this.buf[this.pos++] = 0;
  }

  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  result(): Buffer {
    return this.buf.subarray(0, this.pos);
  }
}

function writeBasic(w: Writer, code: string, v: unknown): void {
  switch (code) {
    case 'y':
      w.u8(v as number);
      return;
    case 'b':
      w.u32(v ? 1 : 0);
      return;
    case 'n':
    case 'q':
      w.align(2);
      w.ensure(2);
      if (code === 'n') w.buf.writeInt16LE(v as number, w.pos);
      else w.buf.writeUInt16LE(v as number, w.pos);
      w.pos += 2;
      return;
    case 'i':
      w.align(4);
      w.ensure(4);
      w.buf.writeInt32LE(v as number, w.pos);
      w.pos += 4;
      return;
    case 'u':
      w.u32(v as number);
      return;
    case 'h':
      // The value on the wire is an index into the fds sent with the message.
      w.u32(w.fds.push(fdNumber(v)) - 1);
      return;
    case 'x':
    case 't':
    case 'd':
      w.align(8);
      w.ensure(8);
      if (code === 'd') w.buf.writeDoubleLE(v as number, w.pos);
      else if (code === 'x') w.buf.writeBigInt64LE(BigInt(v as bigint), w.pos);
      else w.buf.writeBigUInt64LE(BigInt(v as bigint), w.pos);
      w.pos += 8;
      return;
    case 's':
    case 'o':
      w.string(v as string);
      return;
    case 'g':
      w.signature(v as string);
      return;
    default:
      throw new TypeError(`unknown basic type ${code}`);
  }
}

function dictEntries(v: unknown): Iterable<[unknown, unknown]> {
  if (v instanceof Map) return v;
  if (typeof v === 'object' && v !== null) return Object.entries(v);
  throw new TypeError(`expected a dict, got ${typeof v}`);
}

/** Writes one value of a complete type at the writer's position. */
export function writeValue(w: Writer, node: TypeNode, v: unknown): void {
  switch (node.kind) {
    case 'basic':
      writeBasic(w, node.code, v);
      return;
    case 'variant': {
      const variant = v as { signature: string; value: unknown };
      const types = parseSignatureCached(variant.signature);
      if (types.length !== 1) throw new TypeError(`bad variant signature ${variant.signature}`);
      w.signature(variant.signature);
      writeValue(w, types[0]!, variant.value);
      return;
    }
    case 'struct': {
      w.align(8);
      const fields = v as readonly unknown[];
      if (!Array.isArray(fields) || fields.length !== node.fields.length) {
        throw new TypeError(`struct ${node.signature} needs ${node.fields.length} fields`);
      }
      for (let i = 0; i < node.fields.length; i++) writeValue(w, node.fields[i]!, fields[i]);
      return;
    }
    case 'array':
    case 'dict': {
      w.u32(0);
      const lengthAt = w.pos - 4;
      if (node.kind === 'dict') w.align(8);
      else w.align(alignOf(node.element));
      const start = w.pos;
      if (node.kind === 'dict') {
        for (const [k, val] of dictEntries(v)) {
          w.align(8);
          writeBasic(w, node.key.code, k);
          writeValue(w, node.value, val);
        }
      } else if (node.element.signature === 'y' && v instanceof Uint8Array) {
        w.bytes(v);
      } else {
        const el = node.element;
        for (const item of v as readonly unknown[]) writeValue(w, el, item);
      }
      const length = w.pos - start;
      if (length > MAX_ARRAY_BYTES) {
        throw new RangeError(`array ${node.signature} is ${length} bytes, over the 64 MiB limit`);
      }
      w.buf.writeUInt32LE(length, lengthAt);
      return;
    }
    default: {
      const never: never = node;
      throw new TypeError(`unknown type node ${String(never)}`);
    }
  }
}

function headerSizeHint(m: OutgoingMessage): number {
  let n = 64;
  for (const s of [m.path, m.interfaceName, m.member, m.errorName, m.destination, m.sender]) {
    if (s !== undefined) n += s.length * 3 + 16;
  }
  return n + (m.signature?.length ?? 0);
}

/** Bytes of the top-level byte arrays in a body: lets the writer allocate once. */
function blockBytes(body: readonly unknown[] | undefined): number {
  let n = 0;
  if (body) for (const v of body) if (v instanceof Uint8Array) n += v.length + 8;
  return n;
}

function field(w: Writer, code: number, sig: string, write: () => void): void {
  w.align(8);
  w.u8(code);
  w.signature(sig);
  write();
}

/**
 * Marshals a whole message: the fixed header, header fields in dbus-next's order (only the
 * ones set, as dbus-next does), padding to 8, then the body. A signature with `h` gets a
 * UNIX_FDS field (patched once the body is written); the fd numbers the `h` values index
 * are pushed to `fdsOut`, to be sent with the bytes.
 */
export function marshalMessage(
  m: OutgoingMessage,
  bodySizeHint = blockBytes(m.body),
  fdsOut?: number[],
  forceUnixFds = false,
): Buffer {
  const w = new Writer(headerSizeHint(m) + bodySizeHint);
  w.u8(108); // 'l'
  w.u8(m.type);
  w.u8(m.flags ?? 0);
  w.u8(1);
  w.u32(0); // body length, patched below
  w.u32(m.serial);
  w.u32(0); // header fields array length, patched below
  w.align(8);
  const fieldsStart = w.pos;
  const sig = m.signature ?? '';
  if (m.path) field(w, 1, 'o', () => w.string(m.path!));
  if (m.interfaceName) field(w, 2, 's', () => w.string(m.interfaceName!));
  if (m.member) field(w, 3, 's', () => w.string(m.member!));
  if (m.errorName) field(w, 4, 's', () => w.string(m.errorName!));
  if (m.replySerial) field(w, 5, 'u', () => w.u32(m.replySerial!));
  if (m.destination) field(w, 6, 's', () => w.string(m.destination!));
  if (m.sender) field(w, 7, 's', () => w.string(m.sender!));
  if (sig !== '') field(w, 8, 'g', () => w.signature(sig));
  let unixFdsAt = -1;
  if (forceUnixFds || sig.includes('h')) {
    field(w, 9, 'u', () => w.u32(0));
    unixFdsAt = w.pos - 4;
  }
  w.buf.writeUInt32LE(w.pos - fieldsStart, 12);
  w.align(8);
  const bodyStart = w.pos;
  const body = m.body ?? [];
  const types = parseSignatureCached(sig);
  if (types.length !== body.length) {
    throw new TypeError(`signature "${sig}" needs ${types.length} values, got ${body.length}`);
  }
  // Body offsets are relative to the body start, which is 8-aligned: alignment agrees.
  for (let i = 0; i < types.length; i++) writeValue(w, types[i]!, body[i]);
  w.buf.writeUInt32LE(w.pos - bodyStart, 4);
  if (unixFdsAt < 0 && w.fds.length > 0) {
    // `h` inside a variant: the signature did not announce it. Rare: write it again.
    return marshalMessage(m, bodySizeHint, fdsOut, true);
  }
  if (unixFdsAt >= 0) w.buf.writeUInt32LE(w.fds.length, unixFdsAt);
  if (fdsOut) fdsOut.push(...w.fds);
  return w.result();
}
