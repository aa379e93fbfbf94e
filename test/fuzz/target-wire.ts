/**
 * Wire-message fuzz target: our reader (framer -> header -> body decoder) fed random valid
 * messages of random types in both byte orders, the same messages mutated (bytes flipped,
 * cut, lengths and signatures rewritten), and random bytes behind a plausible fixed header,
 * each in random chunk sizes. A valid message must decode to its value; anything else must
 * either decode or be refused with a WireError. Any other exception is a crash; a case over
 * 2 s is a hang; the peak RSS of the run is reported and must stay under 512 MiB.
 */

import { MessageFramer } from '../../runtime/transport/framer.js';
import { parseMessage } from '../../runtime/transport/header.js';
import { readBody } from '../../runtime/transport/message.js';
import { WireError } from '../../runtime/transport/wire-read.js';
import { parseSignature, parseSingleType } from '../../spec/signature.js';
import { buildMessage, type Field } from '../support/wire-build.js';
import { type FuzzResult, fail, newResult } from './report.js';
import { Rng } from './rng.js';
import { randomSignature, same, toReceived, validValue } from './values-gen.js';

const CASE_LIMIT_MS = 2000;
const RSS_LIMIT = 512 * 1024 * 1024;

function fieldsFor(rng: Rng, type: number, signature: string): Field[] {
  const f: Field[] = [];
  if (type === 1 || type === 4) f.push([1, 'o', '/org/x/Y']);
  if (type === 4 || rng.chance(0.5)) f.push([2, 's', 'org.x.Iface']);
  if (type === 1 || type === 4) f.push([3, 's', 'Member']);
  if (type === 3) f.push([4, 's', 'org.x.Error.Bad']);
  if (type === 2 || type === 3) f.push([5, 'u', rng.range(1, 0xffffffff)]);
  if (rng.chance(0.5)) f.push([6, 's', ':1.7']);
  if (rng.chance(0.3)) f.push([7, 's', 'org.freedesktop.DBus']);
  if (signature !== '') f.push([8, 'g', signature]);
  if (rng.chance(0.2)) f.push([9, 'u', rng.int(4)]);
  if (rng.chance(0.1)) f.push([rng.range(10, 255), 'as', ['unknown', 'field']]);
  return rng.chance(0.5) ? f : f.reverse();
}

function mutate(rng: Rng, buf: Buffer): Buffer {
  const out = Buffer.from(buf);
  const kind = rng.int(6);
  if (kind === 0) {
    for (let n = rng.range(1, 4); n > 0; n--) out[rng.int(out.length)] = rng.int(256);
  } else if (kind === 1) {
    return out.subarray(0, rng.int(out.length));
  } else if (kind === 2) {
    // A length word anywhere (array, string, header) set to something odd.
    const at = rng.int(Math.max(1, out.length - 4)) & ~3;
    const v = rng.pick([0, 1, 3, 0xff, 0xffff, 0x3ffffff, 0x4000001, 0xffffffff, rng.int(2 ** 32)]);
    if (at + 4 <= out.length) out.writeUInt32LE(v >>> 0, at);
  } else if (kind === 3) {
    // A signature byte (header or variant) replaced by another type code.
    const codes = Buffer.from('ybnqiuxtdsogvah(){}');
    for (let i = 0; i < out.length; i++) {
      if (codes.includes(out[i]!) && rng.chance(0.2)) {
        out[i] = codes[rng.int(codes.length)]!;
        break;
      }
    }
  } else if (kind === 4) {
    out[0] = out[0] === 0x6c ? 0x42 : 0x6c; // the other byte order, bytes unchanged
  } else {
    const extra = Buffer.from(rng.bytes(rng.range(1, 16)));
    return Buffer.concat([out, extra]);
  }
  return out;
}

function randomBytes(rng: Rng): Buffer {
  const body = Buffer.from(rng.bytes(rng.range(0, 256)));
  const head = Buffer.alloc(16);
  head[0] = rng.chance(0.5) ? 0x6c : 0x42;
  head[1] = rng.range(0, 5);
  head[3] = 1;
  const le = head[0] === 0x6c;
  const fieldsLen = rng.int(body.length + 1);
  const bodyLen = Math.max(0, body.length - ((fieldsLen + 7) & ~7));
  if (le) {
    head.writeUInt32LE(bodyLen, 4);
    head.writeUInt32LE(rng.range(1, 99), 8);
    head.writeUInt32LE(fieldsLen, 12);
  } else {
    head.writeUInt32BE(bodyLen, 4);
    head.writeUInt32BE(rng.range(1, 99), 8);
    head.writeUInt32BE(fieldsLen, 12);
  }
  return Buffer.concat([head, body]);
}

/** Feeds `buf` in random chunks; returns the decoded bodies (undefined: unknown type). */
async function readAll(rng: Rng, buf: Buffer): Promise<(unknown[] | undefined)[]> {
  const frames: Buffer[] = [];
  const framer = new MessageFramer((f) => frames.push(f));
  for (let i = 0; i < buf.length; ) {
    const n = rng.range(1, 64);
    framer.push(buf.subarray(i, i + n));
    i += n;
  }
  const out: (unknown[] | undefined)[] = [];
  for (const f of frames) {
    const raw = parseMessage(f);
    out.push(raw === undefined ? undefined : await readBody(raw));
  }
  return out;
}

export async function fuzzWire(cases: number, seed: number): Promise<FuzzResult> {
  const r = newResult('wire');
  let peak = process.memoryUsage().rss;
  let decoded = 0;
  let refused = 0;
  for (let i = 0; i < cases; i++) {
    const rng = new Rng(seed + i);
    const le = rng.chance(0.5);
    const type = rng.range(1, 4);
    const nTypes = rng.int(3);
    let sigs = Array.from({ length: nTypes }, () => randomSignature(rng));
    if (sigs.join('').length > 255) sigs = sigs.slice(0, 1);
    const signature = sigs.join('');
    const values = sigs.map((s) => validValue(rng, parseSingleType(s)));
    const fields = fieldsFor(rng, type, signature);
    const valid = buildMessage({ le, type, fields, body: { signature, values } });
    const mode = rng.int(10); // 0-2 valid, 3-8 mutated, 9 random bytes
    const input = mode < 3 ? valid : mode < 9 ? mutate(rng, valid) : randomBytes(rng);
    const where = `seed=${seed + i} mode=${mode < 3 ? 'valid' : mode < 9 ? 'mutated' : 'random'} sig=${JSON.stringify(signature)}`;
    const t0 = performance.now();
    try {
      const got = await readAll(rng, input);
      decoded++;
      if (mode < 3) {
        const want = parseSignature(signature).map((t, k) => toReceived(t, values[k]));
        if (got.length !== 1 || !same(got[0], want)) fail(r, 'crash', `${where}: decoded wrongly`);
      }
    } catch (err) {
      if (!(err instanceof WireError) || mode < 3) {
        fail(
          r,
          'crash',
          `${where}: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`,
        );
      } else refused++;
    }
    if (performance.now() - t0 > CASE_LIMIT_MS) fail(r, 'hang', where);
    if (i % 1000 === 0) peak = Math.max(peak, process.memoryUsage().rss);
    r.cases++;
  }
  peak = Math.max(peak, process.memoryUsage().rss);
  if (peak > RSS_LIMIT)
    fail(r, 'crash', `peak RSS ${(peak / 2 ** 20).toFixed(0)} MiB over 512 MiB`);
  r.notes.push(`decoded=${decoded} refused=${refused} peak_rss=${(peak / 2 ** 20).toFixed(0)}MiB`);
  return r;
}
