import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseOverlay } from '../../build/overlay-file.js';
import { extractAnnotateArgs } from '../../cli/annotate-args.js';
import { check } from '../../generator/check.js';
import { Diagnostics, formatDiagnostic } from '../../generator/diagnostics.js';
import { type AnnotationOverride, parseTarget } from '../../generator/overlay.js';
import type { Location } from '../../spec/model.js';

const XML = `<node name="/com/example/Thing1">
  <interface name="com.example.Thing1">
    <method name="Frob"><arg name="level" type="u" direction="in"/><arg name="done" type="b" direction="out"/></method>
    <signal name="Frobbed"><arg name="level" type="u"/></signal>
    <property name="Level" type="u" access="read">
      <annotation name="org.freedesktop.DBus.Property.EmitsChangedSignal" value="false"/>
    </property>
  </interface>
</node>`;

const CLI: Location = { file: '<command line>', line: 1, column: 1 };
const o = (target: string, name: string, value: string): AnnotationOverride => ({
  target,
  name,
  value,
  location: CLI,
});

function run(overrides: AnnotationOverride[]) {
  const r = check([{ file: 'thing.xml', text: XML }], { annotations: overrides });
  return { iface: r.interfaces[0]?.iface, diags: r.diagnostics.map(formatDiagnostic) };
}

describe('parseTarget (gdbus-codegen WHAT syntax)', () => {
  it.each([
    ['org.Iface', { kind: 'interface', iface: 'org.Iface' }],
    ['org.Iface.Method()', { kind: 'method', iface: 'org.Iface', member: 'Method' }],
    [
      'org.Iface.Method()[arg]',
      { kind: 'method', iface: 'org.Iface', member: 'Method', arg: 'arg' },
    ],
    ['org.Iface::Signal', { kind: 'signal', iface: 'org.Iface', member: 'Signal' }],
    [
      'org.Iface::Signal[arg]',
      { kind: 'signal', iface: 'org.Iface', member: 'Signal', arg: 'arg' },
    ],
    ['org.Iface:Property', { kind: 'property', iface: 'org.Iface', member: 'Property' }],
  ])('%s', (what, expected) => {
    expect(parseTarget(what)).toEqual(expected);
  });
  it.each(['', 'org.Iface:Prop[x]', 'org.Iface.M()[', '.org.Iface', 'a b'])(
    'rejects %j',
    (what) => {
      expect(parseTarget(what)).toBeUndefined();
    },
  );
});

