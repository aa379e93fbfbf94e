/**
 * Every well-formed file of ../shared/corpus (real-world introspection XML from 25 projects)
 * generates with exit 0 and its output type-checks under the project's strict tsconfig; the
 * two polkit files (not well-formed XML) give located errors. Skipped, with a printed reason,
 * when the corpus is absent (a user's clone). Per-file options: test/support/corpus.ts.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GenerateResult, generate } from '../../build/generate.js';
import { formatDiagnostic } from '../../generator/diagnostics.js';
import {
  type CorpusCase,
  corpusDir as corpus,
  corpusCases,
  MALFORMED as POLKIT,
  corpusPresent as present,
  repoRoot as repo,
} from '../support/corpus.js';
import { typecheckDir } from '../support/typecheck.js';

if (!present)
  console.log(`corpus test skipped: ${corpus} is absent (it ships with the CI checkout only)`);

const out = join(repo, 'test/fixtures/out', `corpus-${process.pid}`);
const results = new Map<string, GenerateResult>();
const key = (c: CorpusCase) => `${c.file}${c.defines['HOST_OS'] ? `@${c.defines['HOST_OS']}` : ''}`;

describe.skipIf(!present)('corpus', () => {
  beforeAll(async () => {
    for (const c of corpusCases()) {
      const dir = join(out, key(c).replace(/[/@]/g, '__').replace(/\.xml/, ''));
      results.set(
        key(c),
        await generate({
          inputs: [join(corpus, c.file)],
          outDir: dir,
          defines: c.defines,
          relax: c.relax,
          cwd: repo,
        }),
      );
    }
  }, 120_000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('generates every well-formed file with exit 0 (306 files)', () => {
    const failed = [...results]
      .filter(([k, r]) => r.exitCode !== 0 && !POLKIT.includes(k))
      .map(
        ([k, r]) =>
          `${k}: ${r.diagnostics
            .filter((d) => d.severity === 'error')
            .map(formatDiagnostic)
            .join('; ')}`,
      );
    expect(failed).toEqual([]);
    const ok = new Set(
      [...results].filter(([, r]) => r.exitCode === 0).map(([k]) => k.split('@')[0]),
    );
    expect(ok.size).toBe(306);
  });

  it('gives the two polkit files located errors (raw "<" in attribute values)', () => {
    const firsts = POLKIT.map((f) => {
      const r = results.get(f)!;
      expect(r.exitCode).toBe(1);
      expect(r.files).toEqual([]);
      const d = r.diagnostics[0]!;
      return `${d.location.line}:${d.location.column} ${d.code}`;
    });
    // gdbus-codegen (expat, 0-based columns) reports line 33 col 56 and line 35 col 99.
    expect(firsts).toEqual(['33:57 DBUS004', '35:100 DBUS004']);
  });

  it('type-checks all output with tsc --noEmit under the project tsconfig', () => {
    const lines = typecheckDir(out);
    // The output imports the runtime, so the runtime is checked with it: no error anywhere.
    expect(lines.slice(0, 20)).toEqual([]);
  }, 120_000);
});
