/**
 * Type-checks a directory of generated output (anywhere under the repository) with tsc
 * --noEmit under the project tsconfig; returns the `error TS` lines. The output imports the
 * runtime, so the runtime is checked with it.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repoRoot } from './corpus.js';

export function typecheckDir(dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const config = join(dir, 'tsconfig.json');
  const up = relative(dir, repoRoot).split('\\').join('/');
  writeFileSync(
    config,
    JSON.stringify({
      extends: `${up}/tsconfig.json`,
      compilerOptions: { noEmit: true, incremental: false },
      // runtime/types holds our own typings for the dbus-next subset the runtime imports.
      include: ['./**/*.ts', `${up}/runtime/types/*.d.ts`],
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
