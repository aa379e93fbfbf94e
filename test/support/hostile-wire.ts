/**
 * Raw hostile messages for receive-path tests: the amplification body of issue 9 (an `av` of
 * 1-byte variants, 4 wire bytes each) in a method call, a Properties.Set or a reply, written
 * straight to a connection's socket so that no validation of ours stands in the way.
 */
import type { Connection } from '../../runtime/connection.js';
import { marshalMessage, type OutgoingMessage } from '../../runtime/transport/marshal.js';
import { Variant } from '../../runtime/variant.js';

/** `ay` element bytes that, read as `av` elements, are `bytes / 4` variants `<byte 7>`. */
export function avPayload(bytes: number): Buffer {
  const out = Buffer.alloc(bytes - (bytes % 4));
  for (let i = 0; i < out.length; i += 4) {
    out[i] = 1;
    out[i + 1] = 0x79; // 'y'
    out[i + 3] = 7;
  }
  return out;
}

/** `m` marshalled with its first `ay` type turned into `av` (same length, same layout). */
export function asAv(m: OutgoingMessage): Buffer {
  const buf = marshalMessage(m);
  const sig = Buffer.from([2, 0x61, 0x79, 0]); // SIGNATURE "ay" (a variant's or the header's)
  const header = Buffer.from([8, 1, 0x67, 0]); // SIGNATURE header field, type "g"
  const at =
    m.signature === 'ay' ? buf.indexOf(Buffer.concat([header, sig])) + 4 : buf.indexOf(sig);
  if (at < 0) throw new Error('no "ay" signature to retype');
  buf[at + 2] = 0x76; // 'v'
  return buf;
}

const VMSTATE = { path: '/org/qemu/VMState1', interfaceName: 'org.qemu.VMState1' } as const;

/** Load(av) instead of Load(ay): the wrong signature a helper must refuse unread. */
export function avLoad(destination: string, serial: number, bytes: number): Buffer {
  return asAv({
    type: 1,
    serial,
    destination,
    ...VMSTATE,
    member: 'Load',
    signature: 'ay',
    body: [avPayload(bytes)],
  });
}

/** Properties.Set(ssv) whose variant holds the av: right signature, so it is decoded. */
export function avSet(destination: string, serial: number, bytes: number): Buffer {
  return asAv({
    type: 1,
    serial,
    destination,
    path: VMSTATE.path,
    interfaceName: 'org.freedesktop.DBus.Properties',
    member: 'Set',
    signature: 'ssv',
    body: [VMSTATE.interfaceName, 'Id', new Variant('ay', avPayload(bytes))],
  });
}

/** A METHOD_RETURN with the av body, answering `replySerial`. */
export function avReply(destination: string, serial: number, replySerial: number, bytes: number) {
  return asAv({
    type: 2,
    serial,
    replySerial,
    destination,
    signature: 'ay',
    body: [avPayload(bytes)],
  });
}

/** Writes bytes to the connection's socket as they are. */
export function writeRaw(conn: Connection, data: Uint8Array): void {
  (conn as unknown as { transport: { write(d: Uint8Array): void } }).transport.write(data);
}

/** Peak resident set (VmHWM) of a running process, in bytes. */
export async function peakRss(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const m = /^VmHWM:\s+(\d+) kB/m.exec(status);
  if (!m) throw new Error(`no VmHWM for ${pid}`);
  return Number(m[1]) * 1024;
}
