/**
 * Package hygiene: what `npm pack` ships, and that what it ships works on its own. Ships the
 * runtime, vmstate, the generator, the emitters (the generator's run-time deps), the generated
 * modules vmstate and the introspect command import, types and README, and nothing else (no tests,
 * no corpus, no sources, no stale build output); every import inside resolves within the
 * package or its dependencies; `exports` resolve for ESM and for types.
 */
import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, normalize } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir } from '../support/temp-dir.js';
import { npmPack, type Packed, ROOT } from './package-support.js';

const run = promisify(execFile);
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  bin: Record<string, string>;
  exports: Record<string, string | { types?: string; default?: string }>;
  dependencies: Record<string, string>;
};

let tmp: string;
let packed: Packed;
let paths: Set<string>;

beforeAll(async () => {
  tmp = makeTempDir('dbus-pack-');
  packed = await npmPack(tmp);
  paths = new Set(packed.files.map((f) => f.path));
}, 120_000);
afterAll(() => removeDir(tmp));

const SHIPPED_DIRS = [
  'dist/spec/',
  'dist/generator/',
  'dist/build/',
  'dist/cli/',
  'dist/api/',
  'dist/runtime/',
  'dist/vmstate/',
  'dist/emitters/',
  'dist/generated/',
  'dist/display/',
];

/** The fd addon: its source and build script (so an install can rebuild it) and the binary. */
const NATIVE = [
  'native/binding.gyp',
  'native/fdpass.c',
  'native/build/Release/fdpass.node',
  'scripts/build-native.mjs',
];

