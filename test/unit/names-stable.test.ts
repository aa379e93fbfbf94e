/**
 * Issue 11, part 1: a module's exported names depend on its own interface only. A table of
 * input sets (other interfaces added, removed, reordered, clashing) leaves every module
 * byte-identical below its header; generated/index.ts namespaces modules whose names clash and
 * still type-checks; the whole corpus gives the same names one file at a time as all at once.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { emitModules } from '../../emitters/index.js';
import { check } from '../../generator/check.js';
import type { Interface } from '../../spec/model.js';
import { corpusCases, corpusDir, corpusPresent, repoRoot } from '../support/corpus.js';
import { typecheckDir } from '../support/typecheck.js';

const xml = (name: string, member = 'Frob', annotations = ''): string =>
  `<node><interface name="${name}">${annotations}<method name="${member}"><arg name="x" type="s" direction="in"/></method><property name="Level" type="u" access="read"/></interface></node>`;

const NAMED = (value: string) => `<annotation name="org.dbus_codegen_ts.Name" value="${value}"/>`;

/** The interfaces under test: each appears in several input sets below. */
const SOURCES: Record<string, string> = {
  map: xml('org.qemu.Display1.Listener.Unix.Map', 'Map'),
  otherMap: xml('org.example.Map', 'Other'),
  vmstate: xml('org.qemu.VMState1', 'Save'),
  bluez: xml('org.bluez.Device1', 'Connect'),
  exampleDevice: xml('org.example.Device1', 'Poke'),
  named: xml('org.example.Device1.Named', 'Poke', NAMED('NamedDevice')),
  foo: xml('a.Foo'),
  fooWritable: xml('b.FooWritable'),
  bc1: xml('a.b_c'),
  bc2: xml('a.bC'),
};

function interfacesOf(keys: readonly string[]): Interface[] {
  const r = check(keys.map((k) => ({ file: `${k}.xml`, text: SOURCES[k]! })));
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.interfaces.map((i) => i.iface);
}

/** Module path -> text below the 4-line header (which names the run's sources and command). */
function bodies(keys: readonly string[]): Map<string, string> {
  const modules = emitModules({
    interfaces: interfacesOf(keys),
    command: 'test',
    fingerprintLine: '// fp',
  });
  return new Map(modules.map((m) => [m.path, m.text.split('\n').slice(4).join('\n')]));
}

const EXPORT = /^export (?:declare )?(?:abstract )?(?:class|interface|type|const|function) (\w+)/gm;
function exportedNamesOf(text: string): string[] {
  return [...text.matchAll(EXPORT)].map((m) => m[1]!).sort();
}

// Each row: a base set and other sets containing it (added, removed, reordered others).
const TABLE: [string, string[], string[][]][] = [
  ['adding org.example.Map keeps MapProxy', ['map', 'vmstate'], [['map', 'vmstate', 'otherMap']]],
  [
    'two Device1 interfaces from different vendors',
    ['bluez'],
    [
      ['bluez', 'exampleDevice'],
      ['exampleDevice', 'bluez', 'map'],
    ],
  ],
  ['prefix + suffix of one == prefix of another', ['foo'], [['foo', 'fooWritable']]],
  [
    'names PascalCase cannot separate',
    ['bc1'],
    [
      ['bc2', 'bc1'],
      ['bc1', 'bc2', 'otherMap'],
    ],
  ],
  [
    'removing and reordering others',
    ['map', 'vmstate', 'otherMap', 'bluez', 'exampleDevice'],
    [['vmstate', 'map'], ['exampleDevice', 'map', 'bluez', 'vmstate', 'otherMap'], ['map']],
  ],
  ['an annotation picks the name', ['named'], [['named', 'exampleDevice', 'bluez']]],
];