describe('applying overrides before the checks', () => {
  it('adds annotations to interface, method, arg, signal, signal arg and property', () => {
    const { iface, diags } = run([
      o('com.example.Thing1', 'org.gtk.GDBus.DocString', 'A thing.'),
      o('com.example.Thing1.Frob()', 'org.freedesktop.DBus.Deprecated', 'true'),
      o('com.example.Thing1.Frob()[level]', 'org.gtk.GDBus.DocString', 'How hard.'),
      o('com.example.Thing1::Frobbed', 'org.gtk.GDBus.Since', '1.2'),
      o('com.example.Thing1::Frobbed[level]', 'org.gtk.GDBus.DocString', 'How hard it was.'),
      o('com.example.Thing1:Level', 'org.freedesktop.DBus.Property.EmitsChangedSignal', 'const'),
    ]);
    expect(diags).toEqual([]);
    expect(iface?.docs.text).toBe('A thing.');
    expect(iface?.methods[0]?.deprecated).toBe(true);
    expect(iface?.methods[0]?.inArgs[0]?.docs.text).toBe('How hard.');
    expect(iface?.signals[0]?.docs.since).toBe('1.2');
    expect(iface?.signals[0]?.args[0]?.docs.text).toBe('How hard it was.');
    // replaced in place, not duplicated
    expect(iface?.properties[0]?.emitsChangedSignal).toBe('const');
    expect(iface?.properties[0]?.annotations.map((a) => a.value)).toEqual(['const']);
  });

  it('validates an override like XML: a bad EmitsChangedSignal is an error at the override', () => {
    const { diags } = run([
      o('com.example.Thing1:Level', 'org.freedesktop.DBus.Property.EmitsChangedSignal', 'yes'),
    ]);
    expect(diags).toEqual([expect.stringMatching(/^<command line>:1:1: error DBUS060: .*yes/)]);
  });

  it('reports targets that match nothing, saying what exists', () => {
    const targets = [
      'com.example.Nope1',
      'com.example.Thing1.Frobnicate()',
      'com.example.Thing1.Frob()[lvl]',
      'com.example.Thing1::Frob',
      'com.example.Thing1:Frob',
      'com.example.Thing1.Frob',
    ];
    const { diags } = run(targets.map((target) => o(target, 'k', 'v')));
    expect(diags).toEqual(
      [
        '<command line>:1:1: error DBUS070: annotate target "com.example.Nope1" matches nothing: no interface "com.example.Nope1" in the inputs',
        '<command line>:1:1: error DBUS070: annotate target "com.example.Thing1.Frob" matches nothing: no interface "com.example.Thing1.Frob" in the inputs',
        '<command line>:1:1: error DBUS070: annotate target "com.example.Thing1.Frobnicate()" matches nothing: interface "com.example.Thing1" has no method "Frobnicate" (it has: Frob)',
        '<command line>:1:1: error DBUS070: annotate target "com.example.Thing1.Frob()[lvl]" matches nothing: method "Frob" has no argument "lvl" (it has: level, done)',
        '<command line>:1:1: error DBUS070: annotate target "com.example.Thing1::Frob" matches nothing: interface "com.example.Thing1" has no signal "Frob" (it has: Frobbed)',
        '<command line>:1:1: error DBUS070: annotate target "com.example.Thing1:Frob" matches nothing: interface "com.example.Thing1" has no property "Frob" (it has: Level)',
      ].sort(),
    );
  });

  it('reports a malformed target', () => {
    expect(run([o('com.example.Thing1:Level[x]', 'k', 'v')]).diags).toEqual([
      expect.stringContaining(
        'error DBUS071: malformed annotate target "com.example.Thing1:Level[x]"',
      ),
    ]);
  });
});

describe('overlay files', () => {
  it('reads entries with their locations', () => {
    const text = `{
  "annotations": [
    { "target": "com.example.Thing1:Level", "name": "org.gtk.GDBus.Since", "value": "2" }
  ]
}`;
    const diags = new Diagnostics();
    const out = parseOverlay('overlay.json', text, diags);
    expect(diags.items).toEqual([]);
    expect(out).toEqual([
      {
        target: 'com.example.Thing1:Level',
        name: 'org.gtk.GDBus.Since',
        value: '2',
        location: { file: 'overlay.json', line: 3, column: 5 },
      },
    ]);
    // and a bad target in the file is reported at the entry
    const r = check([{ file: 'thing.xml', text: XML }], {
      annotations: [{ ...out[0]!, target: 'com.example.Thing1:Lvl' }],
    });
    expect(r.diagnostics.map(formatDiagnostic)[0]).toMatch(/^overlay\.json:3:5: error DBUS070: /);
  });

  it('refuses unknown keys, wrong types and broken JSON, located', () => {
    const diags = new Diagnostics();
    parseOverlay(
      'o.json',
      `{ "annotation": [], "annotations": [ { "target": "a.B", "name": 1, "value": "v" }, { "target": "a.B", "value": "v", "extra": "x" } ] }`,
      diags,
    );
    expect(diags.items.map(formatDiagnostic)).toEqual([
      'o.json:1:3: error DBUS072: unknown key "annotation" (expected "annotations")',
      'o.json:1:65: error DBUS072: "name" must be a string',
      'o.json:1:117: error DBUS072: unknown key "extra" in an annotation entry (expected target, name, value)',
    ]);
    const d2 = new Diagnostics();
    parseOverlay('o.json', '{\n  "annotations": [,]\n}', d2);
    expect(d2.items.map(formatDiagnostic)).toEqual([
      'o.json:2:19: error DBUS072: invalid JSON: unexpected ","',
    ]);
  });
});

