import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runLint } from '../../cli/commands/lint.js';
import { formatDiagnostic } from '../../generator/diagnostics.js';
import { type LintOptions, lint } from '../../generator/lint.js';
import { docOf, iface } from './lint-support.js';

function codes(xml: string, options: LintOptions = {}): string[] {
  return lint([docOf(xml)], options).map((d) => d.code);
}

function messages(xml: string, options: LintOptions = {}): string[] {
  return lint([docOf(xml)], options).map(formatDiagnostic);
}

/** A documented method, for bodies that need one. */
const DOC_METHOD = `
    <!--
      Frob:
      @level_one: how much.

      Frobs it.
    -->
    <method name="Frob"><arg name="level_one" type="u" direction="in"/></method>`;

describe('lint: a clean interface', () => {
  it('has no findings', () => {
    expect(messages(iface(DOC_METHOD))).toEqual([]);
  });
});

describe('DBUS101 unversioned interface', () => {
  it('flags an interface with no element ending in a digit', () => {
    const out = messages(iface(DOC_METHOD, 'com.example.Thing', '/com/example/Thing1'));
    expect(out).toContainEqual(
      expect.stringMatching(
        /^test\.xml:6:3: warning DBUS101: interface "com\.example\.Thing" has no version/,
      ),
    );
  });
  it('accepts a version in an ancestor element (org.qemu.Display1.VM)', () => {
    expect(
      codes(iface(DOC_METHOD, 'com.example.Display1.VM', '/com/example/Display1/VM')),
    ).not.toContain('DBUS101');
  });
});

describe('DBUS102 unversioned bus name', () => {
  it('flags a bus name given as an option', () => {
    const out = lint([docOf(iface(DOC_METHOD))], { busNames: ['com.example.Thing'] }).map(
      formatDiagnostic,
    );
    expect(out).toEqual([
      expect.stringMatching(
        /^<command line>:1:1: warning DBUS102: bus name "com\.example\.Thing" has no version/,
      ),
    ]);
  });
  it('accepts a versioned bus name and ignores unique names', () => {
    expect(lint([docOf(iface(DOC_METHOD))], { busNames: ['com.example.Thing1', ':1.42'] })).toEqual(
      [],
    );
  });
});

describe('DBUS103 unversioned object path', () => {
  it('flags a path with no versioned element', () => {
    expect(codes(iface(DOC_METHOD, 'com.example.Thing1', '/com/example/thing'))).toEqual([
      'DBUS103',
    ]);
  });
  it('accepts /com/example/Thing1 and nodes without a known path', () => {
    expect(codes(iface(DOC_METHOD))).toEqual([]);
    expect(codes(iface(DOC_METHOD).replace(' name="/com/example/Thing1"', ''))).toEqual([]);
  });
});

describe('DBUS104 objects at /', () => {
  it('flags interfaces exported at /', () => {
    expect(messages(iface(DOC_METHOD, 'com.example.Thing1', '/'))).toEqual([
      expect.stringMatching(
        /^test\.xml:1:1: warning DBUS104: node "\/" exports com\.example\.Thing1: never put objects at "\/"; use a versioned path such as "\/com\/example\/Thing1" \(a file that only defines interfaces can drop the name\)$/,
      ),
    ]);
  });
  it('accepts / holding only child nodes, and standard interfaces at /', () => {
    const xml = `<node name="/"><interface name="org.freedesktop.DBus.Introspectable"><method name="Introspect"><arg type="s" direction="out"/></method></interface><node name="com"/></node>`;
    expect(codes(xml)).toEqual([]);
  });
});

describe('DBUS105 interface name style', () => {
  it('flags an upper-case domain and an underscore in the last element', () => {
    expect(messages(iface(DOC_METHOD, 'Com.example.Thing1'))).toEqual([
      expect.stringContaining(
        'warning DBUS105: interface "Com.example.Thing1" should start with a reversed DNS domain in lower case ("com")',
      ),
    ]);
    expect(messages(iface(DOC_METHOD, 'com.example.thing_one1'))).toEqual([
      expect.stringContaining(
        'the last element "thing_one1" should be CamelCase without underscores ("ThingOne1")',
      ),
    ]);
  });
  it('accepts reversed DNS + CamelCase', () => {
    expect(
      codes(
        iface(
          DOC_METHOD,
          'org.qemu.Display1.Listener.Unix.ScanoutDMABUF2',
          '/org/qemu/Display1/Listener',
        ),
      ),
    ).toEqual([]);
  });
});

