/**
 * Good/bad tables for signatures, single complete types, object paths, interface, error, bus
 * and member names, and introspection XML snippets: every row's verdict is what the D-Bus
 * specification says (not libdbus's or GLib's where they differ). Row ids (S44, P58, I70,
 * X02, ...) are stable so that a failure names its row.
 */
import { describe, expect, it } from 'vitest';
import { check } from '../../generator/check.js';
import {
  busNameProblem,
  errorNameProblem,
  interfaceNameProblem,
  memberNameProblem,
  objectPathProblem,
} from '../../spec/names.js';
import { parseSignature, parseSingleType } from '../../spec/signature.js';

type Verdict = 'VALID' | 'INVALID';
const ok = (f: () => unknown): boolean => {
  try {
    f();
    return true;
  } catch {
    return false;
  }
};
const rep = (s: string, n: number) => s.repeat(n);

function table(name: string, rows: [string, string, Verdict][], valid: (input: string) => boolean) {
  describe(name, () => {
    for (const [id, input, verdict] of rows) {
      it(`${id} ${JSON.stringify(input.length > 40 ? `${input.slice(0, 37)}...` : input)} is ${verdict}`, () => {
        expect(valid(input) ? 'VALID' : 'INVALID').toBe(verdict);
      });
    }
  });
}

// S45 is AMBIGUOUS in the spec (dict-entry depth is not covered). We reject it: a dict entry
// counts as a struct level (21 + 12 = 33 > 32), the stricter reading that sd-bus also takes,
// so every signature we accept is accepted by every implementation.
const S44 = (() => {
  const opens = Array.from({ length: 33 }, (_, i) => (i % 2 === 0 ? 'a(' : 'a{s'));
  const closes = opens.map((o) => (o === 'a(' ? ')' : '}')).reverse();
  return `${opens.join('')}i${closes.join('')}`;
})();
table(
  'signatures',
  [
    ['S0', '', 'VALID'],
    ['S1', 'i', 'VALID'],
    ['S2', 'a', 'INVALID'],
    ['S3', 'aa', 'INVALID'],
    ['S4', '(ii', 'INVALID'],
    ['S5', 'ii)', 'INVALID'],
    ['S6', '()', 'INVALID'],
    ['S7', '(())', 'INVALID'],
    ['S8', 'a{sv}', 'VALID'],
    ['S9', '{sv}', 'INVALID'],
    ['S10', '(yyy{sv}ssiai)', 'INVALID'],
    ['S11', 'a{vs}', 'INVALID'],
    ['S12', 'a{(i)s}', 'INVALID'],
    ['S13', 'a{ais}', 'INVALID'],
    ['S14', 'a{s}', 'INVALID'],
    ['S15', 'a{sss}', 'INVALID'],
    ['S16', 'a{}', 'INVALID'],
    ['S17', 'a{hs}', 'VALID'],
    ['S18', 'a{ds}', 'VALID'],
    ['S19', 'a{bs}', 'VALID'],
    ['S20', 'a{gv}', 'VALID'],
    ['S21', 'a{oa{sa{sv}}}', 'VALID'],
    ['S22', 'yyyyuua(yv)', 'VALID'],
    ['S23', 'a{sv}as', 'VALID'],
    ['S24', 'sa{sv}as', 'VALID'],
    ['S25', 'r', 'INVALID'],
    ['S26', 'e', 'INVALID'],
    ['S27', 'm', 'INVALID'],
    ['S28', 'mi', 'INVALID'],
    ['S29', '*', 'INVALID'],
    ['S30', '?', 'INVALID'],
    ['S31', '@i', 'INVALID'],
    ['S32', '&s', 'INVALID'],
    ['S33', '^as', 'INVALID'],
    ['S34', 'ah', 'VALID'],
    ['S35', 'i ', 'INVALID'],
    ['S36', 'a(ai)', 'VALID'],
    ['S37', '(a)', 'INVALID'],
    ['S38', `${rep('a', 32)}i`, 'VALID'],
    ['S39', `${rep('a', 33)}i`, 'INVALID'],
    ['S40', `${rep('(', 32)}i${rep(')', 32)}`, 'VALID'],
    ['S41', `${rep('(', 33)}i${rep(')', 33)}`, 'INVALID'],
    ['S42', `${rep('a', 32)}${rep('(', 32)}i${rep(')', 32)}`, 'VALID'],
    ['S43', `${rep('a', 32)}(${rep('a', 32)}i)`, 'INVALID'],
    ['S44', S44, 'INVALID'],
    ['S45', `${rep('(', 21)}${rep('a{s', 12)}i${rep('}', 12)}${rep(')', 21)}`, 'INVALID'],
    ['S46', rep('i', 255), 'VALID'],
    ['S47', rep('i', 256), 'INVALID'],
  ],
  (s) => ok(() => parseSignature(s)),
);

