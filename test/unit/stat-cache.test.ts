/**
 * The quick start's verified-stat cache (cli/stat-cache.ts): a run answers from it only while
 * every recorded stat, the options and the tool are identical; whenever the full run would
 * write something, the cache must not vouch for the output.
 */
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  cpSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  statSync,
  symlinkSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generate } from '../../build/generate.js';
import type { GenerateOptions } from '../../build/options.js';
import { currentFileCount } from '../../build/prepare.js';
import { makeToolStamp, TOOL_STAMP_FILE, toolHash } from '../../build/tool-hash.js';
import { quickGenerate } from '../../cli/quick.js';
import {
  cachedCount,
  recordVerified,
  statCacheFile,
  statKey,
  takeStats,
} from '../../cli/stat-cache.js';
import { repoRoot } from '../support/corpus.js';
import { interfaceDocument, makeTempDir, removeDir } from '../support/temp-dir.js';

/** A time well after every file here was written, so recording is not refused as racy. */
const later = () => Date.now() + 10_000;

let dir: string;
let env: NodeJS.ProcessEnv;
beforeEach(() => {
  dir = realpathSync(makeTempDir('dbus-codegen-stat-cache-'));
  env = { DBUS_CODEGEN_TS_CACHE_DIR: join(dir, 'cache') };
  mkdirSync(join(dir, 'xml'));
  writeFileSync(
    join(dir, 'xml/a.xml'),
    interfaceDocument('com.example.Alpha1', '<method name="Ping"/>'),
  );
  writeFileSync(
    join(dir, 'xml/b.xml'),
    interfaceDocument('com.example.Beta1', '<method name="Ping"/>'),
  );
  // Whole seconds, so that utimes can put an mtime back exactly after an edit.
  for (const f of ['xml/a.xml', 'xml/b.xml']) utimesSync(join(dir, f), 1e9, 1e9);
});
afterEach(() => removeDir(dir));

/** The options the quick start builds for `generate <inputs> -o out` (quick.ts). */
const optionsFor = (inputs = ['xml/a.xml', 'xml/b.xml']): GenerateOptions => ({
  inputs,
  outDir: 'out',
  defines: {},
  relax: [],
  annotations: [],
  cwd: dir,
});
const fullRun = () => generate({ inputs: ['xml/a.xml', 'xml/b.xml'], outDir: 'out', cwd: dir });
const written = (r: Awaited<ReturnType<typeof fullRun>>) =>
  r.files.filter((f) => f.status !== 'unchanged').map((f) => `${f.status} ${f.path}`);

/** Generates, then records the verified result as a quick run would. */
async function primed(options = optionsFor()) {
  expect(written(await fullRun())).toHaveLength(3);
  return record(options);
}

/** Records the current output's verified result as a quick run would (clock 10 s ahead). */
function record(options = optionsFor()) {
  const key = statKey(options);
  const file = statCacheFile(key.outDir, env)!;
  const before = takeStats(options, key);
  const count = currentFileCount(options);
  expect(count).toBe(3);
  expect(recordVerified(file, key, options, before, count!, later())).toBe(true);
  expect(cachedCount(file, key)).toBe(3);
  return { key, file };
}

/** The quick start's answer with this test's cache; undefined: the full CLI runs. */
async function quick(args: string[]) {
  let out = '';
  const code = await quickGenerate(['node', 'start.cjs', ...args], (s) => (out += s), env, dir);
  return { code, out };
}
const ARGS = ['generate', 'xml/a.xml', 'xml/b.xml', '-o', 'out'];