describe('DBUS106 member not CamelCase', () => {
  const member = (name: string) =>
    `    <!-- ${name}: docs. -->\n    <method name="${name}"/>\n    <!-- ${name}Sig: docs. -->\n    <signal name="${name}Sig"/>`;
  it('flags snake_case and lowerCamel methods, signals and properties', () => {
    const out = messages(
      iface(
        `${member('get_items')}\n    <!-- my_prop: p. -->\n    <property name="my_prop" type="s" access="read"/>`,
      ),
    );
    expect(out).toEqual([
      expect.stringContaining(
        'warning DBUS106: method "com.example.Thing1.get_items()" is not CamelCase (expected "GetItems")',
      ),
      expect.stringContaining(
        'warning DBUS106: signal "com.example.Thing1::get_itemsSig" is not CamelCase (expected "GetItemsSig")',
      ),
      expect.stringContaining(
        'warning DBUS106: property "com.example.Thing1:my_prop" is not CamelCase (expected "MyProp")',
      ),
    ]);
  });
  it('accepts CamelCase and acronyms (UUID, ConsoleIDs)', () => {
    expect(
      codes(
        iface(
          `${member('ListItems')}\n    <!-- UUID: the id. -->\n    <property name="UUID" type="s" access="read"/>`,
        ),
      ),
    ).toEqual([]);
  });
});

describe('DBUS107 argument not snake_case', () => {
  it('flags camelCase args with a suggestion', () => {
    const xml = iface(
      `    <!--\n      Frob:\n      @widthMM: w.\n\n      Frobs.\n    -->\n    <method name="Frob"><arg name="widthMM" type="u" direction="in"/></method>`,
    );
    expect(messages(xml)).toEqual([
      expect.stringMatching(
        /test\.xml:\d+:\d+: warning DBUS107: argument "widthMM" of method "com\.example\.Thing1\.Frob\(\)" is not lowercase_with_underscores \(expected "width_mm"\)$/,
      ),
    ]);
  });
  it('accepts snake_case args', () => {
    expect(codes(iface(DOC_METHOD))).toEqual([]);
  });
});

describe('DBUS108 unnamed argument', () => {
  it('flags an arg without a name', () => {
    expect(
      codes(
        iface(
          `    <!-- Frob: f. -->\n    <method name="Frob"><arg type="u" direction="out"/></method>`,
        ),
      ),
    ).toEqual(['DBUS108']);
  });
  it('accepts named args', () => {
    expect(
      codes(
        iface(
          `    <!-- Frob:\n      @n: n.\n\n      f. -->\n    <method name="Frob"><arg name="n" type="u" direction="out"/></method>`,
        ),
      ),
    ).toEqual([]);
  });
});

describe('DBUS109/DBUS110 documentation', () => {
  it('flags undocumented interfaces, members and args', () => {
    const xml = `<node name="/com/example/Thing1"><interface name="com.example.Thing1"><method name="Frob"><arg name="level" type="u" direction="in"/></method><signal name="Frobbed"/><property name="Level" type="u" access="read"/></interface></node>`;
    expect(codes(xml)).toEqual(['DBUS109', 'DBUS109', 'DBUS110', 'DBUS109', 'DBUS109']);
    expect(messages(xml)[0]).toContain(
      `interface "com.example.Thing1" is undocumented: add a gtk-doc comment before it or an org.gtk.GDBus.DocString annotation (for XML you do not own: --annotate 'com.example.Thing1' org.gtk.GDBus.DocString '...')`,
    );
  });
  it('accepts DocString annotations as documentation', () => {
    const xml = `<node name="/com/example/Thing1"><interface name="com.example.Thing1"><annotation name="org.gtk.GDBus.DocString" value="A thing."/><method name="Frob"><annotation name="org.gtk.GDBus.DocString" value="Frobs."/><arg name="level" type="u" direction="in"><annotation name="org.gtk.GDBus.DocString" value="How much."/></arg></method></interface></node>`;
    expect(codes(xml)).toEqual([]);
  });
});

describe('DBUS111 getter/setter methods', () => {
  it('flags GetFoo() -> x and SetFoo(x), naming a duplicated property', () => {
    const xml = iface(
      `    <!-- GetLevel:\n      @level: l.\n\n      g. -->\n    <method name="GetLevel"><arg name="level" type="u" direction="out"/></method>\n    <!-- SetColour:\n      @colour: c.\n\n      s. -->\n    <method name="SetColour"><arg name="colour" type="s" direction="in"/></method>\n    <!-- Level: l. -->\n    <property name="Level" type="u" access="read"/>`,
    );
    expect(messages(xml)).toEqual([
      expect.stringContaining(
        'DBUS111: method "com.example.Thing1.GetLevel" looks like a getter: it duplicates property "Level"',
      ),
      expect.stringContaining(
        'DBUS111: method "com.example.Thing1.SetColour" looks like a setter: a property "Colour" gives Get/Set/GetAll and PropertiesChanged for free',
      ),
    ]);
  });
  it('accepts batch methods that merely start with Get', () => {
    const xml = iface(
      `    <!-- GetItems:\n      @ids: i.\n      @items: o.\n\n      g. -->\n    <method name="GetItems"><arg name="ids" type="au" direction="in"/><arg name="items" type="as" direction="out"/></method>`,
    );
    expect(codes(xml)).toEqual([]);
  });
});

