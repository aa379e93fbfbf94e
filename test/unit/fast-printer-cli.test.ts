/**
 * The CLI after one edit prints the changed module without loading ts-morph or TypeScript (the
 * fast printer covers it): a `--require` probe lists the modules in require.cache at exit. With
 * DBUS_CODEGEN_TS_PRINTER=ts-morph the probe sees them loaded (so it can see them), and the
 * printed files are byte-identical. Any other value is a usage error.
 */
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const repo = resolve(import.meta.dirname, '../..');
const tsx = pathToFileURL(join(repo, 'node_modules/tsx/dist/loader.mjs')).href;

const PROBE = `
process.on('exit', () => {
  const heavy = Object.keys(require.cache).filter((k) =>
    /[\\\\/]node_modules[\\\\/](ts-morph|@ts-morph|typescript)[\\\\/]/.test(k),
  );
  require('node:fs').writeFileSync(process.env.PROBE_OUT, JSON.stringify(heavy));
});
`;

const xml = (name: string, member: string) =>
  `<node>\n  <interface name="${name}">\n    ${member}\n  </interface>\n</node>\n`;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dbus-codegen-fastcli-'));
  mkdirSync(join(dir, 'xml'));
  writeFileSync(join(dir, 'probe.cjs'), PROBE);
  writeFileSync(join(dir, 'xml/a.xml'), xml('com.example.Alpha1', '<method name="Ping"/>'));
  writeFileSync(join(dir, 'xml/b.xml'), xml('com.example.Beta1', '<signal name="Changed"/>'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** `generate xml/a.xml xml/b.xml -o out` under tsx, with the probe loaded first. */
function cli(env: NodeJS.ProcessEnv) {
  return spawnSync(
    process.execPath,
    [
      '--require',
      join(dir, 'probe.cjs'),
      '--import',
      tsx,
      join(repo, 'cli/cli.ts'),
      'generate',
      'xml/a.xml',
      'xml/b.xml',
      '-o',
      'out',
    ],
    {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, DBUS_CODEGEN_TS_NO_CACHE: '1', ...env },
    },
  );
}

/** Runs `generate xml/a.xml xml/b.xml -o out` with the probe; stdout and the heavy modules. */
function generate(env: NodeJS.ProcessEnv = {}): { stdout: string; heavy: string[] } {
  const out = join(dir, 'probe.json');
  const r = cli({ ...env, PROBE_OUT: out });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return { stdout: r.stdout, heavy: JSON.parse(readFileSync(out, 'utf8')) as string[] };
}

describe('a one-edit regeneration', () => {
  it('never loads ts-morph or TypeScript, and prints what ts-morph prints', () => {
    expect(generate().stdout).toMatch(/^3 written, 0 unchanged\n/m);
    writeFileSync(
      join(dir, 'xml/a.xml'),
      xml('com.example.Alpha1', '<method name="Ping"><arg name="x" type="a{sv}"/></method>'),
    );

    const fast = generate();
    expect(fast.stdout).toMatch(/^1 written, 2 unchanged\n/m);
    expect(fast.heavy).toEqual([]);
    const module = join(dir, 'out/com.example.Alpha1.ts');
    const fastText = readFileSync(module, 'utf8');
    expect(fastText).toContain('ping(x: Record<string, Variant>');

    unlinkSync(module);
    const reference = generate({ DBUS_CODEGEN_TS_PRINTER: 'ts-morph' });
    expect(reference.stdout).toMatch(/^1 written, 2 unchanged\n/m);
    expect(reference.heavy.some((f) => f.includes('typescript.js'))).toBe(true);
    expect(reference.heavy.some((f) => f.includes('ts-morph.js'))).toBe(true);
    expect(readFileSync(module, 'utf8')).toBe(fastText);
  }, 60_000);

  it('refuses an unknown DBUS_CODEGEN_TS_PRINTER as a usage error, writing nothing', () => {
    const r = cli({ DBUS_CODEGEN_TS_PRINTER: 'typescript', PROBE_OUT: join(dir, 'probe.json') });
    expect(r.stderr).toBe(
      'dbus-codegen-ts: DBUS_CODEGEN_TS_PRINTER must be "fast" or "ts-morph", not "typescript"\n',
    );
    expect(r.status).toBe(2);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  }, 30_000);
});
