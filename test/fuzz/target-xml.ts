/**
 * XML fuzz target: mutated corpus files through the generator's check pipeline. Every case
 * must end in success or located diagnostics, never an exception, within 1 s.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type FuzzResult, fail, newResult } from './report.js';
import { Rng } from './rng.js';
import { mutateXml } from './xml-mutate.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const WORKER = fileURLToPath(new URL('./xml-worker.ts', import.meta.url));
/** Shared corpus when present (the team's machine), else the repo's own interfaces. */
const CORPORA = [process.env.FUZZ_CORPUS, '/work/shared/corpus', join(ROOT, 'interfaces')];
export const XML_LIMIT_MS = 1000;
/** A case that has not answered by then is killed and counted as a hang. */
const KILL_MS = 10_000;
const WARM_UP =
  '<node><interface name="a.B1"><method name="M"><arg type="a{sv}" direction="in"/></method>' +
  '<property name="P" type="s" access="read"/><signal name="S"/></interface></node>';

function xmlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...xmlFiles(p));
    else if (name.endsWith('.xml')) out.push(p);
  }
  return out;
}

export function corpusFiles(): string[] {
  for (const dir of CORPORA) {
    if (dir !== undefined && existsSync(dir)) {
      const files = xmlFiles(dir);
      if (files.length > 0) return files;
    }
  }
  throw new Error('no XML corpus found');
}

interface Answer {
  id: number;
  ms: number;
  bad?: string[];
  crash?: string;
}

class Checker {
  private child: ChildProcess | undefined;
  private waiting: ((a: Answer | undefined) => void) | undefined;

  private async start(): Promise<ChildProcess> {
    const child = fork(WORKER, [], {
      execArgv: ['--import', import.meta.resolve('tsx')],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('exit', (code) => reject(new Error(`xml worker exited ${code}`)));
    });
    child.on('message', (m: Answer) => this.waiting?.(m));
    child.on('exit', () => this.waiting?.(undefined));
    this.child = child;
    // Warm-up (module loading, JIT): not a case, not timed.
    await this.ask(child, -1, 'warm-up.xml', WARM_UP);
    return child;
  }

  async check(id: number, file: string, text: string): Promise<Answer | undefined> {
    return this.ask(this.child ?? (await this.start()), id, file, text);
  }

  private ask(
    child: ChildProcess,
    id: number,
    file: string,
    text: string,
  ): Promise<Answer | undefined> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.child = undefined;
        child.kill('SIGKILL');
      }, KILL_MS);
      this.waiting = (a) => {
        clearTimeout(timer);
        this.waiting = undefined;
        if (a === undefined) this.child = undefined;
        resolve(a);
      };
      child.send({ id, file, text });
    });
  }

  stop(): void {
    this.child?.kill();
  }
}

export async function fuzzXml(cases: number, seed: number): Promise<FuzzResult> {
  const r = newResult('xml');
  const files = corpusFiles();
  const checker = new Checker();
  let slowest = 0;
  try {
    for (let i = 0; i < cases; i++) {
      const rng = new Rng(seed + i);
      const path = rng.pick(files);
      const file = relative(ROOT, path) || path;
      const { text, steps } = mutateXml(rng, readFileSync(path, 'utf8'));
      const where = `seed=${seed + i} ${file} [${steps.join(',')}]`;
      r.cases++;
      const a = await checker.check(i, file, text);
      slowest = Math.max(slowest, a?.ms ?? 0);
      if (a === undefined) fail(r, 'hang', `${where}: no answer in ${KILL_MS} ms (killed)`);
      else if (a.crash !== undefined) fail(r, 'crash', `${where}: ${a.crash}`);
      else if (a.ms > XML_LIMIT_MS) fail(r, 'hang', `${where}: ${a.ms.toFixed(0)} ms`);
      else if (a.bad !== undefined && a.bad.length > 0) {
        fail(r, 'crash', `${where}: unlocated diagnostic ${a.bad[0]}`);
      }
    }
  } finally {
    checker.stop();
  }
  r.notes.push(`corpus ${files.length} files, slowest case ${slowest.toFixed(1)} ms`);
  return r;
}
