/**
 * `npm run fuzz [-- CASES] [--target xml,blob,values,load,wire]`: runs the fuzz targets and
 * prints one line per target:
 *   FUZZ <target> cases=<n> crashes=<n> hangs=<n> partial_loads=<n>
 * CASES (or env FUZZ_CASES, default 5000) sizes the xml, blob and values targets; the load
 * target makes FUZZ_LOAD_CONCURRENT (1000) concurrent and FUZZ_LOAD_SEQUENTIAL (10000)
 * sequential calls. FUZZ_SEED replays a run. Exit 1 when any target found a problem.
 */
import { fuzzLine, passed } from './report.js';
import { seedFromEnv } from './rng.js';
import { type RunSizes, TARGETS } from './targets.js';

function positive(v: string | undefined, fallback: number, what: string): number {
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) {
    process.stderr.write(`fuzz: ${what} must be a positive integer, got ${JSON.stringify(v)}\n`);
    process.exit(2);
  }
  return n;
}

const args = process.argv.slice(2);
const targetArg = args.indexOf('--target');
const names = targetArg >= 0 ? (args[targetArg + 1] ?? '').split(',') : Object.keys(TARGETS);
const positional = args.filter(
  (a, i) => !a.startsWith('--') && (targetArg < 0 || i !== targetArg + 1),
);
for (const n of names) {
  if (!(n in TARGETS)) {
    process.stderr.write(
      `fuzz: unknown target ${JSON.stringify(n)} (${Object.keys(TARGETS).join(', ')})\n`,
    );
    process.exit(2);
  }
}
const sizes: RunSizes = {
  cases: positive(positional[0] ?? process.env.FUZZ_CASES, 5000, 'CASES'),
  seed: seedFromEnv(),
  concurrent: positive(process.env.FUZZ_LOAD_CONCURRENT, 1000, 'FUZZ_LOAD_CONCURRENT'),
  sequential: positive(process.env.FUZZ_LOAD_SEQUENTIAL, 10_000, 'FUZZ_LOAD_SEQUENTIAL'),
};

let ok = true;
for (const name of names) {
  const started = performance.now();
  const result = await TARGETS[name]!(sizes);
  console.log(fuzzLine(result));
  for (const note of result.notes) console.log(`  ${note}`);
  console.log(
    `  ${name}: seed=${sizes.seed}, ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  for (const f of result.failures) console.log(`  ${f}`);
  ok &&= passed(result);
}
process.exit(ok ? 0 : 1);
