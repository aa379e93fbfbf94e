/**
 * `introspect` against live services: the private dbus-daemon itself and QEMU 7.2's
 * `-display dbus`. The XML written is fed to `generate`, the output type-checked with tsc,
 * and a method called through the freshly generated proxy.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../build/generate.js';
import { introspect, writeInterfaces } from '../../build/introspect.js';
import { formatDiagnostic } from '../../generator/diagnostics.js';
import { type Connection, connect } from '../../runtime/index.js';
import { PrivateBus } from '../../runtime/private-bus.js';
import { type DisplayVm, displayQemuSkipReason, startDisplayVm } from '../support/qemu-display.js';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const OUT = join(ROOT, 'test/fixtures/out', `introspect-${process.pid}`);
if (displayQemuSkipReason !== undefined)
  console.log(`skipping introspect of QEMU -display dbus: ${displayQemuSkipReason}`);

/** generate -> tsc --noEmit under the project's strict tsconfig -> the modules, imported. */
async function generateAndCheck(xmlDir: string, genDir: string): Promise<void> {
  const inputs = readdirSync(xmlDir).map((f) => join(xmlDir, f));
  const r = await generate({ inputs, outDir: genDir, cwd: ROOT });
  expect(r.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic)).toEqual([]);
  const tsconfig = join(genDir, '..', `tsconfig.${genDir.split('/').pop()}.json`);
  writeFileSync(
    tsconfig,
    JSON.stringify({
      extends: join(ROOT, 'tsconfig.json'),
      include: [`${genDir}/*.ts`, join(ROOT, 'runtime/types/*.d.ts')],
      exclude: [],
    }),
  );
  const tsc = join(ROOT, 'node_modules/.bin/tsc');
  await run(tsc, ['--noEmit', '-p', tsconfig], { cwd: ROOT }).catch((e: { stdout: string }) => {
    throw new Error(`generated code does not type-check:\n${e.stdout}`);
  });
}

