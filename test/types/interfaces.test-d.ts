/** The checked-in generated/ modules, as their users (vmstate helper, QEMU tests) see them. */
import type { Unsubscribe, Variant } from 'dbus-codegen-ts/runtime';
import { describe, expectTypeOf, test } from 'vitest';
import type { DBusProxy } from '../../generated/org.freedesktop.DBus.js';
import type { ConsoleProxy } from '../../generated/org.qemu.Display1.Console.js';
import type { KeyboardProxy } from '../../generated/org.qemu.Display1.Keyboard.js';
import type { VMProxy } from '../../generated/org.qemu.Display1.VM.js';
import type { VMState1Handlers, VMState1Proxy } from '../../generated/org.qemu.VMState1.js';

describe('generated/', () => {
  test('org.qemu.VMState1', () => {
    const p = {} as VMState1Proxy;
    expectTypeOf(p.save()).toEqualTypeOf<Promise<Buffer>>();
    expectTypeOf(p.load).toBeCallableWith(new Uint8Array(4));
    expectTypeOf(p.get('id')).toEqualTypeOf<Promise<string>>();
    expectTypeOf<VMState1Handlers['load']>().parameters.toMatchTypeOf<[Buffer, unknown]>();
  });

  test('org.freedesktop.DBus', () => {
    const p = {} as DBusProxy;
    expectTypeOf(p.requestName('a.b', 4)).toEqualTypeOf<Promise<number>>();
    expectTypeOf(p.listNames()).toEqualTypeOf<Promise<string[]>>();
    expectTypeOf(p.getConnectionCredentials(':1.1')).toEqualTypeOf<
      Promise<Record<string, Variant>>
    >();
    expectTypeOf(p.on('nameOwnerChanged', (_name, _old, _new) => {})).toEqualTypeOf<
      Promise<Unsubscribe>
    >();
  });

  test('org.qemu.Display1', () => {
    const vm = {} as VMProxy;
    expectTypeOf(vm.get('consoleIDs')).toEqualTypeOf<Promise<number[]>>();
    expectTypeOf(vm.get('uuid')).toEqualTypeOf<Promise<string>>();
    expectTypeOf(vm.get('interfaces')).toEqualTypeOf<Promise<string[]>>();
    const c = {} as ConsoleProxy;
    expectTypeOf(c.get('width')).toEqualTypeOf<Promise<number>>();
    const k = {} as KeyboardProxy;
    expectTypeOf(k.press(30)).toEqualTypeOf<Promise<void>>();
  });
});
