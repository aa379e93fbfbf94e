/**
 * Blob fuzz target: mutations of valid dbus-vmstate blobs. `decodeBlob` must return or
 * throw a typed BlobError; `VMStateMigrator.load` of a bad blob must fail typed and never
 * call any helper's Load (a Load before the failure is a partial load).
 */
import { type Connection, connect } from '../../runtime/index.js';
import { PrivateBus } from '../../runtime/private-bus.js';
import {
  BlobError,
  decodeBlob,
  encodeBlob,
  MAX_DATA_BYTES,
  type VMStateEntry,
} from '../../vmstate/blob.js';
import { VMStateError } from '../../vmstate/errors.js';
import { serveVMState } from '../../vmstate/helper.js';
import { VMStateMigrator } from '../../vmstate/migrator.js';
import { type FuzzResult, fail, newResult } from './report.js';
import { Rng } from './rng.js';

const HELPER_IDS = ['alpha', 'beta', 'gamma'];
const CASE_LIMIT_MS = 5000;

function validEntries(rng: Rng): VMStateEntry[] {
  const ids = HELPER_IDS.filter(() => rng.chance(0.7));
  return ids.map((id) => ({
    id,
    data: rng.bytes(rng.chance(0.1) ? rng.int(70_000) : rng.int(300)),
  }));
}

function writeU32(b: Buffer, at: number, v: number): void {
  if (at + 4 <= b.length) b.writeUInt32BE(v >>> 0, at);
}

/** Offsets of the u32 length fields of a valid blob (count, then id and data lengths). */
function lengthFields(entries: readonly VMStateEntry[]): number[] {
  const out = [0];
  let at = 4;
  for (const e of entries) {
    out.push(at);
    at += 4 + Buffer.byteLength(e.id);
    out.push(at);
    at += 4 + e.data.length;
  }
  return out;
}

const BOUNDARY = [
  0,
  1,
  2,
  254,
  255,
  256,
  0x7fffffff,
  0x80000000,
  0xffffffff,
  MAX_DATA_BYTES,
  MAX_DATA_BYTES + 1,
];

function mutateBlob(rng: Rng, entries: VMStateEntry[]): { blob: Buffer; steps: string[] } {
  let b = Buffer.from(encodeBlob(entries));
  const steps: string[] = [];
  for (let n = rng.range(1, 3); n > 0; n--) {
    const kind = rng.int(7);
    steps.push(['flip', 'truncate', 'extend', 'length', 'zero-pad', 'dup-entry', 'bad-id'][kind]!);
    switch (kind) {
      case 0:
        if (b.length > 0) {
          const at = rng.int(b.length);
          b[at] = (b[at] ?? 0) ^ (1 << rng.int(8));
        }
        break;
      case 1:
        b = b.subarray(0, rng.int(b.length + 1));
        break;
      case 2:
        b = Buffer.concat([b, Buffer.from(rng.bytes(rng.range(1, 16)))]);
        break;
      case 3:
        writeU32(
          b,
          rng.pick(lengthFields(entries)),
          rng.chance(0.5) ? rng.pick(BOUNDARY) : rng.int(2 ** 32),
        );
        break;
      case 4:
        b = Buffer.concat([b, Buffer.alloc(rng.range(1, 64))]); // QEMU's padding: still valid
        break;
      case 5: {
        const e = rng.pick(
          entries.length > 0 ? entries : [{ id: 'alpha', data: new Uint8Array(1) }],
        );
        b = Buffer.from(encodeBlobUnchecked([...entries, e]));
        break;
      }
      default: {
        const id = rng.pick(['', 'delta', 'a\0b', '\xff', 'x'.repeat(256)]);
        b = Buffer.from(encodeBlobUnchecked([...entries, { id, data: new Uint8Array(2) }]));
      }
    }
  }
  return { blob: b, steps };
}

/** The wire format without encodeBlob's checks (duplicates, bad ids). */
function encodeBlobUnchecked(entries: readonly VMStateEntry[]): Buffer {
  const parts: Buffer[] = [u32(entries.length)];
  for (const e of entries) {
    const id = e.id === '\xff' ? Buffer.from([0xff]) : Buffer.from(e.id);
    parts.push(u32(id.length), id, u32(e.data.length), Buffer.from(e.data));
  }
  return Buffer.concat(parts);
}

function u32(v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(v);
  return b;
}

function within<T>(p: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

export async function fuzzBlob(cases: number, seed: number): Promise<FuzzResult> {
  const r = newResult('blob');
  const bus = await PrivateBus.start();
  const conns: Connection[] = [];
  const loads: { id: string; data: Buffer }[] = [];
  let loaded = 0;
  let refused = 0;
  try {
    for (const id of HELPER_IDS) {
      const c = await connect(bus.address);
      conns.push(c);
      await serveVMState(c, {
        id,
        save: () => new Uint8Array(0),
        load: (data) => void loads.push({ id, data }),
      });
    }
    const mc = await connect(bus.address);
    conns.push(mc);
    const migrator = new VMStateMigrator(mc, { timeoutMs: CASE_LIMIT_MS });
    for (let i = 0; i < cases; i++) {
      const rng = new Rng(seed + i);
      const entries = validEntries(rng);
      const { blob, steps } = mutateBlob(rng, entries);
      const where = `seed=${seed + i} [${steps.join(',')}] ${blob.length} bytes`;
      r.cases++;
      let decoded: VMStateEntry[] | undefined;
      try {
        decoded = decodeBlob(blob);
      } catch (err) {
        if (!(err instanceof BlobError)) {
          fail(
            r,
            'crash',
            `${where}: decode threw untyped ${(err as Error)?.name}: ${(err as Error)?.message}`,
          );
          continue;
        }
      }
      const good = decoded?.every((e) => HELPER_IDS.includes(e.id)) === true;
      loads.length = 0;
      const started = performance.now();
      const outcome = await within(
        migrator.load(blob).then(
          () => 'ok' as const,
          (err: unknown) => err,
        ),
        CASE_LIMIT_MS * 2,
      );
      if (outcome === 'ok') loaded++;
      else refused++;
      if (outcome === 'timeout' || performance.now() - started > CASE_LIMIT_MS) {
        fail(r, 'hang', `${where}: load took ${(performance.now() - started).toFixed(0)} ms`);
      } else if (outcome === 'ok') {
        if (!good) fail(r, 'crash', `${where}: a blob that does not decode was loaded`);
        else if (!sameLoads(decoded ?? [], loads))
          fail(r, 'crash', `${where}: loaded data differs`);
      } else if (!(outcome instanceof VMStateError)) {
        fail(r, 'crash', `${where}: load failed untyped: ${String(outcome)}`);
      } else if (loads.length > 0) {
        fail(
          r,
          'partial',
          `${where}: ${outcome.message}, yet Load ran on ${loads.map((l) => l.id).join(',')}`,
        );
      } else if (good) {
        fail(r, 'crash', `${where}: a good blob was refused: ${outcome.message}`);
      }
    }
  } finally {
    await Promise.all(conns.map((c) => c.close().catch(() => {})));
    await bus.stop();
  }
  r.notes.push(`blobs loaded=${loaded} refused=${refused}`);
  return r;
}

function sameLoads(
  entries: readonly VMStateEntry[],
  loads: readonly { id: string; data: Buffer }[],
): boolean {
  if (entries.length !== loads.length) return false;
  return entries.every((e) => loads.some((l) => l.id === e.id && l.data.equals(e.data)));
}
