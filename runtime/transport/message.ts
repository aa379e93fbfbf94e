/**
 * Received messages as the layers above the transport see them: a checked header
 * ({@link MessageHeader}), then either the raw body ({@link RawMessage}, straight from the
 * reader) or its values ({@link IncomingMessage}). A body is decoded only once the receiver
 * knows which signature it expects ({@link readBody}); big bodies are decoded in slices with
 * the event loop running in between, and the decoding stops when the receiver no longer
 * wants it (a call that timed out).
 */
import { parseSignatureCached } from '../../spec/signature.js';
import type { UnixFd } from '../unix-fd.js';
import { BodyDecoder, type DecoderOptions } from './body-decoder.js';
import { WireReader } from './wire-read.js';

/** The checked header fields of a received message (both byte orders read the same). */
export interface MessageHeader {
  readonly type: number;
  readonly flags: number;
  readonly serial: number;
  readonly sender?: string | undefined;
  readonly destination?: string | undefined;
  readonly path?: string | undefined;
  readonly interfaceName?: string | undefined;
  readonly member?: string | undefined;
  readonly errorName?: string | undefined;
  readonly replySerial?: number | undefined;
  /** The body's signature ('' when the SIGNATURE field is absent). */
  readonly signature: string;
  /** The UNIX_FDS header field (0 when absent): `h` values index these fds. */
  readonly unixFds: number;
}

/** A message as read: header checked, body still bytes. */
export interface RawMessage extends MessageHeader {
  readonly littleEndian: boolean;
  readonly bodyBytes: Buffer;
  /** The unix fds received with it (exactly `unixFds` of them), owned until delivered. */
  readonly fds?: readonly UnixFd[] | undefined;
}

/** An incoming message; `body` holds our receive-side value forms (README "Type mapping"). */
export interface IncomingMessage extends MessageHeader {
  readonly body: readonly unknown[];
  /** The unix fds received with it (`h` values are these handles); see {@link UnixFd}. */
  readonly fds?: readonly UnixFd[] | undefined;
}

/** Bodies up to this size are decoded in one go; bigger ones in slices. */
export const SYNC_BODY_BYTES = 65_536;
const SLICE_VALUES = 32_768;
const SLICE_BYTES = 4 * 1_048_576;

/** The decoding was abandoned because the receiver stopped waiting. */
export class DecodeAbandoned extends Error {
  override readonly name = 'DecodeAbandoned';
}

function decoderFor(raw: RawMessage, options: DecoderOptions): BodyDecoder {
  const r = new WireReader(raw.bodyBytes, raw.littleEndian);
  const types = parseSignatureCached(raw.signature);
  return new BodyDecoder(r, types, {
    unixFds: raw.unixFds,
    fds: raw.fds,
    ...options,
    exact: true,
  });
}

async function sliced(dec: BodyDecoder, wanted: () => boolean): Promise<unknown[]> {
  while (!dec.step(SLICE_VALUES, SLICE_BYTES)) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (!wanted()) throw new DecodeAbandoned('the receiver no longer waits for this message');
  }
  return dec.values;
}

/**
 * Decodes the body of `raw` (its own signature: compare it with the expected one first).
 * Small bodies return synchronously; big ones return a promise and yield between slices,
 * rejecting with {@link DecodeAbandoned} once `wanted()` turns false. Malformed bodies throw
 * (or reject with) WireError; bodies over the value limit WireLimitError.
 */
export function readBody(
  raw: RawMessage,
  wanted: () => boolean = () => true,
  options: DecoderOptions = {},
): unknown[] | Promise<unknown[]> {
  const dec = decoderFor(raw, options);
  if (raw.bodyBytes.length <= SYNC_BODY_BYTES) {
    dec.step();
    return dec.values;
  }
  return sliced(dec, wanted);
}

/** The message with its decoded body (the raw bytes are not kept). */
export function withBody(raw: RawMessage, body: readonly unknown[]): IncomingMessage {
  const { littleEndian: _le, bodyBytes: _bytes, ...header } = raw;
  return { ...header, body };
}

/** An ERROR's text: its first argument when that is a string, else ''. Reads nothing else. */
export function errorText(raw: RawMessage): string {
  if (!raw.signature.startsWith('s')) return '';
  try {
    return new WireReader(raw.bodyBytes, raw.littleEndian).string('s');
  } catch {
    return '';
  }
}

/**
 * Decodes `raw`'s body and calls `ok` with it, or `bad` with why it could not be read;
 * returns a promise only when the body is decoded in slices.
 */
export function onBody(
  raw: RawMessage,
  wanted: () => boolean,
  ok: (body: unknown[]) => void,
  bad: (err: unknown) => void,
): void | Promise<void> {
  let body: unknown[] | Promise<unknown[]>;
  try {
    body = readBody(raw, wanted);
  } catch (err) {
    bad(err);
    return;
  }
  if (Array.isArray(body)) {
    ok(body);
    return;
  }
  return body.then(ok, bad);
}
