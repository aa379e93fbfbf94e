/**
 * Checked-in generated code is current: generated/ (from interfaces/) and the type-test fixture
 * test/types/generated/. Regenerate with
 * `node --import tsx cli/cli.ts generate interfaces/*.xml -o generated` (or `npm run generate`) and
 * `node --import tsx cli/cli.ts generate test/types/fixtures/*.xml -o test/types/generated`.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generate } from '../../build/generate.js';

function xmlIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.xml'))
    .sort()
    .map((f) => `${dir}/${f}`);
}

describe('checked-in generated code', () => {
  it.each([
    ['interfaces', 'generated'],
    ['test/types/fixtures', 'test/types/generated'],
  ])('%s -> %s is current', async (inputs, outDir) => {
    const result = await generate({ inputs: xmlIn(inputs), outDir, check: true });
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const stale = result.files
      .filter((f) => f.status !== 'unchanged')
      .map((f) => `${f.path}: ${f.status}`);
    expect(
      stale,
      `stale: run node --import tsx cli/cli.ts generate ${inputs}/*.xml -o ${outDir}`,
    ).toEqual([]);
    expect(result.exitCode).toBe(0);
  });
});
