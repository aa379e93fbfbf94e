/**
 * Type-checks a directory of generated output (under test/fixtures/out/<name>/) with tsc
 * --noEmit under the project tsconfig; returns the `error TS` lines. The output imports the
 * runtime, so the runtime is checked with it.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './corpus.js';

export function typecheckDir(dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const config = join(dir, 'tsconfig.json');
  writeFileSync(
    config,
    JSON.stringify({
      extends: '../../../../tsconfig.json',
      compilerOptions: { noEmit: true, incremental: false },
      // runtime/types holds our own typings for the dbus-next subset the runtime imports.
      include: ['./**/*.ts', '../../../../runtime/types/*.d.ts'],
      exclude: [],
    }),
  );
  const tsc = spawnSync(
    process.execPath,
    [join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', config],
    { cwd: repoRoot, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  return `${tsc.stdout}${tsc.stderr}`.split('\n').filter((l) => /error TS/.test(l));
}
