import { describe, expect, it } from 'vitest';
import { check } from '../../generator/check.js';
import { formatDiagnostic } from '../../generator/diagnostics.js';

/** Wraps members in `<node><interface name="com.example.Foo1">`. */
function wrap(members: string): string {
  return `<node>\n<interface name="com.example.Foo1">\n${members}\n</interface>\n</node>\n`;
}

function lines(text: string, relax: string[] = []): string[] {
  return check([{ file: 'x.xml', text }], { relax: relax as never }).diagnostics.map(
    formatDiagnostic,
  );
}

const at3 = (rest: string) => `x.xml:3:1: ${rest}`;

describe('check: the bad inputs of issue 2 each give a located error', () => {
  const cases: [string, string, string][] = [
    [
      'type a',
      '<method name="M"><arg name="x" type="a"/></method>',
      'x.xml:3:18: error DBUS020: type "a" of argument "x" of method "M" is not valid: "a" needs an element type at position 1',
    ],
    [
      'type a{vs}',
      '<method name="M"><arg name="x" type="a{vs}"/></method>',
      'x.xml:3:18: error DBUS020: type "a{vs}" of argument "x" of method "M" is not valid: "v" is not a valid type for dictionary keys (keys must be basic types) at position 2',
    ],
    [
      'type (i',
      '<method name="M"><arg name="x" type="(i"/></method>',
      'x.xml:3:18: error DBUS020: type "(i" of argument "x" of method "M" is not valid: unterminated struct, "(" at position 0 not closed at position 2',
    ],
    [
      'type ()',
      '<method name="M"><arg name="x" type="()"/></method>',
      'x.xml:3:18: error DBUS020: type "()" of argument "x" of method "M" is not valid: empty structs "()" are not allowed at position 0',
    ],
    [
      'type {sv}',
      '<method name="M"><arg name="x" type="{sv}"/></method>',
      'x.xml:3:18: error DBUS020: type "{sv}" of argument "x" of method "M" is not valid: a dict entry "{...}" may only appear directly after "a" at position 0',
    ],
    [
      'type ii',
      '<method name="M"><arg name="x" type="ii"/></method>',
      'x.xml:3:18: error DBUS021: type "ii" of argument "x" of method "M" is not valid: expected a single complete type, found 2 ("i", "i") at position 1',
    ],
    [
      '256-char signature',
      `<method name="M"><arg name="x" type="(${'i'.repeat(254)})"/></method>`,
      'x.xml:3:18: error DBUS020: type "(' +
        'i'.repeat(254) +
        ')" of argument "x" of method "M" is not valid: signature is 256 bytes, longer than the limit of 255 at position 255',
    ],
    [
      '33 nested arrays',
      `<method name="M"><arg name="x" type="${'a'.repeat(33)}i"/></method>`,
      `x.xml:3:18: error DBUS020: type "${'a'.repeat(33)}i" of argument "x" of method "M" is not valid: more than 32 nested arrays at position 32`,
    ],
    [
      'direction sideways',
      '<method name="M"><arg name="x" type="i" direction="sideways"/></method>',
      'x.xml:3:18: error DBUS040: direction "sideways" of argument "x" of method "M" is not valid: expected "in" or "out"',
    ],
    [
      'in on a signal arg',
      '<signal name="S"><arg name="x" type="i" direction="in"/></signal>',
      'x.xml:3:18: error DBUS041: argument "x" of signal "S" has direction "in": signal arguments are always "out" (--relax DBUS041 reports this as a warning)',
    ],
    [
      'access readonly',
      '<property name="P" type="s" access="readonly"/>',
      at3(
        'error DBUS042: access "readonly" of property "P" is not valid: expected "read", "write" or "readwrite"',
      ),
    ],
    [
      'missing type',
      '<method name="M"><arg name="x" direction="in"/></method>',
      'x.xml:3:18: error DBUS010: <arg> is missing the required "type" attribute',
    ],
    [
      'missing access',
      '<property name="P" type="s"/>',
      at3('error DBUS010: <property> is missing the required "access" attribute'),
    ],
    [
      'member name 9Lives',
      '<method name="9Lives"/>',
      at3('error DBUS031: method name "9Lives" is not a valid member name: it starts with a digit'),
    ],
    [
      'EmitsChangedSignal yes',
      '<property name="P" type="s" access="read"><annotation name="org.freedesktop.DBus.Property.EmitsChangedSignal" value="yes"/></property>',
      'x.xml:3:43: error DBUS060: org.freedesktop.DBus.Property.EmitsChangedSignal is "yes", expected "true" or "invalidates" or "const" or "false"',
    ],
  ];
  for (const [name, members, expected] of cases) {
    it(name, () => expect(lines(wrap(members))).toEqual([expected]));
  }

  it('two methods with one name and one in-signature', () => {
    expect(
      lines(
        wrap(
          '<method name="M"><arg type="s"/></method>\n<method name="M"><arg type="s"/><arg type="i" direction="out"/></method>',
        ),
      ),
    ).toEqual([
      'x.xml:4:1: error DBUS050: method "M" of interface "com.example.Foo1" with in-signature "s" is already declared at line 3:1; callers could not tell them apart',
    ]);
  });

  it('duplicate property', () => {
    expect(
      lines(
        wrap(
          '<property name="P" type="s" access="read"/>\n<property name="P" type="i" access="read"/>',
        ),
      ),
    ).toEqual([
      'x.xml:4:1: error DBUS054: property "P" of interface "com.example.Foo1" is already declared at line 3:1',
    ]);
  });

  it('interface name without a dot', () => {
    expect(lines('<node><interface name="Foo"/></node>')).toEqual([
      'x.xml:1:7: error DBUS030: interface name "Foo" is not valid: it needs at least two elements separated by "." (--relax DBUS030 reports this as a warning)',
    ]);
  });

  it('collects every error, not just the first', () => {
    const all = lines(
      wrap(
        '<method name="9a"/>\n<property name="P" type="ii" access="r"/>\n<signal name="S"><arg type="a"/></signal>',
      ),
    );
    expect(all.map((l) => l.split(' ')[2]!.slice(0, -1))).toEqual([
      'DBUS031',
      'DBUS021',
      'DBUS042',
      'DBUS020',
    ]);
  });
});