function cli(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'cli/cli.ts'), ...args],
      { cwd: ROOT, env },
      (err, stdout, stderr) => done({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

beforeAll(() => mkdirSync(OUT, { recursive: true }));
afterAll(() => rmSync(OUT, { recursive: true, force: true }));

describe('introspect the private dbus-daemon', () => {
  let bus: PrivateBus;
  let conn: Connection;
  beforeAll(async () => {
    bus = await PrivateBus.start();
    conn = await connect(bus.address);
  });
  afterAll(async () => {
    await conn?.close();
    await bus?.stop();
  });

  it('writes org.freedesktop.DBus (standard interfaces dropped), generates, type-checks, calls', async () => {
    const r = await introspect({
      address: bus.address,
      dest: 'org.freedesktop.DBus',
      recursive: true,
    });
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.visited).toEqual(['/', '/org/freedesktop/DBus']);
    expect(r.interfaces.map((i) => i.name)).toEqual(['org.freedesktop.DBus']);
    const xmlDir = join(OUT, 'daemon-xml');
    expect(writeInterfaces(xmlDir, r.interfaces)).toEqual(['org.freedesktop.DBus.xml']);
    expect(writeInterfaces(xmlDir, r.interfaces)).toEqual([]); // unchanged: nothing rewritten
    const xml = readFileSync(join(xmlDir, 'org.freedesktop.DBus.xml'), 'utf8');
    expect(xml).toContain(
      '<!-- Introspected by dbus-codegen-ts from org.freedesktop.DBus at / (also at /org/freedesktop/DBus). -->',
    );
    expect(xml).toContain('<method name="ListNames">');

    const genDir = join(OUT, 'daemon-gen');
    await generateAndCheck(xmlDir, genDir);
    const mod = (await import(join(genDir, 'org.freedesktop.DBus.ts'))) as Record<string, unknown>;
    const FreshDBusProxy = mod['DBusProxy'] as new (
      c: Connection,
      d: string,
      p: string,
    ) => {
      listNames(): Promise<string[]>;
      getId(): Promise<string>;
    };
    const proxy = new FreshDBusProxy(conn, 'org.freedesktop.DBus', '/org/freedesktop/DBus');
    expect(await proxy.listNames()).toContain(conn.uniqueName);
    expect(await proxy.getId()).toMatch(/^[0-9a-f]{32}$/);
  });

  it('keeps the standard interfaces with --keep-standard, through the CLI', async () => {
    const dir = join(OUT, 'daemon-std');
    const r = await cli([
      'introspect',
      '--address',
      bus.address,
      '--dest',
      'org.freedesktop.DBus',
      '--path',
      '/org/freedesktop/DBus',
      '--keep-standard',
      '-o',
      dir,
    ]);
    expect(r.stderr).toMatch(/1 object\(s\), \d+ interface\(s\) in .*, \d+ written/);
    expect(r.code).toBe(0);
    const files = readdirSync(dir);
    expect(files).toContain('org.freedesktop.DBus.Introspectable.xml');
    expect(files).toContain('org.freedesktop.DBus.Properties.xml');
    expect(files).toContain('org.freedesktop.DBus.xml');
  });

  it('--session finds the bus through DBUS_SESSION_BUS_ADDRESS; -o - prints the XML', async () => {
    const env = { ...process.env, DBUS_SESSION_BUS_ADDRESS: bus.address };
    const r = await cli(
      [
        'introspect',
        '--session',
        '--dest',
        'org.freedesktop.DBus',
        '--path',
        '/org/freedesktop/DBus',
        '-o',
        '-',
      ],
      env,
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<!-- Introspected by dbus-codegen-ts from org\.freedesktop\.DBus at \/org\/freedesktop\/DBus\. -->\n<node name="\/org\/freedesktop\/DBus">/,
    );
  });

  it('reports a missing service as a located error, exit 1', async () => {
    const r = await cli([
      'introspect',
      '--address',
      bus.address,
      '--dest',
      'com.example.Nobody1',
      '--path',
      '/',
      '-o',
      '-',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'com.example.Nobody1:/:1:1: error DBUS090: Introspect failed: org.freedesktop.DBus.Error.ServiceUnknown',
    );
  });

  it('refuses an ambiguous bus choice as a usage error, exit 2', async () => {
    const r = await cli(['introspect', '--session', '--address', bus.address, '--dest', 'x.y']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('give exactly one of --address, --session, --system');
  });
});

describe.skipIf(displayQemuSkipReason !== undefined)('introspect QEMU 7.2 -display dbus', () => {
  let bus: PrivateBus;
  let conn: Connection;
  let vm: DisplayVm | undefined;
  beforeAll(async () => {
    vm = await startDisplayVm(['-name', 'introspect-test']);
    ({ bus, conn } = vm);
  });
  afterAll(() => vm?.stop());

  it('walks /org/qemu/Display1, generates, type-checks and calls Keyboard.Press/Release', async () => {
    const dir = join(OUT, 'qemu-xml');
    const r = await cli([
      'introspect',
      '--address',
      bus.address,
      '--dest',
      'org.qemu',
      '--path',
      '/org/qemu/Display1',
      '--recursive',
      '-o',
      dir,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const files = readdirSync(dir);
    for (const name of ['VM', 'Console', 'Keyboard', 'Mouse']) {
      expect(files).toContain(`org.qemu.Display1.${name}.xml`);
    }
    expect(files.filter((f) => f.startsWith('org.freedesktop.DBus.'))).toEqual([]);
    const genDir = join(OUT, 'qemu-gen');
    await generateAndCheck(dir, genDir);
    const vmMod = (await import(join(genDir, 'org.qemu.Display1.VM.ts'))) as Record<
      string,
      unknown
    >;
    const VM = vmMod['VMProxy'] as new (
      c: Connection,
      d: string,
      p: string,
    ) => { get(n: string): Promise<unknown> };
    expect(await new VM(conn, 'org.qemu', '/org/qemu/Display1/VM').get('name')).toBe(
      'introspect-test',
    );
    const kbMod = (await import(join(genDir, 'org.qemu.Display1.Keyboard.ts'))) as Record<
      string,
      unknown
    >;
    const Keyboard = kbMod['KeyboardProxy'] as new (
      c: Connection,
      d: string,
      p: string,
    ) => {
      press(keycode: number): Promise<void>;
      release(keycode: number): Promise<void>;
    };
    const kb = new Keyboard(conn, 'org.qemu', '/org/qemu/Display1/Console_0');
    await expect(kb.press(30)).resolves.toBeUndefined();
    await expect(kb.release(30)).resolves.toBeUndefined();
  });
});
