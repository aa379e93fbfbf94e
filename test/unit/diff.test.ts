/**
 * Issue 11, part 2: `diff` classifies every change kind, in both directions, as the D-Bus API
 * design guidelines say (generator/diff/compare.ts); the corpus's two KWallet versions; the CLI
 * (located lines, summary, --json, --fail-on, --git, version suggestions); and the summary
 * line `generate` prints per rewritten module.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { generate } from '../../build/generate.js';
import { check } from '../../generator/check.js';
import { compareInterfaces } from '../../generator/diff/compare.js';
import { nextVersion } from '../../generator/diff/report.js';
import type { Interface } from '../../spec/model.js';
import { corpusDir, corpusPresent, repoRoot } from '../support/corpus.js';

const IFACE = 'org.example.Thing1';

function model(body: string | undefined, file: string): Interface[] {
  if (body === undefined) return [];
  const text = `<node>\n<interface name="${IFACE}">\n${body}\n</interface>\n</node>\n`;
  const r = check([{ file, text }]);
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.interfaces.map((i) => i.iface);
}

const kinds = (before: string | undefined, after: string | undefined): string[] =>
  compareInterfaces(model(before, 'old.xml'), model(after, 'new.xml')).map(
    (c) => `${c.verdict} ${c.kind}`,
  );

const M = (name: string, args = '', ann = '') => `<method name="${name}">${ann}${args}</method>`;
const IN = (type: string, name = 'a') => `<arg name="${name}" type="${type}" direction="in"/>`;
const OUT = (type: string, name = 'r') => `<arg name="${name}" type="${type}" direction="out"/>`;
const S = (name: string, args = '') => `<signal name="${name}">${args}</signal>`;
const SA = (type: string, name = 'a') => `<arg name="${name}" type="${type}"/>`;
const P = (name: string, type: string, access: string, ann = '') =>
  `<property name="${name}" type="${type}" access="${access}">${ann}</property>`;
const A = (name: string, value: string) => `<annotation name="${name}" value="${value}"/>`;
const EMITS = (v: string) => A('org.freedesktop.DBus.Property.EmitsChangedSignal', v);
const DEPRECATED = A('org.freedesktop.DBus.Deprecated', 'true');
const NOREPLY = A('org.freedesktop.DBus.Method.NoReply', 'true');
const DOC = (t: string) => A('org.gtk.GDBus.DocString', t);

// [change, old, new, verdicts old -> new, verdicts new -> old]
const TABLE: [string, string | undefined, string, string[], string[]][] = [
  [
    'interface added',
    undefined,
    M('Frob'),
    ['compatible interface-added'],
    ['wire-breaking interface-removed'],
  ],
  [
    'method added',
    M('Frob'),
    `${M('Frob')}${M('Poke')}`,
    ['compatible member-added'],
    ['wire-breaking member-removed'],
  ],
  [
    'signal added',
    M('Frob'),
    `${M('Frob')}${S('Changed')}`,
    ['compatible member-added'],
    ['wire-breaking member-removed'],
  ],
  [
    'property added',
    M('Frob'),
    `${M('Frob')}${P('Level', 'u', 'read')}`,
    ['compatible member-added'],
    ['wire-breaking member-removed'],
  ],
  [
    'method renamed on the wire',
    M('Frob'),
    M('Frobnicate'),
    ['wire-breaking member-removed', 'compatible member-added'],
    ['wire-breaking member-removed', 'compatible member-added'],
  ],
  [
    'in signature changed',
    M('Frob', IN('s')),
    M('Frob', `${IN('s')}${IN('u', 'b')}`),
    ['wire-breaking in-signature-changed'],
    ['wire-breaking in-signature-changed'],
  ],
  [
    'out signature changed',
    M('Save', OUT('ay', 'data')),
    M('Save', OUT('a(say)', 'data')),
    ['wire-breaking out-signature-changed'],
    ['wire-breaking out-signature-changed'],
  ],
  [
    'arg direction changed',
    M('Frob', `${IN('s', 'x')}${IN('u', 'y')}`),
    M('Frob', `${IN('s', 'x')}${OUT('u', 'y')}`),
    ['wire-breaking arg-direction-changed'],
    ['wire-breaking arg-direction-changed'],
  ],
  [
    'signal args changed',
    S('Changed', SA('s')),
    S('Changed', SA('(ss)')),
    ['wire-breaking signal-args-changed'],
    ['wire-breaking signal-args-changed'],
  ],
  [
    'property type changed',
    P('Level', 'u', 'read'),
    P('Level', 't', 'read'),
    ['wire-breaking property-type-changed'],
    ['wire-breaking property-type-changed'],
  ],
  [
    'access narrowed readwrite -> read',
    P('Level', 'u', 'readwrite'),
    P('Level', 'u', 'read'),
    ['wire-breaking access-narrowed'],
    ['compatible access-widened'],
  ],
  [
    'access read -> write',
    P('Level', 'u', 'read'),
    P('Level', 'u', 'write'),
    ['wire-breaking access-narrowed'],
    ['wire-breaking access-narrowed'],
  ],
  [
    'EmitsChangedSignal true -> invalidates',
    P('Level', 'u', 'read'),
    P('Level', 'u', 'read', EMITS('invalidates')),
    ['wire-breaking emits-changed-weakened'],
    ['compatible emits-changed-strengthened'],
  ],
  [
    'EmitsChangedSignal invalidates -> false',
    P('Level', 'u', 'read', EMITS('invalidates')),
    P('Level', 'u', 'read', EMITS('false')),
    ['wire-breaking emits-changed-weakened'],
    ['compatible emits-changed-strengthened'],
  ],
  [
    'EmitsChangedSignal const -> true',
    P('Level', 'u', 'read', EMITS('const')),
    P('Level', 'u', 'read'),
    ['wire-breaking emits-changed-weakened'],
    ['compatible emits-changed-strengthened'],
  ],
  [
    'EmitsChangedSignal weakened on the interface',
    `${EMITS('true')}${P('Level', 'u', 'read')}`,
    `${EMITS('false')}${P('Level', 'u', 'read')}`,
    ['wire-breaking emits-changed-weakened'],
    ['compatible emits-changed-strengthened'],
  ],
  [
    'NoReply added',
    M('Poke', IN('s')),
    M('Poke', IN('s'), NOREPLY),
    ['wire-breaking noreply-added'],
    ['compatible noreply-removed'],
  ],
  [
    'out arg of a multi-out method renamed',
    M('Get', `${OUT('s', 'name')}${OUT('u', 'size')}`),
    M('Get', `${OUT('s', 'name')}${OUT('u', 'length')}`),
    ['source-breaking arg-renamed'],
    ['source-breaking arg-renamed'],
  ],
  [
    'single out arg renamed',
    M('Save', OUT('ay', 'data')),
    M('Save', OUT('ay', 'blob')),
    ['compatible arg-renamed'],
    ['compatible arg-renamed'],
  ],
  [
    'in arg renamed',
    M('Load', IN('ay', 'data')),
    M('Load', IN('ay', 'blob')),
    ['compatible arg-renamed'],
    ['compatible arg-renamed'],
  ],
  [
    'signal arg renamed',
    S('Changed', SA('s', 'what')),
    S('Changed', SA('s', 'which')),
    ['compatible arg-renamed'],
    ['compatible arg-renamed'],
  ],
  [
    'TS name chosen by annotation',
    M('Frob'),
    `${A('org.dbus_codegen_ts.Name', 'Thing')}${M('Frob')}`,
    ['source-breaking type-names-changed'],
    ['source-breaking type-names-changed'],
  ],
  [
    'overload added before: TS name moves',
    M('Set', IN('s')),
    `${M('Set', IN('i'))}${M('Set', IN('s'))}`,
    ['compatible member-added', 'source-breaking ts-name-changed'],
    ['wire-breaking member-removed', 'source-breaking ts-name-changed'],
  ],
  [
    'method deprecated',
    M('Frob'),
    M('Frob', '', DEPRECATED),
    ['compatible deprecated'],
    ['compatible undeprecated'],
  ],
  [
    'docs changed',
    M('Frob', '', DOC('Frobs.')),
    M('Frob', '', DOC('Frobs twice.')),
    ['compatible docs-changed'],
    ['compatible docs-changed'],
  ],
  [
    'other annotation added',
    M('Frob'),
    M('Frob', '', A('org.qtproject.QtDBus.QtTypeName.Out0', 'QVariantMap')),
    ['compatible annotation-added'],
    ['compatible annotation-removed'],
  ],
  ['nothing changed', M('Frob', IN('s')), M('Frob', IN('s')), [], []],
];

describe('diff: every change kind, both directions', () => {
  it('has at least 20 rows', () => expect(TABLE.length).toBeGreaterThanOrEqual(20));
  it.each(TABLE)('%s', (_, before, after, forward, backward) => {
    expect(kinds(before, after).sort()).toEqual([...forward].sort());
    expect(kinds(after, before).sort()).toEqual([...backward].sort());
  });

  it('locates changes in the new file, removals in the old one', () => {
    const c = compareInterfaces(
      model(`${M('Save', OUT('ay', 'data'))}\n${M('Gone')}`, 'old.xml'),
      model(M('Save', OUT('a(say)', 'data')), 'new.xml'),
    ).map(
      (x) =>
        `${x.location.file}:${x.location.line}:${x.location.column}: ${x.verdict}: ${x.message}`,
    );
    expect(c).toEqual([
      'new.xml:3:1: wire-breaking: out signature of Save changed ay -> a(say)',
      'old.xml:4:1: wire-breaking: method Gone removed',
    ]);
  });

  it.each([
    ['org.qemu.VMState1', 'org.qemu.VMState2'],
    ['org.qemu.Display1.VM', 'org.qemu.Display2.VM'],
    ['org.freedesktop.NetworkManager', undefined],
    ['org.example.Thing9', 'org.example.Thing10'],
  ])('next version of %s is %s', (name, next) => {
    expect(nextVersion(name)).toBe(next);
  });
});

const CLI = join(repoRoot, 'cli/cli.ts');
// Some runs happen in a temp repo, so tsx is named by URL, not resolved from the cwd.
const TSX = pathToFileURL(join(repoRoot, 'node_modules/tsx/dist/loader.mjs')).href;
function cli(args: string[], cwd = repoRoot) {
  const r = spawnSync(process.execPath, ['--import', TSX, CLI, ...args], {
    cwd,
    encoding: 'utf8',
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const work = mkdtempSync(join(tmpdir(), 'dbus-codegen-diff-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('diff command', () => {
  const oldDir = join(work, 'old');
  const newDir = join(work, 'new');
  mkdirSync(oldDir);
  mkdirSync(newDir);
  writeFileSync(
    join(oldDir, 'org.qemu.VMState1.xml'),
    `<node>\n  <interface name="org.qemu.VMState1">\n    ${M('Save', OUT('ay', 'data'))}\n    ${P('Id', 's', 'read')}\n  </interface>\n</node>\n`,
  );
  writeFileSync(
    join(newDir, 'org.qemu.VMState1.xml'),
    `<node>\n  <interface name="org.qemu.VMState1">\n    ${M('Save', OUT('a(say)', 'data'))}\n    ${P('Id', 's', 'read')}\n    ${M('Ping')}\n  </interface>\n</node>\n`,
  );

  it('prints located lines, a summary and the version advice; --fail-on sets the exit code', () => {
    const r = cli(['diff', oldDir, newDir]);
    expect(r.err).toBe('');
    expect(r.out.replaceAll(work, 'W')).toBe(
      [
        'W/new/org.qemu.VMState1.xml:3:5: wire-breaking: out signature of Save changed ay -> a(say)',
        'W/new/org.qemu.VMState1.xml:5:5: compatible: method Ping added',
        '2 changes: 1 wire-breaking, 0 source-breaking, 1 compatible',
        'suggestion: org.qemu.VMState1: 1 wire-breaking change to a versioned interface; publish org.qemu.VMState2 and keep serving org.qemu.VMState1 for existing peers (D-Bus API design guidelines: interface versioning)',
        '',
      ].join('\n'),
    );
    expect(r.code).toBe(0);
    expect(cli(['diff', oldDir, newDir, '--fail-on', 'wire']).code).toBe(1);
    expect(cli(['diff', oldDir, newDir, '--fail-on', 'source']).code).toBe(1);
    expect(cli(['diff', oldDir, oldDir, '--fail-on', 'source']).out).toBe('no API changes\n');
    expect(cli(['diff', oldDir, newDir, '--fail-on', 'sideways']).code).toBe(2);
    expect(cli(['diff', oldDir]).code).toBe(2);
  });

  it('--json carries the same changes, counts and suggestions', () => {
    const r = cli(['diff', oldDir, newDir, '--json']);
    const j = JSON.parse(r.out) as {
      changes: { verdict: string; kind: string; member: string; line: number }[];
      summary: Record<string, number>;
      suggestions: string[];
    };
    expect(j.changes.map((c) => [c.verdict, c.kind, c.member, c.line])).toEqual([
      ['wire-breaking', 'out-signature-changed', 'Save', 3],
      ['compatible', 'member-added', 'Ping', 5],
    ]);
    expect(j.summary).toEqual({
      'wire-breaking': 1,
      'source-breaking': 0,
      compatible: 1,
      total: 2,
    });
    expect(j.suggestions).toHaveLength(1);
  });

  it('input errors are located and exit 1', () => {
    const bad = join(work, 'bad.xml');
    writeFileSync(bad, '<node><interface name="x"></node>');
    const r = cli(['diff', oldDir, bad]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/bad\.xml:1:\d+: error DBUS/);
  });

  it('--git REV compares the committed inputs with the working tree', () => {
    const repo = join(work, 'repo');
    mkdirSync(join(repo, 'interfaces'), { recursive: true });
    cpSync(join(oldDir, 'org.qemu.VMState1.xml'), join(repo, 'interfaces/org.qemu.VMState1.xml'));
    const git = (...a: string[]) =>
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...a], { cwd: repo });
    git('init', '-q');
    git('add', '.');
    git('commit', '-qm', 'one');
    cpSync(join(newDir, 'org.qemu.VMState1.xml'), join(repo, 'interfaces/org.qemu.VMState1.xml'));
    const r = cli(['diff', '--git', 'HEAD', 'interfaces'], repo);
    expect(r.out.split('\n').slice(0, 3)).toEqual([
      'interfaces/org.qemu.VMState1.xml:3:5: wire-breaking: out signature of Save changed ay -> a(say)',
      'interfaces/org.qemu.VMState1.xml:5:5: compatible: method Ping added',
      '2 changes: 1 wire-breaking, 0 source-breaking, 1 compatible',
    ]);
    // a removal is located in the committed version
    const back = cli(['diff', '--git', 'HEAD', 'interfaces'], repo);
    expect(back.code).toBe(0);
    writeFileSync(join(repo, 'interfaces/org.qemu.VMState1.xml'), '<node/>\n');
    expect(cli(['diff', '--git', 'HEAD', 'interfaces'], repo).out.split('\n')[0]).toBe(
      'HEAD:interfaces/org.qemu.VMState1.xml:2:3: wire-breaking: interface org.qemu.VMState1 removed',
    );
    expect(cli(['diff', '--git', 'no-such-rev', 'interfaces'], repo).code).toBe(2);
  });
});

describe.skipIf(!corpusPresent)('diff: the corpus KWallet versions', () => {
  const OLD = join(corpusDir, 'kwallet/org.kde.KWallet.xml');
  const NEW = join(corpusDir, 'kwallet/org.kde.nodeprecated.KWallet.xml');
  const lines = (a: string, b: string) =>
    cli(['diff', a, b]).out.replaceAll(`${corpusDir}/kwallet/`, '');

  it('org.kde.KWallet -> nodeprecated: the deprecated members go, a signal comes', () => {
    expect(lines(OLD, NEW)).toBe(
      [
        'org.kde.KWallet.xml:23:5: wire-breaking: signal walletClosed removed',
        'org.kde.KWallet.xml:162:5: wire-breaking: method readEntryList removed',
        'org.kde.KWallet.xml:178:5: wire-breaking: method readMapList removed',
        'org.kde.KWallet.xml:194:5: wire-breaking: method readPasswordList removed',
        'org.kde.nodeprecated.KWallet.xml:5:5: compatible: signal error added',
        '5 changes: 4 wire-breaking, 0 source-breaking, 1 compatible',
        '',
      ].join('\n'),
    );
  });

  it('and back', () => {
    expect(lines(NEW, OLD)).toBe(
      [
        'org.kde.KWallet.xml:23:5: compatible: signal walletClosed added',
        'org.kde.KWallet.xml:162:5: compatible: method readEntryList added',
        'org.kde.KWallet.xml:178:5: compatible: method readMapList added',
        'org.kde.KWallet.xml:194:5: compatible: method readPasswordList added',
        'org.kde.nodeprecated.KWallet.xml:5:5: wire-breaking: signal error removed',
        '5 changes: 1 wire-breaking, 0 source-breaking, 4 compatible',
        '',
      ].join('\n'),
    );
  });
});

describe('generate: one API line per rewritten module', () => {
  it('compares with the module it replaces (its embedded XML and type prefix)', async () => {
    const dir = join(work, 'gen');
    mkdirSync(dir);
    const xml = join(dir, 'org.qemu.VMState1.xml');
    cpSync(join(oldDir(), 'org.qemu.VMState1.xml'), xml);
    const run = () => generate({ inputs: [xml], outDir: join(dir, 'out'), cwd: dir });
    const first = await run();
    expect(first.apiChanges?.map((a) => a.summary)).toEqual(['new module']);
    const text = `<node>\n  <interface name="org.qemu.VMState1">\n    ${A('org.dbus_codegen_ts.Name', 'Helper')}\n    ${M('Save', OUT('a(say)', 'data'))}\n    ${P('Id', 's', 'read')}\n  </interface>\n</node>\n`;
    writeFileSync(xml, text);
    const second = await run();
    expect(second.apiChanges?.map((a) => `${a.module}: ${a.summary}`)).toEqual([
      'org.qemu.VMState1.ts: API: 1 wire-breaking, 1 source-breaking, 0 compatible (wire-breaking: out signature of Save changed ay -> a(say))',
    ]);
    expect(second.apiChanges?.[0]?.changes?.map((c) => c.message)).toContain(
      'TypeScript names of org.qemu.VMState1 change: VMState1Proxy -> HelperProxy, VMState1Skeleton -> HelperSkeleton, ...',
    );
    // unchanged output: no line
    expect((await run()).apiChanges ?? []).toEqual([]);
  });
});

function oldDir(): string {
  return join(work, 'old');
}
