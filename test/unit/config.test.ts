import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONFIG_DEFAULTS, expandInputs, loadConfig } from '../../build/config.js';
import { Diagnostics, formatDiagnostic } from '../../generator/diagnostics.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dbus-config-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** `Default: ...` of each ProjectConfig key in its TSDoc, by path (`lint.strict`), as JSON. */
function documentedDefaults(): Map<string, unknown> {
  const src = readFileSync(join(import.meta.dirname, '../../build/config.ts'), 'utf8');
  const start = src.indexOf('export interface ProjectConfig {');
  const body = src.slice(start, src.indexOf('\n}\n', start)).split('\n').slice(1);
  const out = new Map<string, unknown>();
  const nesting: string[] = [];
  let value: string | undefined;
  for (const line of body) {
    value = /Default: `([^`]*)`/.exec(line)?.[1] ?? value;
    const open = /^\s*readonly (\w+): \{$/.exec(line);
    const key = /^\s*readonly (\w+)\??:/.exec(line);
    if (open) nesting.push(open[1]!);
    else if (/^\s*\};$/.test(line)) nesting.pop();
    else if (key && value !== undefined) out.set([...nesting, key[1]].join('.'), JSON.parse(value));
    if (key) value = undefined;
  }
  return out;
}

function load(text: string) {
  writeFileSync(join(dir, 'dbus-codegen.config.json'), text);
  const diags = new Diagnostics();
  const config = loadConfig(dir, diags);
  const shown = relative(process.cwd(), join(dir, 'dbus-codegen.config.json'));
  return {
    config,
    diags: diags.items.map(formatDiagnostic).map((l) => l.replace(shown, 'CONFIG')),
  };
}

describe('loadConfig', () => {
  it('gives the documented defaults when there is no file', () => {
    const diags = new Diagnostics();
    expect(loadConfig(dir, diags)).toBe(CONFIG_DEFAULTS);
    // Each default is the one ProjectConfig's TSDoc states (`Default: ...`), for all 12 keys.
    const documented = documentedDefaults();
    expect([...documented.keys()]).toHaveLength(12);
    for (const [key, value] of documented) {
      const actual = key
        .split('.')
        .reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], CONFIG_DEFAULTS);
      expect(actual, key).toEqual(value);
    }
    expect(diags.items).toEqual([]);
  });

  it('reads every key, keeping defaults for the rest', () => {
    const { config, diags } = load(`{
  "$schema": "x",
  "inputs": ["interfaces/*.xml"],
  "outDir": "src/generated",
  "defines": { "HOST_OS": "linux" },
  "overlays": ["overlay.json"],
  "annotations": [{ "target": "a.B1", "name": "k", "value": "v" }],
  "lint": { "strict": true, "owners": ["com.example"], "busNames": ["com.example.Helper1"] },
  "docs": { "outDir": "docs/dbus" }
}`);
    expect(diags).toEqual([]);
    expect(config).toMatchObject({
      inputs: ['interfaces/*.xml'],
      outDir: 'src/generated',
      defines: { HOST_OS: 'linux' },
      overlays: ['overlay.json'],
      annotations: [{ target: 'a.B1', name: 'k', value: 'v', location: { line: 7, column: 19 } }],
      relax: [],
      lint: {
        strict: true,
        owners: ['com.example'],
        busNames: ['com.example.Helper1'],
        disable: [],
      },
      docs: { outDir: 'docs/dbus', title: 'D-Bus interfaces' },
    });
    expect(config.busNamesLocation).toMatchObject({ line: 8, column: 56 });
  });

  it('refuses unknown keys, at their place, suggesting the right spelling', () => {
    const { config, diags } = load(`{\n  "outdir": "x",\n  "lint": { "strictt": true }\n}`);
    expect(diags).toEqual([
      'CONFIG:2:3: error DBUS081: unknown config key "outdir" (did you mean "outDir"?); known keys: inputs, outDir, defines, overlays, annotations, relax, lint, docs',
      'CONFIG:3:13: error DBUS081: unknown config key "lint.strictt"; known keys: lint.strict, lint.owners, lint.busNames, lint.disable',
    ]);
    expect(config.outDir).toBe('generated');
  });

  it('refuses values of the wrong type and malformed JSON', () => {
    expect(load(`{ "inputs": "a.xml", "lint": { "strict": "yes" } }`).diags).toEqual([
      'CONFIG:1:13: error DBUS082: config key "inputs" must be an array of strings',
      'CONFIG:1:42: error DBUS082: config key "lint.strict" must be true or false',
    ]);
    expect(load(`{ "inputs": [\n  "a.xml",\n] }`).diags).toEqual([
      'CONFIG:3:1: error DBUS080: invalid JSON: unexpected "]"',
    ]);
    expect(load(`[]`).diags).toEqual([
      'CONFIG:1:1: error DBUS080: the config file must hold one JSON object',
    ]);
  });
});

describe('expandInputs', () => {
  beforeEach(() => {
    mkdirSync(join(dir, 'interfaces/sub'), { recursive: true });
    for (const f of [
      'interfaces/b.xml',
      'interfaces/a.xml',
      'interfaces/notes.txt',
      'interfaces/sub/c.xml',
    ]) {
      writeFileSync(join(dir, f), '<node/>');
    }
  });
  const at = { file: 'cfg', line: 1, column: 1 };

  it('expands globs, directories and plain files, sorted and unique', () => {
    const diags = new Diagnostics();
    expect(expandInputs(['interfaces/*.xml'], dir, diags, at)).toEqual([
      'interfaces/a.xml',
      'interfaces/b.xml',
    ]);
    expect(expandInputs(['./interfaces/**/*.xml', 'interfaces/a.xml'], dir, diags, at)).toEqual([
      'interfaces/a.xml',
      'interfaces/b.xml',
      'interfaces/sub/c.xml',
    ]);
    expect(expandInputs(['interfaces'], dir, diags, at)).toEqual([
      'interfaces/a.xml',
      'interfaces/b.xml',
    ]);
    expect(diags.items).toEqual([]);
  });

  it('reports a pattern that matches nothing', () => {
    const diags = new Diagnostics();
    expandInputs(['idl/*.xml'], dir, diags, at);
    expect(diags.items.map(formatDiagnostic)).toEqual([
      'cfg:1:1: error DBUS090: input pattern "idl/*.xml" matches no files',
    ]);
  });
});
