import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDocs } from '../../build/docs.js';
import { emitMarkdown } from '../../emitters/markdown.js';
import { hasErrors } from '../../generator/diagnostics.js';
import type { Interface } from '../../spec/model.js';
import { docOf } from './lint-support.js';

const GOLDEN = 'test/fixtures/docs';
const INPUTS = readdirSync('interfaces')
  .filter((f) => f === 'org.qemu.VMState1.xml' || f.startsWith('org.qemu.Display1.'))
  .map((f) => `interfaces/${f}`);

describe('docs: golden Markdown for org.qemu.VMState1 and org.qemu.Display1.*', () => {
  const built = buildDocs(INPUTS, { output: 'docs' });

  it('builds without diagnostics', () => {
    expect(built.diagnostics).toEqual([]);
    expect(hasErrors(built.diagnostics)).toBe(false);
  });

  it('matches the checked-in pages (UPDATE_GOLDEN=1 rewrites them)', () => {
    if (process.env['UPDATE_GOLDEN'] === '1') {
      mkdirSync(GOLDEN, { recursive: true });
      for (const p of built.pages) writeFileSync(join(GOLDEN, p.path), p.content);
    }
    expect(built.pages.map((p) => p.path).sort()).toEqual(readdirSync(GOLDEN).sort());
    for (const page of built.pages) {
      expect(page.content, page.path).toBe(readFileSync(join(GOLDEN, page.path), 'utf8'));
    }
  });

  it('resolves every relative link to a page and anchor of the run', () => {
    const byPath = new Map(built.pages.map((p) => [p.path, p.content]));
    for (const page of built.pages) {
      for (const m of page.content.matchAll(/\]\(([^)#\s]*)(?:#([^)\s]+))?\)/g)) {
        const target = m[1] === '' ? page.path : m[1]!;
        expect(byPath.has(target), `${page.path} links to ${target}`).toBe(true);
        if (m[2] !== undefined) {
          expect(byPath.get(target), `${page.path} -> ${target}#${m[2]}`).toContain(`id="${m[2]}"`);
        }
      }
    }
  });

  it('is byte-identical when inputs are given in another order', () => {
    const reversed = buildDocs([...INPUTS].reverse(), { output: 'docs' });
    expect(reversed.pages).toEqual(built.pages);
  });
});

function pages(xml: string): Map<string, string> {
  const interfaces: Interface[] = [];
  const walk = (n: { interfaces: readonly Interface[]; children: readonly unknown[] }) => {
    interfaces.push(...n.interfaces);
    for (const c of n.children) walk(c as typeof n);
  };
  walk(docOf(xml, 'x.xml').root);
  return new Map(emitMarkdown({ interfaces, command: 'cmd' }).map((p) => [p.path, p.content]));
}

describe('docs: rendering', () => {
  const xml = readFileSync(new URL('../fixtures/xml/docs-rendering.xml', import.meta.url), 'utf8');
  const out = pages(xml);
  const thing = out.get('com.example.Thing1.md')!;

  it('writes one page per interface and an index with summaries', () => {
    expect([...out.keys()]).toEqual(['index.md', 'com.example.Other1.md', 'com.example.Thing1.md']);
    expect(out.get('index.md')).toContain(
      '| [com.example.Other1](com.example.Other1.md) | The other one. |',
    );
  });

  it('links gtk-doc references, Sphinx roles and plain mentions; leaves code and paths alone', () => {
    expect(thing).toContain(
      'Works with [`com.example.Other1`](com.example.Other1.md) and [`com.example.Other1.Poke()`](com.example.Other1.md#method-poke); emits',
    );
    expect(thing).toContain(
      '[`com.example.Other1::Poked`](com.example.Other1.md#signal-poked) and has [`com.example.Other1:Level`](com.example.Other1.md#property-level). See also',
    );
    expect(thing).toContain(
      '[`com.example.Other1`](com.example.Other1.md), [`Level`](com.example.Other1.md#property-level),',
    );
    expect(thing).toContain(
      '[`Frob`](#method-frob) and `org.example.Missing`. Not linked: `com.example.Other1`,\n/com/example/Other1.',
    );
  });

  it('renders methods with args, NoReply, deprecation, Since and other annotations', () => {
    expect(thing).toContain('*Since: 1.4*');
    expect(thing).toContain('- `org.gtk.GDBus.C.Name` = `Thing`');
    expect(thing).toContain('```text\nFrob(in u level, out b done)\n```\n\n> **Deprecated.**');
    expect(thing).toContain(
      '| `level` | in | `u` | how hard. |\n| `done` | out | `b` | whether it worked. |',
    );
    expect(thing).toContain('No reply: the caller does not wait for an answer');
    expect(thing).toContain('Fires and forgets.');
    expect(thing).toContain('```text\nFrobbed(u level)\n```');
  });

  it('says how each property can be accessed and how its changes are announced', () => {
    expect(thing).toContain(
      '| `s` | read-only | constant: never changes while the object exists |',
    );
    expect(thing).toContain(
      '| `s` | read/write | PropertiesChanged invalidates it (re-read to get the value) |',
    );
    expect(thing).toContain('| `as` | write-only | not announced: re-read it when you need it |');
    expect(out.get('com.example.Other1.md')).toContain(
      '| `u` | read-only | PropertiesChanged carries the new value |',
    );
  });

  it('turns reST notes into blockquotes', () => {
    const p = pages(`<node><!--
      com.example.N1:
      Text.

      .. note::

         Careful
         here.
      After.
    --><interface name="com.example.N1"/></node>`);
    expect(p.get('com.example.N1.md')).toContain(
      'Text.\n\n> **Note:**\n>\n> Careful\n> here.\n\nAfter.',
    );
  });
});

describe('docs command', () => {
  it('fails with located diagnostics on bad input and writes nothing', () => {
    const r = buildDocs(['test/fixtures/docs/does-not-exist.xml'], { output: 'x' });
    expect(hasErrors(r.diagnostics)).toBe(true);
    expect(r.pages).toEqual([]);
    expect(existsSync('x')).toBe(false);
  });
});

describe('docs command writes only what changed', () => {
  it('rewrites a page only when its content changes', async () => {
    const { mkdtempSync, rmSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { writeDocs } = await import('../../build/docs.js');
    const dir = mkdtempSync(join(tmpdir(), 'dbus-docs-'));
    try {
      const xml = (doc: string) =>
        `<node><!-- com.example.D1: ${doc} --><interface name="com.example.D1"/></node>`;
      writeFileSync(join(dir, 'd.xml'), xml('First.'));
      expect(writeDocs(['d.xml'], { output: 'out' }, dir).written).toEqual([
        'index.md',
        'com.example.D1.md',
      ]);
      expect(writeDocs(['d.xml'], { output: 'out' }, dir).written).toEqual([]);
      writeFileSync(join(dir, 'd.xml'), xml('Second.'));
      expect(writeDocs(['d.xml'], { output: 'out' }, dir).written).toEqual([
        'index.md',
        'com.example.D1.md',
      ]);
      expect(readFileSync(join(dir, 'out/com.example.D1.md'), 'utf8')).toContain('Second.');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