table(
  'single complete types',
  [
    ['T48', '', 'INVALID'],
    ['T49', 'i', 'VALID'],
    ['T50', 'ii', 'INVALID'],
    ['T51', 'a{sv}', 'VALID'],
    ['T52', '(ii)', 'VALID'],
    ['T53', 'v', 'VALID'],
    ['T54', '{sv}', 'INVALID'],
  ],
  (s) => ok(() => parseSingleType(s)),
);

table(
  'object paths',
  [
    ['P55', '/', 'VALID'],
    ['P56', '/com/example/MusicPlayer1', 'VALID'],
    ['P57', '/1/2/3', 'VALID'],
    ['P58', '/_', 'VALID'],
    ['P59', '', 'INVALID'],
    ['P60', '//', 'INVALID'],
    ['P61', '/a/', 'INVALID'],
    ['P62', '/a//b', 'INVALID'],
    ['P63', 'a/b', 'INVALID'],
    ['P64', '/a-b', 'INVALID'],
    ['P65', '/a.b', 'INVALID'],
    ['P66', '/a b', 'INVALID'],
    ['P67', '/é', 'INVALID'],
    ['P68', '/org/freedesktop/DBus/Local', 'VALID'],
    ['P69', `/${Array.from({ length: 4000 }, () => rep('x', 17)).join('/')}`, 'VALID'],
  ],
  (s) => objectPathProblem(s) === undefined,
);

table(
  'interface names',
  [
    ['I70', 'org.freedesktop.DBus', 'VALID'],
    ['I71', 'com.example.MusicPlayer1', 'VALID'],
    ['I72', 'a.b', 'VALID'],
    ['I73', '_.b', 'VALID'],
    ['I74', 'org', 'INVALID'],
    ['I75', 'org.', 'INVALID'],
    ['I76', '.org.example', 'INVALID'],
    ['I77', 'org..example', 'INVALID'],
    ['I78', 'org.7zip.Plugin', 'INVALID'],
    ['I79', 'org._7_zip.Plugin', 'VALID'],
    ['I80', 'org.example.my-iface', 'INVALID'],
    ['I81', 'org.example.Über', 'INVALID'],
    ['I82', `a.${rep('b', 253)}`, 'VALID'],
    ['I83', `a.${rep('b', 254)}`, 'INVALID'],
  ],
  (s) => interfaceNameProblem(s) === undefined,
);

table(
  'error names',
  [
    ['E84', 'org.freedesktop.DBus.Error.InvalidArgs', 'VALID'],
    ['E85', 'com.example.MusicPlayer1.Error.FileNotFound', 'VALID'],
    ['E86', 'Error', 'INVALID'],
    ['E87', 'com.example.Error.404', 'INVALID'],
    ['E88', 'com.example.Error-Code', 'INVALID'],
  ],
  (s) => errorNameProblem(s) === undefined,
);

table(
  'bus names',
  [
    ['B89', ':1.42', 'VALID'],
    ['B90', ':1.2.3', 'VALID'],
    ['B91', ':1', 'INVALID'],
    ['B92', ':', 'INVALID'],
    ['B93', ':.1', 'INVALID'],
    ['B94', ':1.', 'INVALID'],
    ['B95', 'com.example.MusicPlayer1', 'VALID'],
    ['B96', 'com.example', 'VALID'],
    ['B97', 'com', 'INVALID'],
    ['B98', 'org.example.my-service', 'VALID'],
    ['B99', '-.-', 'VALID'],
    ['B100', 'org.7-zip.Archiver', 'INVALID'],
    ['B101', 'org._7_zip.Archiver', 'VALID'],
    ['B102', '.org.example', 'INVALID'],
    ['B103', 'org.example.', 'INVALID'],
    ['B104', 'org.freedesktop.DBus', 'VALID'],
    ['B105', `a.${rep('b', 253)}`, 'VALID'],
    ['B106', `a.${rep('b', 254)}`, 'INVALID'],
  ],
  (s) => busNameProblem(s) === undefined,
);

table(
  'member names',
  [
    ['M107', 'GetItems', 'VALID'],
    ['M108', '_private', 'VALID'],
    ['M109', 'a', 'VALID'],
    ['M110', '', 'INVALID'],
    ['M111', '9Lives', 'INVALID'],
    ['M112', 'Get.Items', 'INVALID'],
    ['M113', 'get-items', 'INVALID'],
    ['M114', 'Get Items', 'INVALID'],
    ['M115', `M${rep('x', 254)}`, 'VALID'],
    ['M116', `M${rep('x', 255)}`, 'INVALID'],
  ],
  (s) => memberNameProblem(s) === undefined,
);

