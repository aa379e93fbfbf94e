/**
 * The migrator's floor (issue 13; a figure, no goal): our VMStateMigrator.save() of 8 helpers x
 * 1 MiB vs the same concurrent Saves done by a C client (GDBus, driven from Python:
 * gdbus-vmstate-saver.py) on the same helpers and bus, alternately, medians. Both list the
 * helpers, read their Ids and Save concurrently, so the ratio shows how much of our time is
 * ours and how much is dbus-daemon relaying 8 MiB.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { connect } from '../../runtime/index.js';
import { VMStateMigrator } from '../../vmstate/migrator.js';
import { startNodeHelpers } from '../support/vmstate-helpers.js';
import { fmt, median } from './format.js';
import { startBus, timedSave } from './vmstate-support.js';

const MiB = 1024 * 1024;
const SAVER = new URL('./gdbus-vmstate-saver.py', import.meta.url).pathname;
const PYTHON = '/usr/bin/python3';

/** The GDBus client: one process, one connection; `save()` runs one round, returns its ms. */
async function startSaver(address: string): Promise<{ save(): Promise<number>; stop(): void }> {
  const child = spawn(PYTHON, [SAVER, address], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const waiting: ((line: string) => void)[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => waiting.shift()?.(line));
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`saver exited (${code}): ${stderr.trim()}`))),
  );
  const next = (): Promise<string> =>
    Promise.race([new Promise<string>((r) => waiting.push(r)), exited]);
  if ((await next()) !== 'ready') throw new Error(`saver did not start: ${stderr}`);
  return {
    async save() {
      const reply = next();
      child.stdin.write('save\n');
      const [word, helpers, bytes, ms] = (await reply).split(' ');
      if (word !== 'saved' || Number(helpers) !== 8 || Number(bytes) !== 8 * MiB) {
        throw new Error(`saver: unexpected reply ${word} ${helpers} ${bytes}`);
      }
      return Number(ms);
    },
    stop() {
      exited.catch(() => {});
      child.stdin.end();
      child.kill('SIGTERM');
    },
  };
}

export async function run(quick: boolean): Promise<void> {
  if (!existsSync(PYTHON)) {
    console.log(`# migrator-floor skipped: ${PYTHON} is missing`);
    return;
  }
  const bus = await startBus();
  const ids = Array.from({ length: 8 }, (_, i) => `helper-${i}:${MiB}`);
  const helpers = await startNodeHelpers(bus.address, ids);
  const conn = await connect(bus.address);
  const saver = await startSaver(bus.address);
  try {
    const m = new VMStateMigrator(conn);
    const ours = (): Promise<number> => timedSave(m, 8);
    await ours();
    await saver.save();
    const o: number[] = [];
    const a: number[] = [];
    for (let i = 0; i < (quick ? 5 : 15); i++) {
      o.push(await ours());
      a.push(await saver.save());
    }
    const [mo, ma] = [median(o), median(a)];
    console.log(
      `BENCH migrator-floor ours=${fmt(mo)}ms anchor=${fmt(ma)}ms ratio=${(mo / ma).toFixed(3)} # no goal: our save() of 8x1 MiB vs the same Saves by GDBus (C) on the same helpers and bus, medians of ${o.length}`,
    );
  } finally {
    saver.stop();
    await conn.close();
    await helpers.stop();
    await bus.stop();
  }
}
