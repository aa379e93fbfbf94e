/**
 * Build integration: `generate --watch` (build/watch.ts) and the config-driven run
 * (`npx dbus-codegen-ts` with no arguments, build/project.ts + cli.ts).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GenerateResult } from '../../build/generate.js';
import { projectGenerateOptions } from '../../build/project.js';
import { watchGenerate } from '../../build/watch.js';

const ROOT = resolve(import.meta.dirname, '../..');
const xml = (methods: string[]) => `<node name="/com/example/W1">
  <interface name="com.example.W1">
${methods.map((m) => `    <method name="${m}"/>`).join('\n')}
  </interface>
</node>
`;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dbus-watch-'));
  mkdirSync(join(dir, 'idl'));
  writeFileSync(join(dir, 'idl/com.example.W1.xml'), xml(['One']));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function until(cond: () => boolean, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('watchGenerate', () => {
  it('regenerates on a write and on an editor-style rename, and stops on close', async () => {
    const results: { r: GenerateResult; changed: readonly string[] }[] = [];
    const w = watchGenerate(
      { inputs: ['idl/com.example.W1.xml'], outDir: 'gen', cwd: dir },
      { onResult: (r, changed) => results.push({ r, changed }), debounceMs: 30 },
    );
    await w.ready;
    const out = () => readFileSync(join(dir, 'gen/com.example.W1.ts'), 'utf8');
    expect(results[0]?.r.exitCode).toBe(0);
    expect(out()).toContain("name: 'One'");

    writeFileSync(join(dir, 'idl/com.example.W1.xml'), xml(['One', 'Two']));
    await until(() => results.length >= 2);
    expect(results[1]?.changed).toEqual([join(dir, 'idl/com.example.W1.xml')]);
    expect(out()).toContain("name: 'Two'");

    writeFileSync(join(dir, 'idl/.tmp'), xml(['One', 'Two', 'Three']));
    renameSync(join(dir, 'idl/.tmp'), join(dir, 'idl/com.example.W1.xml'));
    await until(() => out().includes("name: 'Three'"));

    // A broken save reports diagnostics and leaves the output alone; watching goes on.
    writeFileSync(join(dir, 'idl/com.example.W1.xml'), '<node><interface name="x"></node>');
    await until(() => results.some((x) => x.r.exitCode === 1));
    expect(out()).toContain("name: 'Three'");

    await w.close();
    const n = w.runs;
    // A control watcher on the same file, with the same debounce: once it has run for the next
    // write, the closed watcher would have run too had it still been watching.
    const control = watchGenerate(
      { inputs: ['idl/com.example.W1.xml'], outDir: 'gen-control', cwd: dir },
      { onResult: () => {}, debounceMs: 30 },
    );
    await control.ready;
    const controlRuns = control.runs;
    writeFileSync(join(dir, 'idl/com.example.W1.xml'), xml(['Four']));
    await until(() => control.runs > controlRuns);
    await control.close();
    expect(w.runs).toBe(n);
  });
});

describe('config-driven generate', () => {
  it('builds options from dbus-codegen.config.json, command line first', () => {
    writeFileSync(
      join(dir, 'dbus-codegen.config.json'),
      JSON.stringify({ inputs: ['idl/*.xml'], outDir: 'src/gen', defines: { A: '1' } }),
    );
    const p = projectGenerateOptions({ defines: { B: '2' } }, dir);
    expect(p.diagnostics).toEqual([]);
    expect(p.options).toMatchObject({
      inputs: ['idl/com.example.W1.xml'],
      outDir: 'src/gen',
      defines: { A: '1', B: '2' },
      command: 'dbus-codegen-ts generate',
    });
    expect(p.watchFiles).toEqual([join(dir, 'dbus-codegen.config.json')]);
    const q = projectGenerateOptions({ inputs: ['x.xml'], outDir: 'o' }, dir);
    expect(q.options).toMatchObject({ inputs: ['x.xml'], outDir: 'o' });
  });

  it('without inputs or a config it says how to make one', () => {
    const p = projectGenerateOptions({}, dir);
    expect(p.options).toBeUndefined();
    expect(p.diagnostics[0]?.message).toMatch(
      /^no input: give XML files, or create dbus-codegen\.config\.json/,
    );
  });

  it('`dbus-codegen-ts` with no arguments generates from the config', async () => {
    writeFileSync(
      join(dir, 'dbus-codegen.config.json'),
      JSON.stringify({
        inputs: ['idl'],
        outDir: 'gen',
        annotations: [
          {
            target: 'com.example.W1.One()',
            name: 'org.freedesktop.DBus.Deprecated',
            value: 'true',
          },
        ],
      }),
    );
    const r = await new Promise<{ code: number; stdout: string; stderr: string }>((done) =>
      execFile(
        process.execPath,
        ['--import', join(ROOT, 'node_modules/tsx/dist/esm/index.mjs'), join(ROOT, 'cli/cli.ts')],
        { cwd: dir },
        (err, stdout, stderr) => done({ code: err ? Number(err.code) : 0, stdout, stderr }),
      ),
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = readFileSync(join(dir, 'gen/com.example.W1.ts'), 'utf8');
    expect(out).toContain('// Regenerate: dbus-codegen-ts generate');
    expect(out).toContain('@deprecated');
  });
});