describe('the verified-stat cache', () => {
  it('answers while nothing changed, from a 0600 file in a 0700 directory', async () => {
    const { file } = await primed();
    expect(await quick(ARGS)).toEqual({ code: 0, out: '0 written, 3 unchanged\n' });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'cache/stat')).mode & 0o777).toBe(0o700);
    expect(statCacheFile('/x', { ...env, DBUS_CODEGEN_TS_NO_CACHE: '1' })).toBeUndefined();
  });

  it('(a) is refused for an input edited to the same size with its mtime put back', async () => {
    const { key, file } = await primed();
    const path = join(dir, 'xml/a.xml');
    const st = statSync(path);
    writeFileSync(path, readFileSync(path, 'utf8').replace('Ping', 'Pong'));
    utimesSync(path, st.atime, st.mtime);
    expect(statSync(path).size).toBe(st.size);
    expect(statSync(path).mtimeMs).toBe(st.mtimeMs);
    expect(cachedCount(file, key)).toBeUndefined();
    expect((await quick(ARGS)).code).toBeUndefined();
    expect(written(await fullRun())).toEqual(['written out/com.example.Alpha1.ts']);
  });

  it('(b) is refused for a hand-edited output', async () => {
    const { key, file } = await primed();
    const path = join(dir, 'out/com.example.Beta1.ts');
    writeFileSync(path, readFileSync(path, 'utf8').replace('Ping', 'Pong'));
    expect(cachedCount(file, key)).toBeUndefined();
    expect((await quick(ARGS)).code).toBeUndefined();
    expect(written(await fullRun())).toEqual(['written out/com.example.Beta1.ts']);
  });

  it('(c) is refused for a deleted output or an extra generated file', async () => {
    const { key, file } = await primed();
    unlinkSync(join(dir, 'out/index.ts'));
    expect(cachedCount(file, key)).toBeUndefined();
    expect((await quick(ARGS)).code).toBeUndefined();
    expect(written(await fullRun())).toEqual(['written out/index.ts']);

    const again = record();
    copyFileSync(join(dir, 'out/com.example.Beta1.ts'), join(dir, 'out/com.example.Gamma1.ts'));
    expect(cachedCount(again.file, again.key)).toBeUndefined();
    expect((await quick(ARGS)).code).toBeUndefined();
    expect(written(await fullRun())).toEqual(['deleted out/com.example.Gamma1.ts']);
  });

  it('(c) is refused when a new XML file lands next to the inputs (the command names *.xml)', async () => {
    const { key, file } = await primed();
    writeFileSync(join(dir, 'xml/c.xml'), interfaceDocument('com.example.Gamma1', ''));
    expect(cachedCount(file, key)).toBeUndefined();
  });

  it('(d) is refused for a different argument set', async () => {
    const { file } = await primed();
    expect(cachedCount(file, statKey(optionsFor(['xml/b.xml', 'xml/a.xml'])))).toBeUndefined();
    expect(cachedCount(file, statKey(optionsFor(['xml/a.xml'])))).toBeUndefined();
    expect(cachedCount(file, statKey({ ...optionsFor(), defines: { X: '1' } }))).toBeUndefined();
    expect(cachedCount(file, statKey({ ...optionsFor(), cwd: join(dir, 'xml') }))).toBeUndefined();
    // One input only: the quick start hashes and finds the output is not this run's.
    expect((await quick(['generate', 'xml/a.xml', '-o', 'out'])).code).toBeUndefined();
  });

  it('(e) is refused when the cache file is damaged or belongs to another directory', async () => {
    const { key, file } = await primed();
    const text = readFileSync(file, 'utf8');
    const entry = JSON.parse(text);
    const damaged = [
      '',
      text.slice(0, text.length / 2),
      'null',
      '[]',
      JSON.stringify({ ...entry, outDir: '/elsewhere' }),
      JSON.stringify({ ...entry, format: 2 }),
      JSON.stringify({ ...entry, stats: [] }),
      JSON.stringify({ ...entry, count: 'x' }),
      JSON.stringify({
        ...entry,
        stats: [[entry.stats[0][0], 1, 2, 3, 4], ...entry.stats.slice(1)],
      }),
      JSON.stringify({ ...entry, stats: [...entry.stats, 'x'] }),
    ];
    for (const t of damaged) {
      writeFileSync(file, t);
      expect(cachedCount(file, key), t).toBeUndefined();
    }
    // Writable by others: whoever could write it cannot vouch for the output.
    writeFileSync(file, text);
    expect(cachedCount(file, key)).toBe(3);
    chmodSync(file, 0o622);
    expect(cachedCount(file, key)).toBeUndefined();
    chmodSync(file, 0o600);
    chmodSync(join(dir, 'cache/stat'), 0o777);
    expect(cachedCount(file, key)).toBeUndefined();
    chmodSync(join(dir, 'cache/stat'), 0o700);
    // The quick start then hashes (and answers: the output is current).
    expect(await quick(ARGS)).toEqual({ code: 0, out: '0 written, 3 unchanged\n' });
  });

  it('(f) is refused for another tool identity', async () => {
    const { key, file } = await primed();
    const other = statKey(optionsFor(), { version: '0.0.0', hash: 'another tool' });
    expect(other.run).toBe(key.run);
    expect(cachedCount(file, other)).toBeUndefined();
  });

  it('records nothing racily clean, nor stats that moved while hashing', async () => {
    await fullRun();
    const options = optionsFor();
    const key = statKey(options);
    const file = statCacheFile(key.outDir, env)!;
    expect(recordVerified(file, key, options, takeStats(options, key), 3)).toBe(false);
    const before = takeStats(options, key);
    writeFileSync(join(dir, 'out/index.ts'), readFileSync(join(dir, 'out/index.ts')));
    expect(recordVerified(file, key, options, before, 3, later())).toBe(false);
    expect(cachedCount(file, key)).toBeUndefined();
  });
});

