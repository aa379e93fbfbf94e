/**
 * Regeneration at the speed of an edit (issue 13), on a copy of interfaces/ (19 files):
 * - onechanged-generate: one XML really edited (a method added or removed in
 *   org.qemu.VMState1.xml), then `generate interfaces/*.xml -o generated` as a whole process,
 *   vs gdbus-codegen --generate-c-code on that one file; both alternate, medians. Goal <= 1.0.
 *   A third process per round makes the opposite edit with DBUS_CODEGEN_TS_PRINTER=ts-morph
 *   (the module printed by ts-morph, which loads TypeScript; its code cache on) and is printed
 *   as a comment: what the fast printer (emitters/print/) gains, same run.
 * - watch-edit: `generate --watch` running; the same edit, timed from the write of the XML to
 *   the run's "1 written" line (printed after the file is written); median vs the 100 ms budget.
 * The no-change figure (nochange-generate) is in generate.bench.ts.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../support/corpus.js';
import { makeTempDir, removeDir } from '../support/temp-dir.js';
import { benchLine, median } from './format.js';

const GDBUS_CODEGEN = '/usr/bin/gdbus-codegen';
const distCli = join(repoRoot, 'dist/cli/cli.js');
const EDITED = 'interfaces/org.qemu.VMState1.xml';

/** A project directory holding a copy of interfaces/ and its generated/ output. */
function project(): { dir: string; edit(i: number): void } {
  const dir = makeTempDir('dbus-codegen-regen-');
  cpSync(join(repoRoot, 'interfaces'), join(dir, 'interfaces'), { recursive: true });
  const original = readFileSync(join(dir, EDITED), 'utf8');
  const at = original.lastIndexOf('</interface>');
  if (at < 0) throw new Error(`${EDITED} has no </interface>`);
  // A real change of the model: every other edit adds a method, the ones between remove it.
  const edit = (i: number): void => {
    const added = `  <method name="BenchEdit${i}"><arg name="x" type="u" direction="in"/></method>\n  `;
    const text = i % 2 === 0 ? original.slice(0, at) + added + original.slice(at) : original;
    writeFileSync(join(dir, EDITED), text);
  };
  return { dir, edit };
}

function wall(cmd: string, args: string[], cwd: string, env?: NodeJS.ProcessEnv): number {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    ...(env !== undefined ? { env: { ...process.env, ...env } } : {}),
  });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr.trim()}`);
  return ms;
}

/** `generate interfaces/*.xml -o generated -q`, the inputs spelled out as a shell would. */
function generateArgs(dir: string): string[] {
  const inputs = readdirSync(join(dir, 'interfaces'))
    .filter((f) => f.endsWith('.xml'))
    .sort()
    .map((f) => `interfaces/${f}`);
  return [distCli, 'generate', ...inputs, '-o', 'generated', '-q'];
}

function onechanged(quick: boolean): void {
  const p = project();
  try {
    const args = generateArgs(p.dir);
    wall(process.execPath, args, p.dir); // the full first run
    const ours: number[] = [];
    const anchor: number[] = [];
    const tsMorph: number[] = [];
    const runs = quick ? 3 : 9;
    for (let i = 0; i < runs + 1; i++) {
      p.edit(2 * i);
      const o = wall(process.execPath, args, p.dir);
      const a = wall(GDBUS_CODEGEN, ['--generate-c-code', join(p.dir, 'gdbus-out'), EDITED], p.dir);
      // The opposite edit printed by ts-morph (the printer of record), for the record.
      p.edit(2 * i + 1);
      const u = wall(process.execPath, args, p.dir, { DBUS_CODEGEN_TS_PRINTER: 'ts-morph' });
      if (i === 0) continue; // warm-up of both (page cache, compile cache)
      ours.push(o);
      anchor.push(a);
      tsMorph.push(u);
    }
    console.log(
      `# onechanged-generate printed by ts-morph (DBUS_CODEGEN_TS_PRINTER=ts-morph): ${median(tsMorph).toFixed(0)} ms, same run`,
    );
    benchLine(
      'onechanged-generate',
      median(ours),
      median(anchor),
      'ms',
      1,
      `one of ${args.length - 5} XML files edited (a method added/removed), whole process vs gdbus-codegen on that file, ${process.version}, median of ${ours.length}`,
    );
  } finally {
    removeDir(p.dir);
  }
}

/** Resolves with the next stdout line matching `re` (rejects after `ms`). */
function nextLine(child: ChildProcess, re: RegExp, ms = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => done(new Error(`no line matching ${re} within ${ms} ms`)), ms);
    const onData = (d: Buffer): void => {
      buf += d.toString();
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      const hit = lines.find((l) => re.test(l));
      if (hit !== undefined) done(undefined, hit);
    };
    const done = (err?: Error, line?: string): void => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      if (err) reject(err);
      else resolve(line ?? '');
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
  });
}

async function watchEdit(quick: boolean): Promise<void> {
  const p = project();
  const child = spawn(
    process.execPath,
    [...generateArgs(p.dir).filter((a) => a !== '-q'), '--watch'],
    {
      cwd: p.dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  try {
    await nextLine(child, /^watching for changes/);
    const times: number[] = [];
    const runs = quick ? 5 : 15;
    for (let i = 0; i < runs; i++) {
      const written = nextLine(child, /^1 written/);
      const t0 = performance.now();
      p.edit(i);
      await written;
      times.push(performance.now() - t0);
    }
    benchLine(
      'watch-edit',
      median(times),
      100,
      'ms',
      1,
      `XML write -> module written by a running --watch (debounce included), median of ${times.length}; anchor is the 100 ms budget`,
    );
  } finally {
    child.kill('SIGINT');
    await new Promise((r) => child.once('exit', r));
    removeDir(p.dir);
  }
}

export async function run(quick: boolean): Promise<void> {
  if (!existsSync(distCli)) {
    console.log('# regenerate bench skipped: dist/cli/cli.js is missing (npm run build)');
    return;
  }
  if (existsSync(GDBUS_CODEGEN)) onechanged(quick);
  else console.log(`# onechanged-generate skipped: ${GDBUS_CODEGEN} is not installed`);
  await watchEdit(quick);
}