describe('npm pack: contents', () => {
  it('ships only build output of spec, generator, emitters, runtime, vmstate, generated, plus README and package.json', () => {
    const stray = [...paths].filter(
      (p) =>
        !(p === 'package.json' || p === 'README.md' || /^LICEN[CS]E/.test(p)) &&
        !NATIVE.includes(p) &&
        // The bin: the quick start bundled as CommonJS by scripts/build-quick.mjs.
        p !== 'dist/cli/start.cjs' &&
        !(SHIPPED_DIRS.some((d) => p.startsWith(d)) && /\.(js|d\.ts|js\.map|d\.ts\.map)$/.test(p)),
    );
    expect(stray).toEqual([]);
    expect(paths.has('README.md')).toBe(true);
    expect(paths.has('package.json')).toBe(true);
    for (const p of paths)
      expect(p).not.toMatch(/(^|\/)(test|corpus|interfaces|examples|node_modules)\//);
  });

  it('ships no stale output: every .js comes from a source file that exists', () => {
    const stale = [...paths]
      .filter((p) => p.endsWith('.js'))
      .filter((p) => !existsSync(join(ROOT, p.replace(/^dist\//, '').replace(/\.js$/, '.ts'))));
    expect(stale).toEqual([]);
  });

  it('ships every bin (with a shebang) and every exports target', () => {
    for (const bin of Object.values(pkg.bin)) {
      expect(paths.has(normalize(bin)), bin).toBe(true);
      expect(readFileSync(join(ROOT, bin), 'utf8').startsWith('#!/usr/bin/env node'), bin).toBe(
        true,
      );
    }
    for (const [key, target] of Object.entries(pkg.exports)) {
      const files = typeof target === 'string' ? [target] : [target.types, target.default];
      for (const f of files)
        if (f !== undefined) expect(paths.has(normalize(f)), `${key} -> ${f}`).toBe(true);
    }
  });

  it('every import in a shipped module resolves inside the package or to a dependency', () => {
    const deps = new Set(Object.keys(pkg.dependencies));
    const problems: string[] = [];
    for (const p of paths) {
      if (!p.endsWith('.js') && !p.endsWith('.d.ts')) continue;
      const text = readFileSync(join(ROOT, p), 'utf8');
      for (const m of text.matchAll(
        /(?:^|[\s;])(?:import|export)\b[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g,
      )) {
        const spec = m[1] ?? m[2]!;
        if (spec.startsWith('.')) {
          const target = normalize(join(dirname(p), spec));
          const candidates = p.endsWith('.d.ts')
            ? [target.replace(/\.js$/, '.d.ts'), target]
            : [target];
          if (!candidates.some((c) => paths.has(c))) problems.push(`${p}: ${spec}`);
        } else if (spec.startsWith(`${pkg.name}/`) || spec === pkg.name) {
          const key = `.${spec.slice(pkg.name.length)}`;
          if (!(key in pkg.exports)) problems.push(`${p}: ${spec} is not in "exports"`);
        } else {
          const bare = spec.startsWith('node:') ? spec.slice(5) : spec;
          const name = bare.startsWith('@')
            ? bare.split('/').slice(0, 2).join('/')
            : bare.split('/')[0]!;
          if (!builtinModules.includes(name) && !deps.has(name))
            problems.push(`${p}: ${spec} is not a dependency`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('npm pack: nothing unreachable', () => {
  it('ships no module that no bin, exports entry or CLI command reaches', () => {
    // A module is its .js and .d.ts together; roots are bins, exports targets, and the CLI's
    // command modules (the CLI loads them at run time).
    const mod = (p: string) => normalize(p).replace(/\.(js|d\.ts|js\.map|d\.ts\.map)$/, '');
    const shipped = [...paths].filter((p) => /\.(js|d\.ts)$/.test(p));
    const roots = [
      ...Object.values(pkg.bin),
      ...Object.values(pkg.exports).flatMap((t) =>
        typeof t === 'string' ? [t] : [t.types, t.default],
      ),
      ...shipped.filter((p) => p.startsWith('dist/cli/commands/')),
      // The bin (a CommonJS bundle, dist/cli/start.cjs) imports the full CLI by a computed URL.
      'dist/cli/cli.js',
    ].flatMap((f) => (f === undefined ? [] : [mod(f)]));
    const seen = new Set<string>();
    const todo = [...roots];
    while (todo.length > 0) {
      const m = todo.pop()!;
      if (seen.has(m)) continue;
      seen.add(m);
      for (const file of shipped.filter((p) => mod(p) === m)) {
        const text = readFileSync(join(ROOT, file), 'utf8');
        for (const hit of text.matchAll(
          /(?:^|[\s;])(?:import|export)\b[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g,
        )) {
          const spec = hit[1] ?? hit[2]!;
          if (spec.startsWith('.')) todo.push(mod(join(dirname(file), spec)));
        }
      }
    }
    expect(shipped.filter((p) => !seen.has(mod(p)))).toEqual([]);
  });
});

describe('npm pack: the tarball works on its own', () => {
  let app: string;
  beforeAll(async () => {
    app = join(tmp, 'app');
    const own = join(app, 'node_modules', pkg.name);
    mkdirSync(own, { recursive: true });
    await run('tar', ['-xzf', packed.tarball, '-C', own, '--strip-components=1']);
    // Dependencies as the repo installed them (the registry-backed install is the example project's test).
    for (const entry of readdirSync(join(ROOT, 'node_modules'))) {
      if (entry === pkg.name || entry.startsWith('.')) continue;
      symlinkSync(join(ROOT, 'node_modules', entry), join(app, 'node_modules', entry));
    }
  }, 60_000);

  it('resolves both ESM entry points', async () => {
    writeFileSync(
      join(app, 'probe.mjs'),
      `const g = await import('dbus-codegen-ts');
const r = await import('dbus-codegen-ts/runtime');
console.log(JSON.stringify({ generate: typeof g.generate, lint: typeof g.lint, introspect: typeof g.introspect, connect: typeof r.connect, ProxyBase: typeof r.ProxyBase, PrivateBus: typeof r.PrivateBus }));`,
    );
    const { stdout } = await run(process.execPath, ['probe.mjs'], { cwd: app });
    expect(JSON.parse(stdout)).toEqual({
      generate: 'function',
      lint: 'function',
      introspect: 'function',
      connect: 'function',
      ProxyBase: 'function',
      PrivateBus: 'function',
    });
  });

  it('resolves both entry points for TypeScript (NodeNext, strict, skipLibCheck off)', async () => {
    writeFileSync(
      join(app, 'probe.ts'),
      `import { type GenerateOptions, generate, lint, type LintOptions } from 'dbus-codegen-ts';
import { connect, type Connection, ProxyBase } from 'dbus-codegen-ts/runtime';
const o: GenerateOptions = { inputs: ['a.xml'], outDir: 'gen' };
const l: LintOptions = { strict: true };
export const used: unknown[] = [o, l, generate, lint, connect, ProxyBase];
export type C = Connection;
`,
    );
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          target: 'ES2022',
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          types: ['node'],
        },
        files: ['probe.ts'],
      }),
    );
    const tsc = join(ROOT, 'node_modules/.bin/tsc');
    const r = await run(tsc, ['-p', 'tsconfig.json'], { cwd: app }).catch(
      (e: { stdout: string }) => ({ stdout: e.stdout, failed: true }),
    );
    expect(r.stdout).toBe('');
  });

  it('runs the installed CLI: help, lint --list, and the introspect command module', async () => {
    // npm makes bins executable at install time; the tarball's mode does not matter here.
    const cliJs = join(app, 'node_modules', pkg.name, pkg.bin['dbus-codegen-ts']!);
    const cli = (args: string[]) => run(process.execPath, [cliJs, ...args], { cwd: app });
    const help = await cli(['--help']);
    for (const c of ['generate', 'lint', 'docs', 'introspect']) expect(help.stdout).toContain(c);
    const list = await cli(['lint', '--list']);
    expect(list.stdout).toContain('DBUS101  interface name has no version');
    const intro = await cli(['introspect', '--help']);
    expect(intro.stdout).toContain('--keep-standard');
  });
});
