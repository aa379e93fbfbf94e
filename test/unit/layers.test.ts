// The folder-level import graph: no new cycle or forbidden edge (scripts/check-layers.mjs),
// and the checker itself catches one when it exists.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cycles, folderGraph, KNOWN, violations } from '../../scripts/check-layers.mjs';

const root = path.resolve(import.meta.dirname, '../..');
const tmp = mkdtempSync(path.join(tmpdir(), 'layers-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmp, 't-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

describe('layers', () => {
  it('the repository has no folder cycle or forbidden edge beyond the known list', () => {
    const out = execFileSync(process.execPath, [path.join(root, 'scripts/check-layers.mjs')], {
      encoding: 'utf8',
    });
    expect(out).toMatch(/no new ones/);
  });

  it('the repository has no violation at all: no folder cycle, nothing tolerated', () => {
    const edges = folderGraph(root);
    expect(cycles(edges)).toEqual([]);
    expect(violations(edges)).toEqual([]);
    expect([...KNOWN.keys()]).toEqual([]);
    // The layers that exist only since the moves, seen by the checker.
    expect(edges.get('emitters')?.has('spec')).toBe(true);
    expect(edges.get('emitters')?.has('generator') ?? false).toBe(false);
    expect(edges.get('vmstate')?.has('generated')).toBe(true);
    expect(edges.get('runtime')?.has('generated') ?? false).toBe(false);
    // generator/ holds the stages only: the plumbing (build/), the CLI and the public entry
    // (api/) stand above it; the CLI formats what build/ returns; nothing imports api/.
    expect(edges.get('build')?.has('generator')).toBe(true);
    expect(edges.get('cli')?.has('build')).toBe(true);
    expect(edges.get('api')?.has('build')).toBe(true);
    for (const low of ['generator', 'emitters']) {
      for (const high of ['build', 'cli', 'api'])
        expect(edges.get(low)?.has(high) ?? false).toBe(false);
    }
    expect(edges.get('build')?.has('cli') ?? false).toBe(false);
    expect([...edges].filter(([, to]) => to.has('api')).map(([from]) => from)).toEqual([]);
  });

  it('finds a plumbing or CLI import from the stages and one of the public entry from below', () => {
    const dir = tree({
      'generator/s.ts': "import { w } from '../build/w.js';\nexport const s = w;\n",
      'build/w.ts': "import { c } from '../cli/c.js';\nexport const w = c;\n",
      'cli/c.ts': 'export const c = 1;\n',
      'runtime/r.ts': "import type { G } from 'dbus-codegen-ts';\nexport type R = G;\n",
    });
    const keys = violations(folderGraph(dir)).map((v) => v.key);
    expect(keys).toEqual(['edge:generator->build', 'edge:build->cli', 'edge:runtime->api']);
  });

  it('finds a folder cycle and a forbidden edge, through relative paths and the package name', () => {
    const dir = tree({
      'runtime/a.ts': "import { g } from '../generator/x.js';\n",
      'generator/x.ts': "import type { A } from 'dbus-codegen-ts/runtime';\nexport const g = 1;\n",
      'emitters/t.ts': "export { g } from '../generator/x.js';\n",
    });
    const edges = folderGraph(dir);
    expect(cycles(edges)).toEqual([['generator', 'runtime']]);
    const keys = violations(edges).map((v) => v.key);
    expect(keys).toEqual([
      'cycle:generator,runtime',
      'edge:runtime->generator',
      'edge:emitters->generator',
    ]);
  });

  it('ignores imports quoted in comments and globs in strings', () => {
    const dir = tree({
      'runtime/a.ts':
        "// import x from '../generator/x.js'\nconst glob = 'interfaces/*.xml';\n/** import('../generator/y.js') */\nexport const a = glob;\n",
      'generator/x.ts': "import { a } from '../runtime/a.js';\nexport const g = a;\n",
    });
    const edges = folderGraph(dir);
    expect(cycles(edges)).toEqual([]);
    expect(violations(edges)).toEqual([]);
  });
});