describe('DBUS112 change signals', () => {
  it('flags FooChanged signals', () => {
    expect(
      codes(iface(`    <!-- LevelChanged: c. -->\n    <signal name="LevelChanged"/>`)),
    ).toEqual(['DBUS112']);
  });
  it('accepts event signals', () => {
    expect(codes(iface(`    <!-- Frobbed: c. -->\n    <signal name="Frobbed"/>`))).toEqual([]);
  });
});

describe("DBUS113 org.qemu outside QEMU's namespace", () => {
  it('flags a new org.qemu interface and bus name from a helper', () => {
    const out = lint([docOf(iface(DOC_METHOD, 'org.qemu.MyHelper1', '/org/qemu/MyHelper1'))], {
      busNames: ['org.qemu.MyHelper1'],
    });
    expect(out.map((d) => d.code)).toEqual(['DBUS113', 'DBUS113']);
    expect(formatDiagnostic(out[1]!)).toContain(
      `interface "org.qemu.MyHelper1" is in QEMU's namespace but is not a QEMU interface: name your own interfaces under your reversed domain (e.g. "com.example.MyHelper1"), or pass --owner org.qemu if this is QEMU`,
    );
  });
  it("accepts QEMU's own interfaces, and anything when the owner is org.qemu", () => {
    expect(
      codes(iface(DOC_METHOD, 'org.qemu.VMState1', '/org/qemu/VMState1'), {
        busNames: ['org.qemu.VMState1'],
      }),
    ).toEqual([]);
    expect(
      codes(iface(DOC_METHOD, 'org.qemu.Display1.Chardev', '/org/qemu/Display1/Chardev_serial')),
    ).toEqual([]);
    expect(
      codes(iface(DOC_METHOD, 'org.qemu.MyHelper1', '/org/qemu/MyHelper1'), {
        owners: ['org.qemu'],
      }),
    ).toEqual([]);
  });
});

describe('DBUS114 deprecation without a reason', () => {
  const dep = (doc: string) =>
    iface(
      `    <!-- Frob: ${doc} -->\n    <method name="Frob"><annotation name="org.freedesktop.DBus.Deprecated" value="true"/></method>`,
    );
  it('flags a deprecated member whose docs do not say why', () => {
    expect(codes(dep('Frobs.'))).toEqual(['DBUS114']);
  });
  it('accepts one that names its replacement', () => {
    expect(codes(dep('Frobs. Deprecated: use Twiddle instead.'))).toEqual([]);
  });
});

describe('DBUS115 boolean in-arguments', () => {
  it('flags a boolean in-arg', () => {
    expect(
      codes(
        iface(
          `    <!-- Frob:\n      @fast: f.\n\n      f. -->\n    <method name="Frob"><arg name="fast" type="b" direction="in"/></method>`,
        ),
      ),
    ).toEqual(['DBUS115']);
  });
  it('accepts boolean out-args and enum in-args', () => {
    expect(
      codes(
        iface(
          `    <!-- Frob:\n      @mode: m.\n      @ok: o.\n\n      f. -->\n    <method name="Frob"><arg name="mode" type="u" direction="in"/><arg name="ok" type="b" direction="out"/></method>`,
        ),
      ),
    ).toEqual([]);
  });
});

describe('options', () => {
  const bad = iface(DOC_METHOD, 'com.example.Thing', '/com/example/Thing1');
  it('--strict turns findings into errors', () => {
    expect(lint([docOf(bad)], { strict: true }).map((d) => d.severity)).toEqual(['error']);
  });
  it('disable skips codes', () => {
    expect(lint([docOf(bad)], { disable: ['DBUS101'] })).toEqual([]);
  });
  it('standard interfaces are skipped unless asked for', () => {
    const std = `<node><interface name="org.freedesktop.DBus.Peer"><method name="Ping"/></interface></node>`;
    expect(codes(std)).toEqual([]);
    expect(codes(std, { includeStandard: true })).toEqual(['DBUS101', 'DBUS109', 'DBUS109']);
  });
});

describe('lint command with dbus-codegen.config.json', () => {
  it('reads inputs and lint settings from the config; bus-name findings point at the config key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dbus-lint-'));
    try {
      writeFileSync(join(dir, 'a.xml'), iface(DOC_METHOD));
      writeFileSync(
        join(dir, 'dbus-codegen.config.json'),
        `{\n  "inputs": ["*.xml"],\n  "lint": { "busNames": ["com.example.Thing"], "strict": true }\n}\n`,
      );
      const r = runLint([], {}, dir);
      expect(r.exitCode).toBe(1);
      expect(r.diagnostics.map(formatDiagnostic)).toEqual([
        expect.stringMatching(
          /dbus-codegen\.config\.json:3:13: error DBUS102: bus name "com\.example\.Thing" has no version/,
        ),
      ]);
      expect(runLint([], { disable: ['DBUS102'] }, dir).exitCode).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
