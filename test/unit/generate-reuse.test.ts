/**
 * A run where one XML changed prints only that module: every other module (and index.ts) whose
 * fingerprint says it is current is taken from disk (emitters/index.ts `current`, fresh.ts
 * `currentOutput`). The result must be byte-identical to a run from scratch.
 */
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generate } from '../../build/generate.js';
import { emitModules } from '../../emitters/index.js';
import { makeTempDir, removeDir, interfaceDocument as xml } from '../support/temp-dir.js';
import { iface } from './emitters-fixtures.js';

let dir: string;
beforeEach(() => {
  dir = makeTempDir('dbus-codegen-reuse-');
  mkdirSync(join(dir, 'xml'));
  writeFileSync(join(dir, 'xml/a.xml'), xml('com.example.Alpha1', '<method name="Ping"/>'));
  writeFileSync(
    join(dir, 'xml/b.xml'),
    xml('com.example.Beta1', '<property name="Size" type="t" access="read"/>'),
  );
});
afterEach(() => removeDir(dir));

const inputs = ['xml/a.xml', 'xml/b.xml'];
const gen = () => generate({ inputs, outDir: 'out', cwd: dir });
const snapshot = (): Record<string, string> =>
  Object.fromEntries(
    readdirSync(join(dir, 'out'))
      .sort()
      .map((f) => [f, readFileSync(join(dir, 'out', f), 'utf8')]),
  );

/** The output of a from-scratch run over the current inputs (same paths, same command). */
async function fromScratch(): Promise<Record<string, string>> {
  const kept = join(dir, 'kept');
  cpSync(join(dir, 'out'), kept, { recursive: true });
  rmSync(join(dir, 'out'), { recursive: true });
  await gen();
  const scratch = snapshot();
  rmSync(join(dir, 'out'), { recursive: true });
  cpSync(kept, join(dir, 'out'), { recursive: true });
  rmSync(kept, { recursive: true });
  return scratch;
}

describe('printing only what changed', () => {
  it('one edited XML: output byte-identical to a run from scratch', async () => {
    await gen();
    writeFileSync(
      join(dir, 'xml/a.xml'),
      xml('com.example.Alpha1', '<method name="Ping"><arg name="n" type="u"/></method>'),
    );
    const r = await gen();
    expect(r.exitCode).toBe(0);
    expect(r.files.filter((f) => f.status === 'written').map((f) => f.path)).toEqual([
      'out/com.example.Alpha1.ts',
    ]);
    expect(snapshot()).toEqual(await fromScratch());
    expect(snapshot()['com.example.Alpha1.ts']).toContain('n: number');
  });

  it('a hand-edited module is printed again, not reused, when another XML changes', async () => {
    await gen();
    const beta = join(dir, 'out/com.example.Beta1.ts');
    const original = readFileSync(beta, 'utf8');
    writeFileSync(beta, original.replace('Size', 'Sise'));
    writeFileSync(join(dir, 'xml/a.xml'), xml('com.example.Alpha1', '<method name="Pong"/>'));
    const r = await gen();
    expect(r.files.filter((f) => f.status === 'written').map((f) => f.path)).toEqual([
      'out/com.example.Alpha1.ts',
      'out/com.example.Beta1.ts',
    ]);
    expect(readFileSync(beta, 'utf8')).toBe(original);
  });

  it('an added interface prints itself and the index only (names are per module)', async () => {
    await gen();
    writeFileSync(join(dir, 'xml/c.xml'), xml('com.example.Gamma1', '<method name="Go"/>'));
    inputs.push('xml/c.xml');
    try {
      const r = await gen();
      expect(r.exitCode).toBe(0);
      const written = r.files.filter((f) => f.status === 'written').map((f) => basename(f.path));
      expect(written.sort()).toEqual(['com.example.Gamma1.ts', 'index.ts']);
      expect(snapshot()).toEqual(await fromScratch());
    } finally {
      inputs.pop();
    }
  });
});

describe('emitModules current()', () => {
  it('uses the text current() returns and prints the rest', () => {
    const seen: [string, readonly string[], readonly string[]][] = [];
    const modules = emitModules({
      interfaces: [iface('com.example.B1'), iface('com.example.A1')],
      command: 'cmd',
      fingerprintLine: '// fp',
      current: (path, sources, names) => {
        seen.push([path, sources, names]);
        return path === 'com.example.A1.ts' ? 'REUSED' : undefined;
      },
    });
    expect(modules.map((m) => m.path)).toEqual([
      'com.example.A1.ts',
      'com.example.B1.ts',
      'index.ts',
    ]);
    expect(modules[0]!.text).toBe('REUSED');
    expect(modules[1]!.text).toContain('B1');
    expect(seen.map((s) => s[0])).toEqual(['com.example.A1.ts', 'com.example.B1.ts', 'index.ts']);
    expect(seen[0]![1]).toEqual(['interfaces/com.example.A1.xml']);
    expect(seen[0]![2]).toEqual(['com.example.A1', 'com.example.B1']);
  });
});
