/**
 * An interface name decides an output file's name; with `--relax DBUS030` a name such as
 * `org.example/../../x` passes the name rules. generate, docs and introspect (from a live
 * service, the real private dbus-daemon) must refuse it with a located error and write
 * nothing, inside or outside `-o`.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { introspect, writeInterfaces } from '../../build/introspect.js';
import { containedPaths, escapingReason, OutputPathError } from '../../build/output-path.js';
import { writeOutputs } from '../../build/write.js';
import { formatDiagnostic } from '../../generator/diagnostics.js';
import { connect } from '../../runtime/index.js';
import { PrivateBus } from '../../runtime/private-bus.js';

const ROOT = resolve(import.meta.dirname, '../..');
const dir = join(ROOT, 'test/fixtures/out', `output-paths-${process.pid}`);
const EVIL = 'org.example/../../x';

/** Every file under `dir`, relative, sorted. */
function tree(): string[] {
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
}

function cli(args: string[]): Promise<{ code: number; stderr: string }> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'cli/cli.ts'), ...args],
      { cwd: dir },
      (err, _stdout, stderr) => done({ code: err ? Number(err.code ?? 1) : 0, stderr }),
    );
  });
}

beforeEach(() => {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'evil.xml'),
    `<node>\n  <interface name="org.example.Good1"/>\n  <interface name="${EVIL}">\n    <method name="M"/>\n  </interface>\n</node>\n`,
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the containment rule', () => {
  it('refuses climbing, absolute and NUL names, allows plain names and subdirectories', () => {
    for (const bad of [`${EVIL}.ts`, '../x.ts', '..', 'a/../../b.md', '/etc/x.xml', 'a\0b.ts']) {
      expect(escapingReason(bad), bad).toBeDefined();
    }
    for (const ok of ['org.example.A1.ts', '..foo.ts', '...ts', 'a/../b.ts', 'sub/x.xml']) {
      expect(escapingReason(ok), ok).toBeUndefined();
    }
  });

  it('the write-time guard checks the whole run before the first write', () => {
    const out = join(dir, 'deep', 'out');
    expect(() => containedPaths(out, ['a.ts', '../../b.ts'])).toThrow(OutputPathError);
    const files = [
      { path: 'first.ts', content: 'x' },
      { path: `${EVIL}.ts`, content: 'y' },
    ];
    expect(() => writeOutputs(out, files, false)).toThrow(/refusing to write.*nothing written/);
    expect(tree()).toEqual(['evil.xml']);
  });
});

describe('generate and docs with --relax DBUS030', () => {
  for (const command of ['generate', 'docs']) {
    it(`${command}: located DBUS091, exit 1, nothing written`, async () => {
      const r = await cli([command, 'evil.xml', '-o', 'a/b', '--relax', 'DBUS030']);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(
        /^evil\.xml:3:3: error DBUS091: interface name "org\.example\/\.\.\/\.\.\/x" cannot name an output file: .* resolves outside the output directory/m,
      );
      expect(r.stderr).not.toMatch(/internal error/);
      expect(tree()).toEqual(['evil.xml']);
    });
  }
});

describe('introspect of a live service that names an interface org.example/../../x', () => {
  it('is a located error, and nothing is written (API and CLI)', async () => {
    const bus = await PrivateBus.start();
    const service = await connect(bus.address);
    try {
      const xml = `<node>\n  <interface name="${EVIL}"><method name="M"/></interface>\n  <interface name="org.example.Good1"/>\n</node>`;
      service.setMethodCallHandler((call) => {
        if (call.member === 'Introspect') service.reply(call, 's', [xml]);
        else service.replyError(call, 'org.freedesktop.DBus.Error.UnknownMethod', 'no');
      });
      const dest = service.uniqueName;
      const r = await introspect({ address: bus.address, dest, relax: ['DBUS030'] });
      const errors = r.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic);
      expect(errors).toEqual([
        expect.stringMatching(new RegExp(`^${dest}:/:2:3: error DBUS091: .*outside`)),
      ]);
      expect(r.interfaces.map((i) => i.name)).toEqual(['org.example.Good1']);
      // The write-time guard, should a caller hand the writer such a name anyway.
      const forged = [{ name: EVIL, paths: ['/'], xml }];
      expect(() => writeInterfaces(join(dir, 'a', 'b'), forged)).toThrow(OutputPathError);

      const c = await cli([
        'introspect',
        '--address',
        bus.address,
        '--dest',
        dest,
        '-o',
        'a/b',
        '--relax',
        'DBUS030',
      ]);
      expect(c.code).toBe(1);
      expect(c.stderr).toMatch(/error DBUS091/);
      expect(c.stderr).toMatch(/nothing written/);
      expect(tree()).toEqual(['evil.xml']);
    } finally {
      await service.close();
      await bus.stop();
    }
  }, 60_000);
});
