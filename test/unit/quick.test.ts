/**
 * The CLI's quick start (cli/quick.ts): it answers only when every output file is current
 * for this exact run; any change falls through to the full CLI, and it never writes.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONFIG_FILE } from '../../build/config.js';
import { CONFIG_FILE as QUICK_CONFIG_FILE } from '../../build/config-file.js';
import { generate } from '../../build/generate.js';
import { quickArgs, quickGenerate } from '../../cli/quick.js';
import { interfaceDocument, makeTempDir, removeDir } from '../support/temp-dir.js';

const xml = (name: string, member = '<method name="Ping"/>') => interfaceDocument(name, member);

let dir: string;
beforeEach(() => {
  dir = makeTempDir('dbus-codegen-quick-');
  mkdirSync(join(dir, 'xml'));
  writeFileSync(join(dir, 'xml/a.xml'), xml('com.example.Alpha1'));
  writeFileSync(join(dir, 'xml/b.xml'), xml('com.example.Beta1'));
});
afterEach(() => removeDir(dir));

const argv = (...args: string[]) => ['node', 'cli.js', ...args];
const ARGS = argv('generate', 'xml/a.xml', 'xml/b.xml', '-o', 'out');

/** Runs the quick start in `dir`; its exit code (undefined: the full CLI runs) and stdout. */
async function quick(args = ARGS, env: NodeJS.ProcessEnv = {}) {
  let out = '';
  const code = await quickGenerate(args, (s) => (out += s), env, dir);
  return { code, out };
}

const fullRun = () => generate({ inputs: ['xml/a.xml', 'xml/b.xml'], outDir: 'out', cwd: dir });

/** Every output file's bytes and mtime: the quick start must leave them all alone. */
function snapshot(): Record<string, string> {
  const out = join(dir, 'out');
  return Object.fromEntries(
    readdirSync(out).map((f) => [
      f,
      `${statSync(join(out, f)).mtimeMs} ${readFileSync(join(out, f), 'utf8')}`,
    ]),
  );
}

describe('quickArgs', () => {
  it('accepts generate with inputs, -o/--out and -q/--quiet', () => {
    expect(quickArgs(argv('generate', 'a.xml', '-o', 'out', '-q'), dir)).toEqual({
      inputs: ['a.xml'],
      out: 'out',
      quiet: true,
    });
    expect(quickArgs(argv('generate', '--out', 'o', 'a.xml', '--quiet', 'b.xml'), dir)).toEqual({
      inputs: ['a.xml', 'b.xml'],
      out: 'o',
      quiet: true,
    });
  });

  it('leaves every other command line to the full CLI', () => {
    for (const args of [
      ['lint', 'a.xml'],
      ['generate', 'a.xml', '-o', 'out', '--watch'],
      ['generate', 'a.xml', '-o', 'out', '--check'],
      ['generate', 'a.xml', '-o', 'out', '-D', 'X=1'],
      ['generate', 'a.xml', '-o', 'out', '-o', 'other'],
      ['generate', 'a.xml', '-o'],
      ['generate', 'a.xml', '-o', '--quiet'],
      ['generate', 'a.xml', '--out=out'],
      ['generate', 'a.xml', '--annotate', 'x', 'y', 'z'],
      ['generate', '--', 'a.xml'],
      ['--version'],
      [], // no config file here
    ]) {
      expect(quickArgs(argv(...args), dir), args.join(' ')).toBeUndefined();
    }
  });

  it('names the same config file as the config reader', () => {
    expect(QUICK_CONFIG_FILE).toBe(CONFIG_FILE);
  });
});

