/**
 * examples/helper-project as a user has it: the package comes from `npm pack` output (not a
 * relative import), dependencies from the registry (or npm's cache), then
 * `npx dbus-codegen-ts` with no arguments, `lint` (strict in its config), `docs`, `tsc`, and
 * the built helper run against a private dbus-daemon, calling itself through its generated
 * proxies.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrivateBus } from '../../runtime/private-bus.js';
import { npmPack, ROOT } from '../unit/package-support.js';

const run = promisify(execFile);
const EXAMPLE = join(ROOT, 'examples/helper-project');

let tmp: string;
let app: string;

async function npx(args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run('npx', ['--no-install', ...args], { cwd: app, timeout: 60_000 });
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'dbus-example-'));
  const { tarball } = await npmPack(tmp);
  app = join(tmp, 'helper-project');
  cpSync(EXAMPLE, app, {
    recursive: true,
    filter: (src) => !/\/(node_modules|dist|docs|generated)(\/|$)/.test(src.slice(EXAMPLE.length)),
  });
  const pkgFile = join(app, 'package.json');
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as { dependencies: Record<string, string> };
  pkg.dependencies['dbus-codegen-ts'] = `file:${tarball}`;
  writeFileSync(pkgFile, JSON.stringify(pkg, null, 2));
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], {
    cwd: app,
    timeout: 90_000,
  });
}, 150_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('examples/helper-project from the npm pack tarball', () => {
  it('installed the package as a tarball copy, not a link to this repository', () => {
    const installed = join(app, 'node_modules/dbus-codegen-ts');
    expect(existsSync(join(installed, 'dist/cli/cli.js'))).toBe(true);
    expect(existsSync(join(installed, 'generator'))).toBe(false); // no sources
    expect(readFileSync(join(app, 'package-lock.json'), 'utf8')).toContain('file:');
  });

  it('`npx dbus-codegen-ts` with no arguments generates from dbus-codegen.config.json', async () => {
    const r = await npx(['dbus-codegen-ts']);
    expect(r.stdout).toMatch(/3 written, 0 unchanged/);
    const mod = readFileSync(join(app, 'src/generated/com.example.Counter1.ts'), 'utf8');
    expect(mod).toContain("from 'dbus-codegen-ts/runtime'");
    expect((await npx(['dbus-codegen-ts'])).stdout).toMatch(/0 written, 3 unchanged/);
  });

  it('passes strict lint and writes docs', async () => {
    const lint = await npx(['dbus-codegen-ts', 'lint']);
    expect(lint.stderr).toBe('');
    await npx(['dbus-codegen-ts', 'docs']);
    expect(readFileSync(join(app, 'docs/index.md'), 'utf8')).toContain(
      '[com.example.Counter1](com.example.Counter1.md)',
    );
  });

  it('builds with tsc and runs against a private bus', async () => {
    await npx(['tsc', '-p', '.']);
    const bus = await PrivateBus.start();
    try {
      const r = await run(process.execPath, ['dist/main.js', 'selftest', bus.address], {
        cwd: app,
        timeout: 20_000,
      });
      expect(JSON.parse(r.stdout)).toEqual({ total: '5', saved: '5', value: '42', id: 'counter' });
    } finally {
      await bus.stop();
    }
  });
});
