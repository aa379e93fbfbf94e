/**
 * `npm run bench [-- --quick]`: runs every benchmark and prints one parseable line per figure:
 * `BENCH <name> ours=<n><unit> anchor=<n><unit> ratio=<ours/anchor> goal=<=<n>`.
 * Anchors are measured in the same run; these machines are shared and noisy, so each figure is
 * a median. A bench module exports `run(quick: boolean): Promise<void>`.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const quick = process.argv.includes('--quick') || process.env['BENCH_QUICK'] === '1';
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const here = dirname(fileURLToPath(import.meta.url));
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only === undefined || f.startsWith(only))
  .sort();

let failures = 0;
for (const file of files) {
  const mod = (await import(pathToFileURL(join(here, file)).href)) as {
    run?: (quick: boolean) => Promise<void>;
  };
  if (typeof mod.run !== 'function') continue;
  console.log(`# ${file}${quick ? ' (quick)' : ''}`);
  try {
    await mod.run(quick);
  } catch (err) {
    failures++;
    console.log(`# ${file} failed: ${err instanceof Error ? err.message : String(err)}`);
  }
}
process.exitCode = failures > 0 ? 1 : 0;
