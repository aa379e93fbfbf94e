/** Issue 2's bad-input list: each gives a located error, exit 1, and nothing written. */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generate } from '../../build/generate.js';

const wrap = (m: string) =>
  `<node>\n  <interface name="com.example.Foo1">\n    ${m}\n  </interface>\n</node>\n`;
const arg = (type: string) =>
  wrap(`<method name="M"><arg name="x" type="${type}" direction="in"/></method>`);

const cases: [string, string, string][] = [
  ['unclosed tag', '<node>\n  <interface name="a.b">\n', 'DBUS003'],
  ['empty file', '', 'DBUS002'],
  ['type a', arg('a'), 'DBUS020'],
  ['type a{vs}', arg('a{vs}'), 'DBUS020'],
  ['type (i', arg('(i'), 'DBUS020'],
  ['type ()', arg('()'), 'DBUS020'],
  ['type {sv}', arg('{sv}'), 'DBUS020'],
  ['ii as an arg type', arg('ii'), 'DBUS021'],
  ['256-char signature', arg(`(${'i'.repeat(254)})`), 'DBUS020'],
  ['33 nested arrays', arg(`${'a'.repeat(33)}i`), 'DBUS020'],
  [
    'direction sideways',
    wrap('<method name="M"><arg type="i" direction="sideways"/></method>'),
    'DBUS040',
  ],
  [
    'in on a signal arg',
    wrap('<signal name="S"><arg type="i" direction="in"/></signal>'),
    'DBUS041',
  ],
  ['access readonly', wrap('<property name="P" type="s" access="readonly"/>'), 'DBUS042'],
  ['missing type', wrap('<method name="M"><arg name="x" direction="in"/></method>'), 'DBUS010'],
  ['missing access', wrap('<property name="P" type="s"/>'), 'DBUS010'],
  ['same name and in-signature', wrap('<method name="M"/><method name="M"/>'), 'DBUS050'],
  [
    'duplicate property',
    wrap('<property name="P" type="s" access="read"/><property name="P" type="s" access="read"/>'),
    'DBUS054',
  ],
  ['interface name without a dot', '<node>\n  <interface name="Foo1"/>\n</node>\n', 'DBUS030'],
  ['member name 9Lives', wrap('<method name="9Lives"/>'), 'DBUS031'],
  [
    'EmitsChangedSignal yes',
    wrap(
      '<property name="P" type="s" access="read"><annotation name="org.freedesktop.DBus.Property.EmitsChangedSignal" value="yes"/></property>',
    ),
    'DBUS060',
  ],
  [
    '<?if?> without --define',
    wrap('<?if $(env.HOST_OS) == windows?><method name="W"/><?endif?>'),
    'DBUS011',
  ],
];

const root = mkdtempSync(join(tmpdir(), 'dbus-codegen-bad-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('bad input: located error, exit 1, nothing written', () => {
  for (const [i, [name, xml, code]] of cases.entries()) {
    it(name, async () => {
      const good = join(root, `good${i}.xml`);
      writeFileSync(
        good,
        '<node><interface name="com.example.Good1"><method name="M"/></interface></node>',
      );
      const bad = join(root, `bad${i}.xml`);
      writeFileSync(bad, xml);
      const out = join(root, `out${i}`);
      const r = await generate({ inputs: [good, bad], outDir: out, cwd: root });
      expect(r.exitCode).toBe(1);
      expect(r.files).toEqual([]);
      expect(existsSync(out)).toBe(false);
      const errors = r.diagnostics.filter((d) => d.severity === 'error');
      expect(errors.map((d) => d.code)).toContain(code);
      for (const d of errors) {
        expect(d.location.file).toBe(`bad${i}.xml`);
        expect(d.location.line).toBeGreaterThanOrEqual(1);
        expect(d.location.column).toBeGreaterThanOrEqual(1);
      }
    });
  }
});
