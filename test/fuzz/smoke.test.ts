/**
 * Every fuzz target with a tiny case count, so CI exercises them (`npm run fuzz` runs the
 * real sizes).
 */
import { describe, expect, it } from 'vitest';
import { fuzzLine } from './report.js';
import { TARGETS } from './targets.js';

const SIZES = { cases: 60, seed: 0x5eed, concurrent: 100, sequential: 300 };

describe('fuzz targets (smoke)', () => {
  it.each(Object.keys(TARGETS))('%s', async (name) => {
    const result = await TARGETS[name]!(SIZES);
    console.log(fuzzLine(result));
    expect(result.cases).toBeGreaterThan(0);
    expect(result.failures).toEqual([]);
    expect(fuzzLine(result)).toMatch(
      new RegExp(`^FUZZ ${name} cases=\\d+ crashes=0 hangs=0 partial_loads=0$`),
    );
  });
});