describe('the built bin on the cached path', () => {
  it('does not load node:crypto, and loads it again once an input changed', async () => {
    // A checkout of its own with a fresh tool stamp (as tool-hash.test.ts), so the bin's tool
    // identity comes from the stamp and is exactly this process's.
    const tree = realpathSync(makeTempDir('dbus-codegen-stat-cache-tree-'));
    try {
      for (const d of ['dist', 'spec', 'generator', 'emitters']) {
        cpSync(join(repoRoot, d), join(tree, d), { recursive: true });
      }
      cpSync(join(repoRoot, 'package.json'), join(tree, 'package.json'));
      symlinkSync(join(repoRoot, 'node_modules'), join(tree, 'node_modules'));
      const stamp = makeToolStamp(join(tree, 'dist'), tree, '.ts', later());
      expect(stamp?.hash).toBe(toolHash(repoRoot, '.ts'));
      writeFileSync(join(tree, 'dist', TOOL_STAMP_FILE), JSON.stringify(stamp));
      const probe = join(tree, 'probe.cjs');
      writeFileSync(
        probe,
        `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(join(tree, 'loaded.json'))}, JSON.stringify(process.moduleLoadList)));\n`,
      );
      const run = () => {
        const r = spawnSync(
          process.execPath,
          ['--require', probe, join(tree, 'dist/cli/start.cjs'), ...ARGS],
          { cwd: dir, encoding: 'utf8', env: { ...process.env, ...env } },
        );
        expect(r.stderr).toBe('');
        const loaded = JSON.parse(readFileSync(join(tree, 'loaded.json'), 'utf8')) as string[];
        return { out: r.stdout, crypto: loaded.includes('NativeModule crypto') };
      };
      expect(written(await fullRun())).toHaveLength(3);
      // Just written: racily clean, so the bin hashes and does not record.
      expect(run()).toEqual({ out: '0 written, 3 unchanged\n', crypto: true });
      expect(cachedCount(statCacheFile(join(dir, 'out'), env)!, statKey(optionsFor()))).toBe(
        undefined,
      );
      record();
      expect(run()).toEqual({ out: '0 written, 3 unchanged\n', crypto: false });
      const path = join(dir, 'xml/b.xml');
      const st = statSync(path);
      writeFileSync(path, readFileSync(path, 'utf8').replace('Ping', 'Pong'));
      utimesSync(path, st.atime, st.mtime);
      const edited = run();
      expect(edited.crypto).toBe(true);
      expect(edited.out).toMatch(/^1 written, 2 unchanged$/m);
    } finally {
      removeDir(tree);
    }
  }, 60_000);
});
