/**
 * Our generated org.qemu.Display1.* proxies against QEMU 7.2's D-Bus display
 * (`-display dbus,addr=...` on a private bus): VM and Console properties, Keyboard and Mouse
 * calls, the newer VM `Interfaces` property that 7.2 lacks (a typed error, not a hang), and
 * QEMU's own introspection compared with interfaces/*.xml member by member.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IntrospectableProxy } from '../../generated/org.freedesktop.DBus.Introspectable.js';
import { ConsoleInterface, ConsoleProxy } from '../../generated/org.qemu.Display1.Console.js';
import { KeyboardInterface, KeyboardProxy } from '../../generated/org.qemu.Display1.Keyboard.js';
import { MouseInterface, MouseProxy } from '../../generated/org.qemu.Display1.Mouse.js';
import { VMInterface, VMProxy } from '../../generated/org.qemu.Display1.VM.js';
import { type Connection, DBusError, type InterfaceDescriptor } from '../../runtime/index.js';
import { type DisplayVm, displayQemuSkipReason, startDisplayVm } from '../support/qemu-display.js';

const QEMU_NAME = 'org.qemu';
const VM_PATH = '/org/qemu/Display1/VM';
const CONSOLE_PATH = '/org/qemu/Display1/Console_0';
const VM_UUID = '4b1c2bd5-6e0b-4a51-9d2c-0f6f0e1c2a33';

if (displayQemuSkipReason !== undefined)
  console.log(`skipping QEMU Display1 interop: ${displayQemuSkipReason}`);

/** `name(signature)` / `name:type:access` lines for the members of one introspected interface. */
function members(xml: string, iface: string): string[] {
  const start = xml.indexOf(`<interface name="${iface}">`);
  if (start < 0) return [];
  const body = xml.slice(start, xml.indexOf('</interface>', start));
  const out: string[] = [];
  for (const m of body.matchAll(/<(method|signal) name="([^"]+)"[^>]*?(\/>|>([\s\S]*?)<\/\1>)/g)) {
    const args = [...(m[4] ?? '').matchAll(/<arg ([^>]*)\/?>/g)].map((a) => {
      const type = /type="([^"]+)"/.exec(a[1]!)?.[1];
      const dir = /direction="([^"]+)"/.exec(a[1]!)?.[1] ?? (m[1] === 'method' ? 'in' : 'out');
      return `${dir} ${type}`;
    });
    out.push(`${m[1]} ${m[2]}(${args.join(', ')})`);
  }
  for (const p of body.matchAll(/<property ([^>]*?)\/?>/g)) {
    const a = (k: string) => new RegExp(`${k}="([^"]+)"`).exec(p[1]!)?.[1];
    out.push(`property ${a('name')} ${a('type')} ${a('access')}`);
  }
  return out.sort();
}

function ours(d: InterfaceDescriptor): string[] {
  const args = (list: readonly { type: string }[], dir: string) =>
    list.map((a) => `${dir} ${a.type}`);
  return [
    ...d.methods.map(
      (m) => `method ${m.name}(${[...args(m.inArgs, 'in'), ...args(m.outArgs, 'out')].join(', ')})`,
    ),
    ...d.signals.map((s) => `signal ${s.name}(${args(s.args, 'out').join(', ')})`),
    ...d.properties.map((p) => `property ${p.name} ${p.type} ${p.access}`),
  ].sort();
}

describe.skipIf(displayQemuSkipReason !== undefined)(
  'QEMU 7.2 -display dbus through generated Display1 proxies',
  () => {
    let conn: Connection;
    let vm: DisplayVm | undefined;

    beforeAll(async () => {
      vm = await startDisplayVm(['-name', 'display1-test', '-uuid', VM_UUID]);
      conn = vm.conn;
    });

    afterAll(() => vm?.stop());

    it('reads VM Name, UUID and ConsoleIDs', async () => {
      const vm = new VMProxy(conn, QEMU_NAME, VM_PATH);
      expect(await vm.get('name')).toBe('display1-test');
      expect(await vm.get('uuid')).toBe(VM_UUID);
      expect(await vm.get('consoleIDs')).toEqual([0]);
      const all = await vm.getAll();
      expect(all.name).toBe('display1-test');
      expect(all.consoleIDs).toEqual([0]);
    });

    it('reading VM Interfaces (newer than 7.2) is a typed D-Bus error, not a hang', async () => {
      const vm = new VMProxy(conn, QEMU_NAME, VM_PATH);
      const err = await vm.get('interfaces', { timeoutMs: 5000 }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(DBusError);
      expect((err as DBusError).type).toMatch(
        /^org\.freedesktop\.DBus\.Error\.(InvalidArgs|UnknownProperty)$/,
      );
    });

    it('reads the Console properties', async () => {
      const c = new ConsoleProxy(conn, QEMU_NAME, CONSOLE_PATH);
      expect(await c.get('label')).toBe('VGA');
      expect(await c.get('type')).toBe('Graphic');
      expect(await c.get('head')).toBe(0);
      expect(await c.get('width')).toBeGreaterThan(0);
      expect(await c.get('height')).toBeGreaterThan(0);
      expect(await c.get('deviceAddress')).toMatch(/^pci\//);
    });

    it('presses and releases a key, reads Modifiers', async () => {
      const k = new KeyboardProxy(conn, QEMU_NAME, CONSOLE_PATH);
      await expect(k.press(30)).resolves.toBeUndefined(); // 'a'
      await expect(k.release(30)).resolves.toBeUndefined();
      expect(typeof (await k.get('modifiers'))).toBe('number');
    });

    it('moves the mouse the way IsAbsolute allows', async () => {
      const m = new MouseProxy(conn, QEMU_NAME, CONSOLE_PATH);
      const absolute = await m.get('isAbsolute');
      if (absolute) await expect(m.setAbsPosition(10, 10)).resolves.toBeUndefined();
      else await expect(m.relMotion(5, -5)).resolves.toBeUndefined();
      await expect(m.press(0)).resolves.toBeUndefined();
      await expect(m.release(0)).resolves.toBeUndefined();
    });

    it('rejects a bad argument locally with a ValidationError, before sending', async () => {
      const k = new KeyboardProxy(conn, QEMU_NAME, CONSOLE_PATH);
      await expect(k.press(-1)).rejects.toThrow(/org\.qemu\.Display1\.Keyboard\.Press/);
    });

    it("matches QEMU's own introspection, except what 7.2 lacks", async () => {
      const vmXml = await new IntrospectableProxy(conn, QEMU_NAME, VM_PATH).introspect();
      const consoleXml = await new IntrospectableProxy(conn, QEMU_NAME, CONSOLE_PATH).introspect();
      const newerThan72 = new Set(['property Interfaces as read']);
      const check = (xml: string, d: InterfaceDescriptor) => {
        const theirs = members(xml, d.name);
        expect(theirs.length).toBeGreaterThan(0);
        expect(ours(d).filter((m) => !newerThan72.has(m))).toEqual(theirs);
      };
      check(vmXml, VMInterface);
      check(consoleXml, ConsoleInterface);
      check(consoleXml, KeyboardInterface);
      check(consoleXml, MouseInterface);
    });
  },
);