describe('quickGenerate', () => {
  it('answers a run whose output is current, printing what the full command prints', async () => {
    await fullRun();
    const before = snapshot();
    expect(await quick()).toEqual({ code: 0, out: '0 written, 3 unchanged\n' });
    expect(await quick(argv('generate', 'xml/b.xml', 'xml/a.xml', '-q', '-o', 'out'))).toEqual({
      code: 0,
      out: '',
    });
    expect(snapshot()).toEqual(before);
  });

  it('falls through when an input changed', async () => {
    await fullRun();
    const before = snapshot();
    writeFileSync(join(dir, 'xml/a.xml'), xml('com.example.Alpha1', '<method name="Pong"/>'));
    expect((await quick()).code).toBeUndefined();
    expect(snapshot()).toEqual(before);
    expect((await fullRun()).fastPath).toBe(false);
    expect((await quick()).code).toBe(0);
  });

  it('falls through when an output was written by another tool version or settings', async () => {
    await fullRun();
    // What a changed template, package version or option does: the expected hash differs.
    const file = join(dir, 'out/com.example.Beta1.ts');
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace(/hash=[0-9a-f]{16}/, 'hash=0000000000000000'));
    expect((await quick()).code).toBeUndefined();
    await fullRun();
    expect(readFileSync(file, 'utf8')).toBe(text);
    // One input fewer: another command (and index) for the same directory.
    expect((await quick(argv('generate', 'xml/a.xml', '-o', 'out'))).code).toBeUndefined();
  });

  it('falls through when an output file is missing or hand-edited', async () => {
    await fullRun();
    unlinkSync(join(dir, 'out/com.example.Alpha1.ts'));
    expect((await quick()).code).toBeUndefined();
    await fullRun();
    expect((await quick()).code).toBe(0);
    const file = join(dir, 'out/index.ts');
    writeFileSync(file, `${readFileSync(file, 'utf8')}// edited\n`);
    expect((await quick()).code).toBeUndefined();
  });

  it('falls through when the inputs have warnings (they must be printed)', async () => {
    writeFileSync(
      join(dir, 'xml/b.xml'),
      xml('com.example.Beta1', '<method name="P"/>\n    <method name="P"><arg type="s"/></method>'),
    );
    const r = await fullRun();
    expect(r.diagnostics.some((d) => d.severity === 'warning')).toBe(true);
    expect(r.exitCode).toBe(0);
    expect((await quick()).code).toBeUndefined();
  });

  it('merges the config file as the full CLI does', async () => {
    writeFileSync(
      join(dir, CONFIG_FILE),
      JSON.stringify({ inputs: ['xml/*.xml'], outDir: 'gen', defines: { HOST_OS: 'linux' } }),
    );
    expect((await quick(argv())).code).toBeUndefined();
    await generate({
      inputs: ['xml/a.xml', 'xml/b.xml'],
      outDir: 'gen',
      cwd: dir,
      defines: { HOST_OS: 'linux' },
      command: 'dbus-codegen-ts generate',
    });
    expect(await quick(argv())).toEqual({ code: 0, out: '0 written, 3 unchanged\n' });
    // With the config present, -o alone still picks up its defines (another run: not current).
    expect((await quick(ARGS)).code).toBeUndefined();
  });

  it('is off with DBUS_CODEGEN_TS_NO_QUICK=1', async () => {
    await fullRun();
    expect((await quick(ARGS, { DBUS_CODEGEN_TS_NO_QUICK: '1' })).code).toBeUndefined();
  });
});

describe('the CLI with and without the quick start', () => {
  const repo = resolve(import.meta.dirname, '../..');
  const tsx = pathToFileURL(join(repo, 'node_modules/tsx/dist/loader.mjs')).href;
  const run = (env: NodeJS.ProcessEnv) =>
    spawnSync(process.execPath, ['--import', tsx, join(repo, 'cli/cli.ts'), ...ARGS.slice(2)], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, ...env },
    });

  it('prints the same and exits the same', async () => {
    await fullRun();
    const withQuick = run({});
    const without = run({ DBUS_CODEGEN_TS_NO_QUICK: '1' });
    expect(withQuick.stderr).toBe('');
    expect([withQuick.status, withQuick.stdout]).toEqual([without.status, without.stdout]);
    expect(withQuick.stdout).toBe('0 written, 3 unchanged\n');
  }, 30_000);
});
