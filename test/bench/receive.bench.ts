/**
 * Receive-path benchmarks (issue 9): the same message bytes read by
 * - ours: framed from 64 KiB chunks (as a socket delivers them), header checked, body decoded
 *   against its signature (sliced decoding, as on a connection);
 * - dbus-next 0.10.2's reader (`unmarshalMessages` + `messageToJsFmt`, the old receive path),
 *   fed the same chunks through a Readable;
 * - GDBus (Python, `Gio.DBusMessage.new_from_blob`: header plus the body's GVariant tree).
 * Messages: a 16 MiB `ay` and a 1 MiB `a(sa{sv})` (quick: 1 MiB and 128 KiB). Against
 * dbus-next both readers get the message in 64 KiB chunks; against GDBus both get it whole.
 * Median ms per message; each ratio is ours / anchor. Goals: not slower than dbus-next; within
 * 1.5x of GDBus's C code for `ay` and 3x for `a(sa{sv})`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import compat from 'dbus-next/lib/marshall-compat.js';
import dbusMessage from 'dbus-next/lib/message.js';
import { MessageFramer } from '../../runtime/transport/framer.js';
import { parseMessage } from '../../runtime/transport/header.js';
import { marshalMessage } from '../../runtime/transport/marshal.js';
import { readBody } from '../../runtime/transport/message.js';
import { Variant } from '../../runtime/variant.js';
import { PYTHON } from '../support/python-service.js';
import { benchLine, median } from './format.js';

const GDBUS_DECODE = fileURLToPath(new URL('./fixtures/gdbus-decode.py', import.meta.url));
const CHUNK = 65_536;

function reply(signature: string, body: unknown[]): Buffer {
  return marshalMessage({
    type: 2,
    serial: 7,
    replySerial: 3,
    destination: ':1.9',
    signature,
    body,
  });
}

/** An `a(sa{sv})` of about `bytes` bytes: names with a few typed properties each. */
function records(bytes: number): unknown[] {
  const out: unknown[] = [];
  for (let i = 0, size = 0; size < bytes; i++) {
    const props = {
      Id: new Variant('s', `helper-${i}`),
      Size: new Variant('t', BigInt(i) * 4096n),
      Ready: new Variant('b', i % 2 === 0),
      Tags: new Variant('as', ['a', 'bc']),
      Blob: new Variant('ay', Buffer.alloc(8, i)),
    };
    out.push([`/org/example/obj${i}`, props]);
    size += 150;
  }
  return out;
}

async function ours(msg: Buffer, chunk = CHUNK): Promise<unknown[]> {
  let frame: Buffer | undefined;
  const framer = new MessageFramer((f) => {
    frame = f;
  });
  for (let i = 0; i < msg.length; i += chunk) framer.push(msg.subarray(i, i + chunk));
  const raw = parseMessage(frame!)!;
  return await readBody(raw);
}

/** dbus-next's stream reader, fed the same chunks through a Readable (as a socket would). */
function dbusNext(msg: Buffer): Promise<unknown> {
  return new Promise((resolve) => {
    const stream = new Readable({ read() {} });
    const onMessage = (m: Parameters<typeof compat.messageToJsFmt>[0]) =>
      resolve(compat.messageToJsFmt(m).body);
    dbusMessage.unmarshalMessages(stream as never, onMessage, { ayBuffer: true });
    for (let i = 0; i < msg.length; i += CHUNK) stream.push(msg.subarray(i, i + CHUNK));
  });
}

async function timeRuns(runs: number, f: () => unknown): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await f();
    out.push(performance.now() - t0);
  }
  return out;
}

function gdbus(msg: Buffer, runs: number): number {
  const dir = mkdtempSync(join(tmpdir(), 'recv-bench-'));
  try {
    const file = join(dir, 'msg.bin');
    writeFileSync(file, msg);
    const r = spawnSync(PYTHON, [GDBUS_DECODE, file, String(runs)], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`gdbus-decode.py failed: ${r.stderr}`);
    return median(r.stdout.trim().split('\n').map(Number));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(quick: boolean): Promise<void> {
  const runs = quick ? 3 : 25;
  const cases = [
    {
      name: `receive-${quick ? 1 : 16}MiB-ay`,
      msg: reply('ay', [Buffer.alloc((quick ? 1 : 16) * 1_048_576, 0x5a)]),
      gdbusGoal: 1.5,
    },
    {
      name: `receive-${quick ? '128KiB' : '1MiB'}-a(sa{sv})`,
      msg: reply('a(sa{sv})', [records(quick ? 131_072 : 1_048_576)]),
      gdbusGoal: 3,
    },
  ];
  for (const c of cases) {
    await ours(c.msg); // warm up both readers
    await dbusNext(c.msg);
    const o: number[] = [];
    const d: number[] = [];
    for (let i = 0; i < runs; i++) {
      // Alternate who goes first: fresh 16 MiB buffers cost page faults, GC lands anywhere.
      if (i % 2 === 0) o.push(...(await timeRuns(1, () => ours(c.msg))));
      d.push(...(await timeRuns(1, () => dbusNext(c.msg))));
      if (i % 2 === 1) o.push(...(await timeRuns(1, () => ours(c.msg))));
    }
    // GDBus is handed the whole message: so is ours here (one chunk, nothing to gather).
    const whole = await timeRuns(runs, () => ours(c.msg, c.msg.length));
    const g = gdbus(c.msg, runs);
    const bytes = `${(c.msg.length / 1_048_576).toFixed(2)} MiB message, ${runs} runs`;
    benchLine(`${c.name}-vs-dbus-next`, median(o), median(d), 'ms', 1, `${bytes}, 64 KiB chunks`);
    benchLine(`${c.name}-vs-gdbus`, median(whole), g, 'ms', c.gdbusGoal, `${bytes}, whole`);
  }
}
