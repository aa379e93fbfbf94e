/** What a fuzz target reports; `run.ts` prints it as one `FUZZ` line. */
export interface FuzzResult {
  readonly target: string;
  cases: number;
  /** Exceptions of the wrong kind, wrong results, lost calls. */
  crashes: number;
  /** Cases over the target's time limit. */
  hangs: number;
  /** Migrations that failed after some helper's Load had already been called. */
  partialLoads: number;
  /** The first few failures, to replay (seed and what went wrong). */
  readonly failures: string[];
  /** Figures worth printing (load target: timings, RSS). */
  readonly notes: string[];
}

export function newResult(target: string): FuzzResult {
  return { target, cases: 0, crashes: 0, hangs: 0, partialLoads: 0, failures: [], notes: [] };
}

export function fail(r: FuzzResult, what: 'crash' | 'hang' | 'partial', detail: string): void {
  if (what === 'crash') r.crashes++;
  else if (what === 'hang') r.hangs++;
  else r.partialLoads++;
  if (r.failures.length < (process.env.FUZZ_VERBOSE ? 10_000 : 10))
    r.failures.push(`${what}: ${detail}`);
}

export function fuzzLine(r: FuzzResult): string {
  return `FUZZ ${r.target} cases=${r.cases} crashes=${r.crashes} hangs=${r.hangs} partial_loads=${r.partialLoads}`;
}

export function passed(r: FuzzResult): boolean {
  return r.crashes === 0 && r.hangs === 0 && r.partialLoads === 0;
}
