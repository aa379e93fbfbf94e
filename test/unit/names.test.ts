import { describe, expect, it } from 'vitest';
import {
  argNames,
  camelCase,
  escapeName,
  nameInterfaces,
  PROXY_RESERVED,
  pascalCase,
  SKELETON_RESERVED,
  typePrefixes,
  uniqueNames,
} from '../../generator/names.js';
import { iface, method, property, signal } from './templates-fixtures.js';

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

describe('typePrefixes', () => {
  it('uses the last element when unique', () => {
    expect(
      Object.fromEntries(
        typePrefixes([
          'org.qemu.VMState1',
          'fi.w1.wpa_supplicant1',
          'fi.w1.wpa_supplicant1.Interface',
        ]),
      ),
    ).toEqual({
      'fi.w1.wpa_supplicant1': 'WpaSupplicant1',
      'fi.w1.wpa_supplicant1.Interface': 'Interface',
      'org.qemu.VMState1': 'VMState1',
    });
  });

  it('takes more elements for clashing interfaces, whatever the input order', () => {
    const a = ['org.freedesktop.NetworkManager.Device', 'org.bluez.Device', 'org.example.Other'];
    const expected = {
      'org.bluez.Device': 'BluezDevice',
      'org.example.Other': 'Other',
      'org.freedesktop.NetworkManager.Device': 'NetworkManagerDevice',
    };
    expect(Object.fromEntries(typePrefixes(a))).toEqual(expected);
    expect(Object.fromEntries(typePrefixes([...a].reverse()))).toEqual(expected);
  });

  it('resolves clashes between a prefix plus suffix and another prefix', () => {
    // FooWritable + Properties == Foo + WritableProperties
    const p = typePrefixes(['a.Foo', 'b.FooWritable']);
    expect(p.get('a.Foo')).toBe('AFoo');
    expect(p.get('b.FooWritable')).toBe('BFooWritable');
  });

  it('numbers what more elements cannot separate', () => {
    const p = typePrefixes(['a.b_c', 'a.bC']);
    expect([...p.values()].sort()).toEqual(['ABC', 'ABC2']);
    expect(p.get('a.bC')).toBe('ABC');
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
    expect(one.get('org.a.Device')!.prefix).toBe('ADevice');
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
