/**
 * The emitted module through the real pipeline: `generate()` into test/fixtures/out, then the
 * module is imported (vitest maps the runtime) so that the descriptor's values are checked as
 * the runtime sees them, and the output is type-checked; and the header's Source line.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generate } from '../../build/generate.js';
import { readSources } from '../../emitters/header.js';
import { formatDiagnostic } from '../../generator/diagnostics.js';
import type { InterfaceDescriptor } from '../../runtime/descriptor.js';
import { repoRoot as repo } from '../support/corpus.js';
import { typecheckDir } from '../support/typecheck.js';

const root = join(repo, 'test/fixtures/out', `emitted-module-${process.pid}`);
afterAll(() => rmSync(root, { recursive: true, force: true }));

let runs = 0;
/** Generates `xml` into a fresh directory; fails the test on any error diagnostic. */
async function emit(xml: string): Promise<string> {
  const dir = join(root, `run${++runs}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'in.xml'), xml);
  const r = await generate({ inputs: ['in.xml'], outDir: 'gen', cwd: dir });
  const errors = r.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic);
  expect(errors).toEqual([]);
  return join(dir, 'gen');
}

async function descriptor(out: string, iface: string, name: string): Promise<InterfaceDescriptor> {
  const mod = (await import(join(out, `${iface}.ts`))) as Record<string, InterfaceDescriptor>;
  return mod[name]!;
}

const wrap = (body: string, name = 'org.example.Review1') =>
  `<node>\n  <interface name="${name}">\n    ${body}\n  </interface>\n</node>\n`;

describe('XML character references', () => {
  it('decodes numeric references (&#10; &#x41; &#65;) in attribute values, once', async () => {
    const out = await emit(
      wrap(
        '<annotation name="org.example.Note" value="a&#10;b|&#x41;|&#65;|&amp;#65;|&lt;|&quot;"/>' +
          '<property name="P" type="s" access="read"><annotation name="org.gtk.GDBus.DocString" value="line one&#10;line two"/></property>',
      ),
    );
    const d = await descriptor(out, 'org.example.Review1', 'Review1Interface');
    expect(d.annotations['org.example.Note']).toBe('a\nb|A|A|&#65;|<|"');
    // the Introspect XML carries the same value (the newline as a reference again)
    expect(d.xml).toContain('value="a&#10;b|A|A|&amp;#65;|&lt;|&quot;"');
  });
});

describe('descriptor literal', () => {
  it('keeps a multi-line annotation value verbatim, even a line that looks like a long call', async () => {
    const long = `frob(${'a'.repeat(100)}, b);`;
    const value = `Example:\n  ${long}\nDone.`;
    const out = await emit(
      wrap(`<annotation name="org.example.Code" value="Example:\n  ${long}\nDone."/>`),
    );
    const d = await descriptor(out, 'org.example.Review1', 'Review1Interface');
    expect(d.annotations['org.example.Code']).toBe(value);
  });

  it('keeps an annotation named __proto__ as an own entry', async () => {
    const out = await emit(wrap('<annotation name="__proto__" value="x"/>'));
    const d = await descriptor(out, 'org.example.Review1', 'Review1Interface');
    expect(Object.getOwnPropertyDescriptor(d.annotations, '__proto__')?.value).toBe('x');
  });

  it('escapes tabs and carriage returns of attribute values in the Introspect XML', async () => {
    const out = await emit(wrap('<annotation name="org.example.T" value="a&#9;b&#13;c"/>'));
    const d = await descriptor(out, 'org.example.Review1', 'Review1Interface');
    expect(d.annotations['org.example.T']).toBe('a\tb\rc');
    // a raw tab or CR in an attribute would be read back as a space by any XML parser
    expect(d.xml).toContain('value="a&#9;b&#13;c"');
  });
});

describe('names that collide with generated code or JS', () => {
  it('emits code that type-checks for reserved words, base-class members and global-like names', async () => {
    const out = await emit(`<node>
  <interface name="org.example.Map">
    <method name="getFoo"><arg name="options" type="s"/><arg name="ctx" type="s"/><arg name="this" type="s"/><arg name="arguments" type="s"/><arg name="eval" type="s"/><arg name="constructor" type="s"/><arg name="__proto__" type="s"/><arg name="Promise" type="s"/></method>
    <method name="GetFoo"><arg name="x" type="s" direction="out"/><arg name="x" type="s" direction="out"/></method>
    <method name="Close"><arg type="s"/></method>
    <method name="Close"><arg type="i"/></method>
    <method name="Close2"/>
    <method name="Then"/><method name="Get"/><method name="Path"/><method name="CallMethod"/>
    <method name="Fire"><annotation name="org.freedesktop.DBus.Method.NoReply" value="true"/><arg name="r" type="i" direction="out"/></method>
    <signal name="Empty"/><signal name="Signal"><arg name="a" type="v"/></signal>
    <property name="V" type="v" access="read"/><property name="D" type="a{sv}" access="readwrite"/>
    <property name="S" type="(ii)" access="readwrite"/><property name="W" type="a{ia{sv}}" access="write"/>
    <property name="Constructor" type="s" access="read"/><property name="__proto__" type="s" access="read"/>
  </interface>
  <interface name="org.example.Promise"/>
  <interface name="org.example.Buffer"><property name="B" type="ay" access="read"/><method name="M"><arg name="b" type="ay"/><arg name="c" type="ay" direction="out"/></method></interface>
  <interface name="org.example.Object"/><interface name="org.example.Function"/><interface name="org.example.Interface"/>
</node>
`);
    const d = await descriptor(out, 'org.example.Map', 'MapInterface');
    expect(d.methods.map((m) => m.tsName)).toEqual([
      'getFoo',
      'getFoo2',
      'close',
      'close3',
      'close2',
      'then_',
      'get_',
      'path_',
      'callMethod_',
      'fire',
    ]);
    expect(d.methods[0]!.inArgs.map((a) => a.tsName)).toEqual([
      'options_',
      'ctx_',
      'this_',
      'arguments_',
      'eval_',
      'constructor',
      'proto',
      'promise',
    ]);
    expect(d.methods[1]!.outArgs.map((a) => a.tsName)).toEqual(['x', 'x2']);
    expect(typecheckDir(out)).toEqual([]);
  }, 60_000);
});

describe('the Source line', () => {
  it('reads back a source path holding ", " (the no-change fast path still applies)', async () => {
    const dir = join(root, 'comma');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'x, 100%.xml'), wrap('<method name="M"/>'));
    const run = () => generate({ inputs: ['x, 100%.xml'], outDir: 'gen', cwd: dir });
    expect((await run()).exitCode).toBe(0);
    const again = await run();
    expect(again.fastPath).toBe(true);
    const text = again.files.find((f) => f.path.endsWith('Review1.ts'))!.content;
    expect(readSources(text)).toEqual(['x, 100%.xml']);
  });
});
