/**
 * Generation time against the number of members (issue 9: 10,000 methods took 4.8 s, 30,000
 * 26 s, 100,000 over 240 s). One interface with `n` methods, `n/4` signals and `n/4`
 * properties, generated with the programmatic API (check + templates + write, no process
 * start-up) at n and 4n, in one process after a warm-up.
 *
 *   BENCH generate-scaling ours=<time at 4n> anchor=<4 x time at n> ratio=... goal=<=1.5
 *
 * Linear generation gives a ratio near (or under) 1; a quadratic stage gives ~4. Full: 10k
 * and 40k methods; quick: 1k and 4k. The operation-count version of this check is a test
 * (test/unit/generate-scaling.test.ts).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from '../../build/generate.js';
import { syntheticXml } from '../support/synthetic-xml.js';
import { benchLine } from './format.js';

async function timeGenerate(dir: string, n: number): Promise<number> {
  const xml = join(dir, `big-${n}.xml`);
  writeFileSync(xml, syntheticXml(n));
  const t0 = performance.now();
  const r = await generate({ inputs: [xml], outDir: join(dir, `out-${n}`), cwd: dir });
  const ms = performance.now() - t0;
  if (r.exitCode !== 0) throw new Error(`generate of ${n} members failed`);
  return ms;
}

export async function run(quick: boolean): Promise<void> {
  const n = quick ? 1_000 : 10_000;
  const dir = mkdtempSync(join(tmpdir(), 'bench-scaling-'));
  try {
    await timeGenerate(dir, 200); // warm-up: module loading and JIT out of the figures
    const small = await timeGenerate(dir, n);
    const large = await timeGenerate(dir, 4 * n);
    benchLine(
      'generate-scaling',
      large / 1000,
      (4 * small) / 1000,
      's',
      1.5,
      `${n}=${(small / 1000).toFixed(2)}s ${4 * n}=${(large / 1000).toFixed(2)}s members (methods; +n/2 signals and properties)`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