describe('check: legal shapes from real files', () => {
  it('overloads (KDE): legal, with a warning', () => {
    const r = check([
      {
        file: 'x.xml',
        text: wrap(
          '<method name="close"><arg type="s"/></method>\n<method name="close"><arg type="i"/></method>',
        ),
      },
    ]);
    expect(r.diagnostics.map(formatDiagnostic)).toEqual([
      'x.xml:4:1: warning DBUS051: method "close" of interface "com.example.Foo1" is overloaded (also at line 3:1, in-signature "s" vs "i"); each overload gets its own TypeScript name',
    ]);
    expect(r.interfaces[0]!.iface.methods).toHaveLength(2);
  });

  it('a method and a signal with one name (login1 Lock)', () => {
    expect(lines(wrap('<method name="Lock"/>\n<signal name="Lock"/>'))).toEqual([]);
  });

  it('duplicate arg names (Bazify) and unnamed args', () => {
    const r = check([
      {
        file: 'x.xml',
        text: wrap(
          '<method name="Bazify"><arg name="bar" type="(iiu)" direction="in"/><arg name="bar" type="v" direction="out"/><arg type="s" direction="out"/></method>',
        ),
      },
    ]);
    expect(r.diagnostics).toEqual([]);
    expect(r.interfaces[0]!.iface.methods[0]!.outSignature).toBe('vs');
  });

  it('joined signatures over 255 bytes', () => {
    const args = Array.from(
      { length: 9 },
      (_, i) => `<arg name="a${i}" type="(${'i'.repeat(30)})"/>`,
    ).join('');
    expect(lines(wrap(`<method name="M">${args}</method>`))).toEqual([
      'x.xml:3:1: error DBUS022: the in-argument of method "M" signature is 288 bytes; a message signature holds at most 255',
    ]);
  });

  it('effective EmitsChangedSignal, Deprecated, NoReply', () => {
    const r = check([
      {
        file: 'x.xml',
        text: wrap(
          '<annotation name="org.freedesktop.DBus.Property.EmitsChangedSignal" value="const"/><property name="A" type="s" access="read"/><property name="B" type="s" access="read"><annotation name="org.freedesktop.DBus.Property.EmitsChangedSignal" value="invalidates"/><annotation name="org.freedesktop.DBus.Deprecated" value="true"/></property><method name="N"><annotation name="org.freedesktop.DBus.Method.NoReply" value="true"/></method>',
        ),
      },
    ]);
    expect(r.diagnostics).toEqual([]);
    const i = r.interfaces[0]!.iface;
    expect(i.properties.map((p) => [p.emitsChangedSignal, p.deprecated])).toEqual([
      ['const', false],
      ['invalidates', true],
    ]);
    expect(i.methods[0]!.noReply).toBe(true);
  });

  it('Deprecated and NoReply take true|false only', () => {
    expect(
      lines(
        wrap(
          '<method name="M"><annotation name="org.freedesktop.DBus.Method.NoReply" value="yes"/><annotation name="org.freedesktop.DBus.Deprecated" value="1"/></method>',
        ),
      ),
    ).toEqual([
      'x.xml:3:18: error DBUS060: org.freedesktop.DBus.Method.NoReply is "yes", expected "true" or "false"',
      'x.xml:3:86: error DBUS060: org.freedesktop.DBus.Deprecated is "1", expected "true" or "false"',
    ]);
  });

  it('unknown elements and attributes are warnings; doc:/tp: are silent', () => {
    expect(
      lines(
        '<node xmlns:tp="x"><interface name="a.b" unexpected="1"><someTag/><tp:docstring>d</tp:docstring></interface></node>',
      ),
    ).toEqual([
      'x.xml:1:20: warning DBUS008: attribute "unexpected" is not part of <interface> in the introspection format; ignored',
      'x.xml:1:57: warning DBUS006: unknown element <someTag> inside <interface>; ignored',
    ]);
  });

  it('nested nodes build joined object paths', () => {
    const r = check([
      {
        file: 'x.xml',
        text: '<node name="/com/example"><node name="child"><node name="a/b"/></node></node>',
      },
    ]);
    expect(r.diagnostics).toEqual([]);
    const root = r.documents[0]!.root;
    expect(root.children[0]!.path).toBe('/com/example/child');
    expect(root.children[0]!.children[0]!.path).toBe('/com/example/child/a/b');
  });

  it('relax turns the three relaxable errors into warnings and keeps the element', () => {
    const r = check(
      [
        {
          file: 'x.xml',
          text: '<node><interface name="Foo"><signal name="S"><arg type="i" direction="in"/></signal></interface></node>',
        },
      ],
      { relax: ['DBUS030', 'DBUS041'] },
    );
    expect(r.diagnostics.every((d) => d.severity === 'warning')).toBe(true);
    expect(r.interfaces[0]!.iface.signals[0]!.args[0]!.direction).toBe('out');
  });
});

describe('check: one interface in several places', () => {
  const a = '<node><interface name="a.b"><method name="M"/></interface></node>';
  it('identical definitions merge, listing both sources', () => {
    const r = check([
      { file: 'two.xml', text: a },
      { file: 'one.xml', text: a },
    ]);
    expect(r.diagnostics).toEqual([]);
    expect(r.interfaces.map((i) => i.sources)).toEqual([['one.xml', 'two.xml']]);
  });

  it('different definitions: a located error naming both places', () => {
    const b = '<node>\n<interface name="a.b"><method name="N"/></interface></node>';
    expect(
      check([
        { file: 'one.xml', text: a },
        { file: 'two.xml', text: b },
      ]).diagnostics.map(formatDiagnostic),
    ).toEqual([
      'two.xml:2:1: error DBUS056: interface "a.b" is defined differently at one.xml:1:7 (there: <method name="M"/>; here: <method name="N"/>); one run needs one definition',
    ]);
  });

  it('the same interface twice in one node is an error', () => {
    expect(lines('<node><interface name="a.b"/><interface name="a.b"/></node>')).toEqual([
      'x.xml:1:30: error DBUS055: interface "a.b" is already listed in this <node> at line 1:7',
    ]);
  });
});
