/**
 * Parses and checks the header of one framed message (framer.ts), in either byte order:
 * fixed part (type, flags, nonzero serial), header fields (each known code with its one
 * type, none twice, code 0 refused, unknown codes read and ignored as the spec says), the
 * fields required by the message type, name syntax (the D-Bus spec's "Valid Names", checked
 * by ../names.ts), the body signature, zero padding to 8 and a body of exactly the announced
 * length. The body stays bytes.
 */

import { parseSignatureCached, SignatureError } from '../../spec/signature.js';
import { badHeaderField, isBusName } from '../names.js';
import { BodyDecoder } from './body-decoder.js';
import { FIXED_HEADER_BYTES } from './framer.js';
import { MessageType } from './marshal.js';
import type { RawMessage } from './message.js';
import { WireError, WireReader } from './wire-read.js';

const FIELD_TYPES: Readonly<Record<number, string>> = {
  1: 'o', // PATH
  2: 's', // INTERFACE
  3: 's', // MEMBER
  4: 's', // ERROR_NAME
  5: 'u', // REPLY_SERIAL
  6: 's', // DESTINATION
  7: 's', // SENDER
  8: 'g', // SIGNATURE
  9: 'u', // UNIX_FDS
};
const FIELD_NAMES = [
  '',
  'PATH',
  'INTERFACE',
  'MEMBER',
  'ERROR_NAME',
  'REPLY_SERIAL',
  'DESTINATION',
  'SENDER',
  'SIGNATURE',
  'UNIX_FDS',
];
const REQUIRED: Readonly<Record<number, readonly number[]>> = {
  [MessageType.METHOD_CALL]: [1, 3],
  [MessageType.METHOD_RETURN]: [5],
  [MessageType.ERROR]: [4, 5],
  [MessageType.SIGNAL]: [1, 2, 3],
};
/** Values an unknown header field may hold before the message is refused. */
const UNKNOWN_FIELD_VALUES = 4096;

function readFields(r: WireReader, end: number): Map<number, unknown> {
  const fields = new Map<number, unknown>();
  while (r.pos < end) {
    r.align(8);
    const at = r.pos;
    const code = r.u8();
    const sig = r.signature();
    const want = FIELD_TYPES[code];
    if (code === 0) r.fail('header field code 0 (INVALID)', at);
    if (want === undefined) {
      const types = parseSignatureCached(sig);
      if (types.length !== 1) r.fail(`header field ${code} has signature "${sig}"`, at);
      new BodyDecoder(r, types, { maxValues: UNKNOWN_FIELD_VALUES }).step();
      continue;
    }
    if (sig !== want)
      r.fail(`header field ${FIELD_NAMES[code]} has type "${sig}", expected "${want}"`, at);
    if (fields.has(code)) r.fail(`header field ${FIELD_NAMES[code]} appears twice`, at);
    let v: unknown;
    if (want === 'u') v = r.u32();
    else if (want === 'g') v = r.signature();
    else v = r.string(want as 's' | 'o');
    fields.set(code, v);
  }
  if (r.pos !== end) r.fail('header fields run past their array length');
  return fields;
}

/**
 * The checked message in `frame` (exactly one message, as the framer cut it), or undefined
 * for a message type this runtime does not know (the spec says to ignore those).
 * Throws {@link WireError} saying what is wrong and where.
 */
export function parseMessage(frame: Buffer): RawMessage | undefined {
  const le = frame[0] === 0x6c;
  const r = new WireReader(frame, le);
  r.pos = 1;
  const type = r.u8();
  const flags = r.u8();
  r.pos = 4;
  const bodyLen = r.u32();
  const serial = r.u32();
  if (serial === 0) r.fail('serial 0', 8);
  const fieldsLen = r.u32();
  r.need(fieldsLen);
  const fields = readFields(r, FIXED_HEADER_BYTES + fieldsLen);
  r.align(8);
  if (r.pos + bodyLen !== frame.length) r.fail(`body of ${bodyLen} bytes does not end the message`);
  const required = REQUIRED[type];
  if (required === undefined) return undefined;
  for (const code of required) {
    if (!fields.has(code))
      r.fail(`message type ${type} needs header field ${FIELD_NAMES[code]}`, 16);
  }
  const signature = (fields.get(8) as string | undefined) ?? '';
  try {
    parseSignatureCached(signature);
  } catch (err) {
    if (err instanceof SignatureError) r.fail(`body signature: ${err.reason}`, 16);
    throw err;
  }
  if (signature === '' && bodyLen > 0) r.fail(`body of ${bodyLen} bytes without a signature`, 4);
  const m = {
    type,
    flags,
    serial,
    path: fields.get(1) as string | undefined,
    interfaceName: fields.get(2) as string | undefined,
    member: fields.get(3) as string | undefined,
    errorName: fields.get(4) as string | undefined,
    replySerial: fields.get(5) as number | undefined,
    destination: fields.get(6) as string | undefined,
    sender: fields.get(7) as string | undefined,
    signature,
    unixFds: (fields.get(9) as number | undefined) ?? 0,
    littleEndian: le,
    bodyBytes: frame.subarray(r.pos),
  };
  const bad = badHeaderField(m);
  if (bad !== undefined) throw new WireError(`invalid ${bad} in the header`, 16);
  if (m.sender !== undefined && !isBusName(m.sender)) {
    throw new WireError(`invalid sender ${JSON.stringify(m.sender)} in the header`, 16);
  }
  if (m.replySerial === 0) throw new WireError('reply serial 0', 16);
  return m;
}