describe('--annotate WHAT KEY VALUE on the command line', () => {
  it('lifts triples out of argv, leaving positional files alone', () => {
    const r = extractAnnotateArgs([
      'node',
      'cli',
      'generate',
      '--annotate',
      'a.B:P',
      'org.gtk.GDBus.Since',
      '2',
      'x.xml',
      '--annotate',
      'a.B',
      'k',
      'v',
      'y.xml',
    ]);
    expect(r.argv).toEqual(['node', 'cli', 'generate', 'x.xml', 'y.xml']);
    expect(r.overrides.map((x) => [x.target, x.name, x.value])).toEqual([
      ['a.B:P', 'org.gtk.GDBus.Since', '2'],
      ['a.B', 'k', 'v'],
    ]);
    expect(r.error).toBeUndefined();
  });
  it('is a usage error with fewer than three values', () => {
    expect(extractAnnotateArgs(['node', 'cli', 'lint', '--annotate', 'a.B', 'k']).error).toBe(
      'option --annotate needs three values: WHAT KEY VALUE',
    );
  });
});

describe('--annotate and --overlay through the CLI', () => {
  const ROOT = new URL('../..', import.meta.url).pathname;
  function cli(args: string[], cwd: string): Promise<{ code: number; stderr: string }> {
    return new Promise((done) => {
      execFile(
        process.execPath,
        ['--import', `${ROOT}node_modules/tsx/dist/esm/index.mjs`, `${ROOT}cli/cli.ts`, ...args],
        { cwd },
        (err, _stdout, stderr) => done({ code: err ? Number(err.code) : 0, stderr }),
      );
    });
  }
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'dbus-annotate-'));
    writeFileSync(join(dir, 'thing.xml'), XML);
    writeFileSync(
      join(dir, 'overlay.json'),
      JSON.stringify({
        annotations: [
          {
            target: 'com.example.Thing1:Level',
            name: 'org.gtk.GDBus.DocString',
            value: 'How hard.',
          },
        ],
      }),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lint: overrides document third-party XML without editing it', async () => {
    const before = await cli(['lint', 'thing.xml'], dir);
    expect(before.stderr).toContain('property "com.example.Thing1:Level" is undocumented');
    const after = await cli(
      [
        'lint',
        'thing.xml',
        '--overlay',
        'overlay.json',
        '--annotate',
        'com.example.Thing1.Frob()',
        'org.gtk.GDBus.DocString',
        'Frobs.',
      ],
      dir,
    );
    expect(after.stderr).not.toContain('com.example.Thing1:Level" is undocumented');
    expect(after.stderr).not.toContain('DBUS109: method "com.example.Thing1.Frob()"');
    expect(after.stderr).toContain(
      `argument "level" of method "com.example.Thing1.Frob()" is undocumented: add "@level: ..." to the member's comment (or --annotate 'com.example.Thing1.Frob()[level]' org.gtk.GDBus.DocString '...')`,
    );
    expect(after.code).toBe(0);
  });

  it('generate: a target that matches nothing fails with a located error, nothing written', async () => {
    const r = await cli(
      ['generate', 'thing.xml', '-o', 'out', '--annotate', 'com.example.Thing1:Nope', 'k', 'v'],
      dir,
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      '<command line>:1:5: error DBUS070: annotate target "com.example.Thing1:Nope" matches nothing: interface "com.example.Thing1" has no property "Nope" (it has: Level)',
    );
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('a short --annotate is a usage error (exit 2)', async () => {
    const r = await cli(['lint', 'thing.xml', '--annotate', 'com.example.Thing1'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('option --annotate needs three values: WHAT KEY VALUE');
  });
});
