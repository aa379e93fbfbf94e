/**
 * The CLI's code cache (cli/code-cache.ts): where it lives, that entries are checked
 * before V8 sees them, that a corrupt entry is ignored and rewritten, and that output is the
 * same with and without it. Loading ts-morph happens in child processes (the hook is global).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cacheRoot, decodeEntry, encodeEntry, entryName } from '../../cli/code-cache.js';
import { makeTempDir, removeDir, TSX_LOADER as tsx } from '../support/temp-dir.js';

const repo = resolve(import.meta.dirname, '../..');
const codeCache = pathToFileURL(join(repo, 'cli/code-cache.ts')).href;

let dir: string;
beforeEach(() => {
  dir = makeTempDir('dbus-codegen-cache-');
});
afterEach(() => removeDir(dir));

describe('cacheRoot', () => {
  it('is off with DBUS_CODEGEN_TS_NO_CACHE=1, else the given, XDG or ~/.cache directory', () => {
    expect(cacheRoot({ DBUS_CODEGEN_TS_NO_CACHE: '1', DBUS_CODEGEN_TS_CACHE_DIR: '/x' })).toBe(
      undefined,
    );
    expect(cacheRoot({ DBUS_CODEGEN_TS_CACHE_DIR: '/x/y' })).toBe('/x/y');
    expect(cacheRoot({ XDG_CACHE_HOME: '/xdg' })).toBe('/xdg/dbus-codegen-ts');
    // A relative XDG_CACHE_HOME is invalid by the XDG spec: ignored.
    expect(cacheRoot({ XDG_CACHE_HOME: 'rel' })).toBe(join(homedir(), '.cache/dbus-codegen-ts'));
    expect(cacheRoot({})).toBe(join(homedir(), '.cache/dbus-codegen-ts'));
  });
});

describe('entries', () => {
  it('round-trip, and anything corrupt or truncated is refused', () => {
    const payload = Buffer.from('some V8 code cache bytes');
    const entry = encodeEntry(payload);
    expect(decodeEntry(entry)?.equals(payload)).toBe(true);
    const flipped = Buffer.from(entry);
    flipped.writeUInt8(flipped.readUInt8(flipped.length - 3) ^ 0x40, flipped.length - 3);
    expect(decodeEntry(flipped)).toBeUndefined();
    expect(decodeEntry(entry.subarray(0, entry.length - 1))).toBeUndefined();
    expect(decodeEntry(entry.subarray(0, 10))).toBeUndefined();
    expect(decodeEntry(Buffer.concat([Buffer.from('x'), entry.subarray(1)]))).toBeUndefined();
    expect(decodeEntry(Buffer.alloc(0))).toBeUndefined();
  });

  it('are named by file and content (another source or file, another entry)', () => {
    const a = entryName('/m/typescript.js', 'var x = 1;');
    expect(entryName('/m/typescript.js', 'var x = 1;')).toBe(a);
    expect(entryName('/m/typescript.js', 'var x = 2;')).not.toBe(a);
    expect(entryName('/n/typescript.js', 'var x = 1;')).not.toBe(a);
  });
});

/** Loads ts-morph and prints a statement with the cache in `cacheDir/v8`; stdout is the text. */
function loadTsMorph(cacheDir: string) {
  const script = `
    import { createRequire } from 'node:module';
    import { installCodeCache } from ${JSON.stringify(codeCache)};
    if (!installCodeCache(${JSON.stringify(join(cacheDir, 'v8'))})) throw new Error('not installed');
    const { Project, StructureKind } = createRequire(${JSON.stringify(`${repo}/`)})('ts-morph');
    const p = new Project({ useInMemoryFileSystem: true, skipLoadingLibFiles: true });
    const f = p.createSourceFile('/a.ts', { statements: [{ kind: StructureKind.Function, name: 'f', isExported: true }] });
    process.stdout.write(f.getFullText());
  `;
  const file = join(dir, 'load-ts-morph.mjs');
  writeFileSync(file, script);
  return spawnSync(process.execPath, ['--import', tsx, file], {
    encoding: 'utf8',
    cwd: dir,
    timeout: 50_000,
  });
}

describe('installCodeCache', () => {
  it('writes one entry per bundle; a corrupt entry is ignored and rewritten', () => {
    const first = loadTsMorph(dir);
    expect(first.stderr).toBe('');
    expect(first.stdout).toContain('export function f()');
    const v8 = join(dir, 'v8');
    const entries = readdirSync(v8).sort();
    // (the script itself lives in the temporary directory, next to v8/)
    expect(entries).toHaveLength(3);
    expect(entries.every((e) => e.endsWith('.v8'))).toBe(true);
    // Served from the cache: same output, nothing rewritten.
    const before = entries.map((e) => readFileSync(join(v8, e)));
    const second = loadTsMorph(dir);
    expect(second.stdout).toBe(first.stdout);
    // (Buffer.equals: a deep toEqual over megabytes of bytes is very slow)
    const after = readdirSync(v8).map((e) => readFileSync(join(v8, e)));
    expect(after.every((b, i) => b.equals(before[i]!))).toBe(true);
    // Corrupt every entry (one flipped byte in the payload, one truncated, one garbage).
    writeFileSync(join(v8, entries[0]!), Buffer.from('garbage'));
    const flipped = Buffer.from(before[1]!);
    flipped.writeUInt8(flipped.readUInt8(flipped.length - 100) ^ 0xff, flipped.length - 100);
    writeFileSync(join(v8, entries[1]!), flipped);
    writeFileSync(join(v8, entries[2]!), before[2]!.subarray(0, 1000));
    const third = loadTsMorph(dir);
    expect(third.stderr).toBe('');
    expect(third.stdout).toBe(first.stdout);
    const rewritten = readdirSync(v8).sort();
    expect(rewritten).toEqual(entries); // no temporary files left behind
    for (const e of rewritten) expect(decodeEntry(readFileSync(join(v8, e)))).toBeDefined();
  }, 60_000);
});

describe('the CLI with the cache', () => {
  it('keeps the cache out of the project and writes the same bytes with or without it', () => {
    const project = join(dir, 'project');
    mkdirSync(join(project, 'xml'), { recursive: true });
    writeFileSync(
      join(project, 'xml/a.xml'),
      '<node>\n  <interface name="com.example.A1">\n    <method name="Ping"/>\n  </interface>\n</node>\n',
    );
    const cache = join(dir, 'cache');
    const run = (env: NodeJS.ProcessEnv) =>
      spawnSync(
        process.execPath,
        ['--import', tsx, join(repo, 'cli/cli.ts'), 'generate', 'xml/a.xml', '-o', 'out', '-q'],
        { cwd: project, encoding: 'utf8', env: { ...process.env, ...env } },
      );
    const snapshot = () =>
      Object.fromEntries(
        readdirSync(join(project, 'out')).map((f) => [
          f,
          readFileSync(join(project, 'out', f), 'utf8'),
        ]),
      );
    const cached = run({ DBUS_CODEGEN_TS_CACHE_DIR: cache });
    expect(cached.stderr).toBe('');
    const withCache = snapshot();
    rmSync(join(project, 'out'), { recursive: true });
    const uncached = run({ DBUS_CODEGEN_TS_NO_CACHE: '1' });
    expect(uncached.stderr).toBe('');
    expect(snapshot()).toEqual(withCache);
    expect(existsSync(join(cache, 'v8')) || existsSync(join(cache, 'node'))).toBe(true);
    expect(readdirSync(project).sort()).toEqual(['out', 'xml']);
  }, 60_000);
});