describe('exported names depend on the module alone', () => {
  it.each(TABLE)('%s', (_, base, others) => {
    const alone = bodies(base);
    for (const set of others) {
      const together = bodies(set);
      for (const [path, text] of alone) {
        if (path === 'index.ts' || !together.has(path)) continue;
        expect(exportedNamesOf(together.get(path)!), `${path} in [${set}]`).toEqual(
          exportedNamesOf(text),
        );
        expect(together.get(path), `${path} in [${set}]`).toBe(text);
      }
    }
  });

  it('keeps the names of the issue example and the annotation', () => {
    const b = bodies(['map', 'otherMap', 'named', 'bluez', 'exampleDevice']);
    expect(b.get('org.qemu.Display1.Listener.Unix.Map.ts')).toContain('export class MapProxy ');
    expect(b.get('org.example.Map.ts')).toContain('export class MapProxy ');
    expect(b.get('org.example.Device1.Named.ts')).toContain('export class NamedDeviceProxy ');
    expect(b.get('org.bluez.Device1.ts')).toContain('export class Device1Proxy ');
  });

  it('rejects a Name annotation that is not a PascalCase identifier', () => {
    const r = check([
      { file: 'bad.xml', text: xml('org.example.Bad', 'Frob', NAMED('not-a-name')) },
    ]);
    expect(r.diagnostics.map((d) => `${d.location.line}:${d.location.column} ${d.code}`)).toEqual([
      '1:41 DBUS060',
    ]);
  });
});

describe('generated/index.ts with clashing modules', () => {
  const out = join(repoRoot, 'test/fixtures/out', `names-stable-${process.pid}`);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('re-exports clashing modules as namespaces, the rest flat, and type-checks', () => {
    const keys = ['map', 'otherMap', 'bluez', 'exampleDevice', 'vmstate', 'foo', 'fooWritable'];
    const modules = emitModules({
      interfaces: interfacesOf(keys),
      command: 'test',
      fingerprintLine: '// fp',
    });
    const index = modules.find((m) => m.path === 'index.ts')!.text;
    expect(index.split('\n').filter((l) => l.startsWith('export'))).toEqual([
      // FooWritable + Properties == Foo + WritableProperties
      "export * as AFoo from './a.Foo.js';",
      "export * as BFooWritable from './b.FooWritable.js';",
      "export * as OrgBluezDevice1 from './org.bluez.Device1.js';",
      "export * as OrgExampleDevice1 from './org.example.Device1.js';",
      "export * as OrgExampleMap from './org.example.Map.js';",
      "export * as OrgQemuDisplay1ListenerUnixMap from './org.qemu.Display1.Listener.Unix.Map.js';",
      "export * from './org.qemu.VMState1.js';",
    ]);
    mkdirSync(out, { recursive: true });
    for (const m of modules) writeFileSync(join(out, m.path), m.text);
    writeFileSync(
      join(out, 'use.ts'),
      `import { OrgExampleMap, OrgQemuDisplay1ListenerUnixMap, VMState1Proxy, AFoo, BFooWritable } from './index.js';
export const used = [OrgExampleMap.MapProxy, OrgQemuDisplay1ListenerUnixMap.MapProxy, VMState1Proxy, AFoo.FooProxy, BFooWritable.FooWritableProxy];
`,
    );
    expect(typecheckDir(out)).toEqual([]);
  }, 120_000);
});

describe.skipIf(!corpusPresent)('corpus: one file at a time vs all at once', () => {
  it('gives every interface the same exported names', () => {
    const single = new Map<string, string[]>();
    const all: Interface[] = [];
    for (const c of corpusCases(false).filter((c) => !c.malformed)) {
      const text = readFileSync(join(corpusDir, c.file), 'utf8');
      const r = check([{ file: c.file, text }], { defines: c.defines, relax: c.relax });
      const ifaces = r.interfaces.map((i) => i.iface);
      for (const m of emitModules({ interfaces: ifaces, command: 't', fingerprintLine: '// f' })) {
        // the first file defining an interface is the one the all-at-once run keeps
        if (m.path !== 'index.ts' && !single.has(m.path))
          single.set(m.path, exportedNamesOf(m.text));
      }
      for (const i of ifaces) if (!all.some((a) => a.name === i.name)) all.push(i);
    }
    const together = emitModules({ interfaces: all, command: 't', fingerprintLine: '// f' });
    expect(together.length - 1).toBe(single.size);
    expect(single.size).toBeGreaterThan(300);
    const differing = together
      .filter((m) => m.path !== 'index.ts')
      .filter((m) => JSON.stringify(exportedNamesOf(m.text)) !== JSON.stringify(single.get(m.path)))
      .map((m) => m.path);
    expect(differing).toEqual([]);
    // the all-at-once index namespaces exactly the modules whose names clash
    const index = together.find((m) => m.path === 'index.ts')!.text;
    expect(index).toMatch(/export \* as \w+ from/);
  }, 120_000);
});