type Outcome = 'accept' | 'warn' | 'error';
const iface = (m: string) => `<node><interface name="com.example.Foo1">${m}</interface></node>`;
const xmlRows: [string, string, Outcome][] = [
  ['X01', iface('<method name="Ping"/>'), 'accept'],
  ['X02', '<node name="child"/>', 'error'],
  ['X03', '<node name="/com/example"><node name="/com/example/child"/></node>', 'error'],
  ['X04', iface('<signal name="Changed"><arg type="b" direction="in"/></signal>'), 'error'],
  ['X05', iface('<signal name="Changed"><arg type="b" direction="out"/></signal>'), 'accept'],
  ['X06', iface('<method name="M"><arg type="i" direction="inout"/></method>'), 'error'],
  ['X07', iface('<property name="P" type="s" access="readonly"/>'), 'error'],
  ['X08', iface('<property name="P" type="s"/>'), 'error'],
  ['X09', iface('<method name="M"><arg name="v" direction="in"/></method>'), 'error'],
  ['X10', '<node><method name="M"/></node>', 'error'],
  ['X11', iface('<node name="x"/>'), 'error'],
  [
    'X12',
    iface(
      '<method name="M"><arg type="i"><annotation name="org.gtk.GDBus.DocString" value="doc"/></arg></method>',
    ),
    'accept',
  ],
  ['X13', iface('<annotation name="org.freedesktop.DBus.Deprecated"/>'), 'error'],
  ['X14', iface('<method name="M" foo="bar"/>'), 'warn'],
  [
    'X15',
    '<node xmlns:doc="http://www.freedesktop.org/dbus/1.0/doc.dtd"><interface name="com.example.Foo1"><doc:doc><doc:summary>hi</doc:summary></doc:doc></interface></node>',
    'accept',
  ],
  ['X16', iface('<method name="M"><arg name="d" type="a{vs}"/></method>'), 'error'],
  ['X17', iface('<method name="9Lives"/>'), 'error'],
  ['X18', '<node><interface name="Foo"/></node>', 'error'],
  [
    'X19',
    iface(
      '<method name="Bazify"><arg name="bar" type="(iiu)" direction="in"/><arg name="bar" type="v" direction="out"/></method>',
    ),
    'accept',
  ],
  ['X20', '<node/><node/>', 'error'],
  [
    'X21',
    iface(
      '<property name="P" type="s" access="read"><annotation name="org.freedesktop.DBus.Property.EmitsChangedSignal" value="yes"/></property>',
    ),
    'error',
  ],
  ['X22', iface('<property name="P" type="ii" access="read"/>'), 'error'],
  ['X23', '<node><interface/></node>', 'error'],
  ['X24', iface('<method name="M">some text</method>'), 'warn'],
  ['X25', iface('<method name="M"><arg type="" direction="in"/></method>'), 'error'],
  [
    'X26',
    iface('<method name="M"><arg type="s"/><arg type="s" direction="out"/></method>'),
    'accept',
  ],
  [
    'X27',
    `<!DOCTYPE node PUBLIC "-//freedesktop//DTD D-BUS Object Introspection 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/introspect.dtd">${iface('<method name="M"/>')}`,
    'accept',
  ],
  ['X28', iface('<property name="connection-status" type="s" access="read"/>'), 'warn'],
  [
    'X29',
    '<node><annotation name="com.example.Note" value="x"/><interface name="com.example.Foo1"/></node>',
    'warn',
  ],
  ['X30', iface('<method name="M"/><method name="M"/>'), 'error'],
  ['X31', '<node name="/"><node name="a/b"/></node>', 'accept'],
];

describe('introspection XML snippets', () => {
  for (const [id, xml, expected] of xmlRows) {
    it(`${id} -> ${expected}`, () => {
      const { diagnostics } = check([{ file: `${id}.xml`, text: xml }]);
      const outcome: Outcome = diagnostics.some((d) => d.severity === 'error')
        ? 'error'
        : diagnostics.length > 0
          ? 'warn'
          : 'accept';
      expect(outcome, JSON.stringify(diagnostics.map((d) => d.message))).toBe(expected);
    });
  }

  it('X31 builds the joined path /a/b', () => {
    const r = check([{ file: 'x.xml', text: '<node name="/"><node name="a/b"/></node>' }]);
    expect(r.documents[0]!.root.children[0]!.path).toBe('/a/b');
  });
});
