/**
 * Issue 11 against a real QEMU 7.2 (`-display dbus` on a private bus):
 * - drift: `introspect --compare interfaces` reports exactly the known 7.2 gaps
 *   (test/fixtures/drift/qemu-7.2-vs-interfaces.txt);
 * - diff: what 7.2 exports (introspected here, written as XML) -> upstream Display1 in
 *   interfaces/ gives the checked-in list (test/fixtures/drift/qemu-7.2-to-upstream.diff.txt);
 * - `proxy.supports(...)` answers from one Introspect per object, without a failed call.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffFiles } from '../../build/diff.js';
import { introspectObjects, writeInterfaces } from '../../build/introspect.js';
import { ClipboardProxy } from '../../generated/org.qemu.Display1.Clipboard.js';
import { ConsoleProxy } from '../../generated/org.qemu.Display1.Console.js';
import { MultiTouchProxy } from '../../generated/org.qemu.Display1.MultiTouch.js';
import { VMProxy } from '../../generated/org.qemu.Display1.VM.js';
import { formatChange } from '../../generator/diff/report.js';
import type { Connection } from '../../runtime/index.js';
import { repoRoot } from '../support/corpus.js';
import { type DisplayVm, displayQemuSkipReason, startDisplayVm } from '../support/qemu-display.js';

const FIXTURES = join(repoRoot, 'test/fixtures/drift');
const expected = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');
const TSX = pathToFileURL(join(repoRoot, 'node_modules/tsx/dist/loader.mjs')).href;

describe.skipIf(displayQemuSkipReason !== undefined)('QEMU 7.2 drift and diff', () => {
  let vm: DisplayVm | undefined;
  let conn: Connection;
  const work = mkdtempSync(join(tmpdir(), 'dbus-codegen-drift-'));

  beforeAll(async () => {
    // every object 7.2 can serve: the dbus audiodev and a dbus chardev too
    vm = await startDisplayVm(
      [
        ...['-name', 'drift-test', '-audiodev', 'dbus,id=snd0'],
        ...['-chardev', 'dbus,id=ser0,name=org.qemu.console.serial.0', '-serial', 'chardev:ser0'],
      ],
      ',audiodev=snd0',
    );
    conn = vm.conn;
  });
  afterAll(async () => {
    await vm?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('introspect --compare interfaces gives exactly the known 7.2 gaps', () => {
    const r = spawnSync(
      process.execPath,
      [
        ...['--import', TSX, join(repoRoot, 'cli/cli.ts'), 'introspect'],
        ...['--address', vm!.bus.address, '--dest', 'org.qemu', '--compare', 'interfaces'],
        ...['--fail-on', 'wire'],
      ],
      { cwd: repoRoot, encoding: 'utf8' },
    );
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(expected('qemu-7.2-vs-interfaces.txt'));
    expect(r.status).toBe(1); // --fail-on wire: the missing Interfaces properties
  }, 60_000);

  it('diff: QEMU 7.2 as introspected -> upstream Display1 gives the checked-in list', async () => {
    const live = await introspectObjects(conn, { dest: 'org.qemu', path: '/', recursive: true });
    expect(live.diagnostics).toEqual([]);
    const oldDir = join(work, 'qemu-7.2');
    const newDir = join(work, 'upstream');
    writeInterfaces(oldDir, live.interfaces);
    mkdirSync(newDir);
    for (const f of readdirSync(join(repoRoot, 'interfaces')).filter((f) =>
      f.startsWith('org.qemu.Display1.'),
    ))
      cpSync(join(repoRoot, 'interfaces', f), join(newDir, f));
    // introspected XML has no docs: --no-docs
    const r = diffFiles([oldDir, newDir], { docs: false });
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const text = r.changes.map((c) => `${formatChange(c).replace(`${work}/`, '')}\n`).join('');
    expect(text).toBe(expected('qemu-7.2-to-upstream.diff.txt'));
  });

  it('proxy.supports answers from one Introspect per object, without a failed call', async () => {
    const calls: string[] = [];
    const real = conn.call.bind(conn);
    conn.call = (m, o) => {
      calls.push(`${m.path} ${m.interfaceName}.${m.member}`);
      return real(m, o);
    };
    try {
      const vmProxy = new VMProxy(conn, 'org.qemu', '/org/qemu/Display1/VM');
      const console0 = '/org/qemu/Display1/Console_0';
      const consoleProxy = new ConsoleProxy(conn, 'org.qemu', console0);
      const touch = new MultiTouchProxy(conn, 'org.qemu', console0);
      const clipboard = new ClipboardProxy(conn, 'org.qemu', '/org/qemu/Display1/Clipboard');
      const answers = await Promise.all([
        vmProxy.supports(),
        vmProxy.supports('interfaces'),
        vmProxy.supports('Interfaces'),
        vmProxy.supports('consoleIDs'),
        consoleProxy.supports('interfaces'),
        consoleProxy.supports('setUIInfo'),
        consoleProxy.supports('RegisterListener'),
        touch.supports(),
        touch.supports('sendEvent'),
        clipboard.supports('interfaces'),
        clipboard.supports('request'),
      ]);
      expect(answers).toEqual([
        true,
        false,
        false,
        true,
        false,
        true,
        true,
        false,
        false,
        false,
        true,
      ]);
      // asked again: answered from the cache
      expect(await new VMProxy(conn, 'org.qemu', '/org/qemu/Display1/VM').supports('name')).toBe(
        true,
      );
      expect(calls.sort()).toEqual([
        '/org/qemu/Display1/Clipboard org.freedesktop.DBus.Introspectable.Introspect',
        '/org/qemu/Display1/Console_0 org.freedesktop.DBus.Introspectable.Introspect',
        '/org/qemu/Display1/VM org.freedesktop.DBus.Introspectable.Introspect',
      ]);
      await expect(vmProxy.supports('noSuchMember')).rejects.toThrow(/has no member noSuchMember/);
    } finally {
      conn.call = real;
    }
  });
});
