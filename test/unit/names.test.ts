import { describe, expect, it } from 'vitest';
import {
  argNames,
  camelCase,
  escapeName,
  nameInterfaces,
  PROXY_RESERVED,
  pascalCase,
  SKELETON_RESERVED,
  typePrefix,
  uniqueNames,
} from '../../emitters/ts-names.js';
import { iface, method, property, signal } from './emitters-fixtures.js';

describe('camelCase', () => {
  it.each([
    ['GetNameOwner', 'getNameOwner'],
    ['Hello', 'hello'],
    ['UUID', 'uuid'],
    ['ConsoleIDs', 'consoleIDs'],
    ['HTTPServer', 'httpServer'],
    ['UUID2', 'uuid2'],
    ['interface_name', 'interfaceName'],
    ['Get_UUID', 'getUUID'],
    ['already_camel', 'alreadyCamel'],
    ['x', 'x'],
    ['X', 'x'],
    ['__proto__', 'proto'],
    ['_1', '_1'],
    ['___', '_'],
    ['Ip4Config', 'ip4Config'],
    ['num-enroll-stages', 'numEnrollStages'],
  ])('%s -> %s', (wire, ts) => {
    expect(camelCase(wire)).toBe(ts);
  });
});

describe('pascalCase', () => {
  it.each([
    ['VMState1', 'VMState1'],
    ['wpa_supplicant1', 'WpaSupplicant1'],
    ['DBus', 'DBus'],
    ['login1', 'Login1'],
    ['Unix_Map', 'UnixMap'],
  ])('%s -> %s', (wire, ts) => {
    expect(pascalCase(wire)).toBe(ts);
  });
});

describe('escapeName', () => {
  it.each([
    ['class', 'class_'],
    ['new', 'new_'],
    ['interface', 'interface_'],
    ['arguments', 'arguments_'],
    ['await', 'await_'],
    ['name', 'name'],
    ['type', 'type'],
  ])('%s -> %s', (name, escaped) => {
    expect(escapeName(name)).toBe(escaped);
  });
});

describe('uniqueNames', () => {
  it.each([
    [
      ['bar', 'bar'],
      ['bar', 'bar2'],
    ],
    [
      ['bar', 'bar', 'bar'],
      ['bar', 'bar2', 'bar3'],
    ],
    [
      ['bar', 'bar', 'bar2'],
      ['bar', 'bar3', 'bar2'],
    ],
    [
      ['a', 'b'],
      ['a', 'b'],
    ],
    [
      ['v1', 'v1'],
      ['v1', 'v1_2'],
    ],
  ])('%j -> %j', (input, out) => {
    expect(uniqueNames(input)).toEqual(out);
  });
});

describe('argNames', () => {
  it.each([
    // zbus Bazify: duplicate names
    [
      ['bar', 'bar'],
      ['bar', 'bar2'],
    ],
    // unnamed args by position
    [
      [undefined, 'x', undefined],
      ['arg0', 'x', 'arg2'],
    ],
    // an unnamed arg whose natural name is taken by a named one
    [
      ['arg1', undefined],
      ['arg1', 'arg1_2'],
    ],
    // avahi: reserved words
    [
      ['interface', 'class', 'new'],
      ['interface_', 'class_', 'new_'],
    ],
    // the generated code's own parameters
    [
      ['options', 'ctx'],
      ['options_', 'ctx_'],
    ],
    [
      ['interface_name', 'UUID'],
      ['interfaceName', 'uuid'],
    ],
    [
      ['class', 'class_'],
      ['class_', 'class_2'],
    ],
  ])('%j -> %j', (wire, ts) => {
    expect(argNames(wire.map((name) => ({ name })))).toEqual(ts);
  });
});

describe('typePrefix', () => {
  const named = (name: string, annotations: { name: string; value: string }[] = []) =>
    typePrefix({
      name,
      annotations: annotations.map((a) => ({
        kind: 'annotation' as const,
        ...a,
        location: { file: 'x.xml', line: 1, column: 1 },
      })),
    });

  it.each([
    ['org.qemu.VMState1', 'VMState1'],
    ['fi.w1.wpa_supplicant1', 'WpaSupplicant1'],
    ['fi.w1.wpa_supplicant1.Interface', 'Interface'],
    ['org.freedesktop.NetworkManager.Device', 'Device'],
    ['org.qemu.Display1.Listener.Unix.Map', 'Map'],
  ])('%s -> %s (last element)', (name, prefix) => {
    expect(named(name)).toBe(prefix);
  });

  it('takes org.dbus_codegen_ts.Name when given', () => {
    expect(
      named('org.bluez.Device1', [{ name: 'org.dbus_codegen_ts.Name', value: 'BluezDevice1' }]),
    ).toBe('BluezDevice1');
  });
});

describe('nameInterfaces', () => {
  it('names members, escapes base members, numbers overloads', () => {
    const i = iface('org.kde.KGlobalAccel', {
      methods: [
        method('setShortcut', ['(ss) id', 'ai keys', 'u flags'], ['ai']),
        method('setShortcut', ['(ss) id', 'a(ai) keys', 'u flags'], ['a(ai)']),
        method('setShortcut2', ['s']),
        method('Get', ['s name']),
        method('Then'),
        method('Lock'),
      ],
      signals: [signal('Lock'), signal('Signal', ['s'])],
      properties: [property('Path', 'o'), property('Connection', 's')],
    });
    const n = nameInterfaces([i]).get('org.kde.KGlobalAccel')!;
    expect(n.prefix).toBe('KGlobalAccel');
    expect(n.proxy).toBe('KGlobalAccelProxy');
    expect(n.descriptor).toBe('KGlobalAccelInterface');
    expect(n.exportFunction).toBe('exportKGlobalAccel');
    expect(n.methods.map((m) => m.tsName)).toEqual([
      'setShortcut',
      'setShortcut3',
      'setShortcut2',
      'get_',
      'then_',
      'lock',
    ]);
    expect(n.methods[0]!.outArgs).toEqual(['arg0']);
    // a method and a signal with one name live in different namespaces
    expect(n.signalMembers.map((s) => [s.tsName, s.emitter])).toEqual([
      ['lock', 'emitLock'],
      ['signal', 'emitSignal_'],
    ]);
    // properties are keys of a map, not class members
    expect(n.propertyMembers).toEqual(['path', 'connection']);
  });

  it('is stable across runs and input orders', () => {
    const a = iface('org.a.Device', { methods: [method('X')] });
    const b = iface('org.b.Device', { methods: [method('X')] });
    const one = nameInterfaces([a, b]);
    const two = nameInterfaces([b, a]);
    expect(JSON.stringify([...one].sort())).toBe(JSON.stringify([...two].sort()));
    // names depend on the interface alone: both are Device (index.ts namespaces them)
    expect(one.get('org.a.Device')!.prefix).toBe('Device');
    expect(one.get('org.b.Device')!.prefix).toBe('Device');
  });
});

describe('reserved member names follow the runtime base classes', () => {
  it('covers every public method of ProxyBase and SkeletonBase', async () => {
    const { ProxyBase, SkeletonBase } = await import('../../runtime/index.js');
    const methods = (c: { prototype: object }) => Object.getOwnPropertyNames(c.prototype);
    expect(methods(ProxyBase).filter((m) => !PROXY_RESERVED.has(m))).toEqual([]);
    expect(methods(SkeletonBase).filter((m) => !SKELETON_RESERVED.has(m))).toEqual([]);
  });
});
