/**
 * The fast printer (emitters/print/structures.ts) against ts-morph's structure printer, the
 * printer of record: the same bytes for every module of interfaces/, the type fixtures and the
 * whole corpus (skipped with a printed reason when ../shared/corpus is absent), and for random
 * structures of the subset it covers; anything outside that subset is refused (undefined), never
 * printed differently. The structure kinds it uses without loading ts-morph match ts-morph's.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { StructureKind as TsMorphKind } from 'ts-morph';
import { describe, expect, it } from 'vitest';
import {
  type EmitInput,
  emitModules,
  printDirect,
  printerFromEnv,
  printFast,
} from '../../emitters/index.js';
import { indexModule } from '../../emitters/index-module.js';
import { interfaceModule } from '../../emitters/module.js';
import { StructureKind } from '../../emitters/structure-kind.js';
import { nameInterfaces } from '../../emitters/ts-names.js';
import { check } from '../../generator/check.js';
import type { Code } from '../../generator/diagnostics.js';
import type { Interface } from '../../spec/model.js';
import { corpusCases, corpusDir, corpusPresent, repoRoot } from '../support/corpus.js';
import { structures } from './fast-printer-arbitraries.js';

interface Run {
  readonly files: readonly string[];
  readonly defines?: Record<string, string>;
  readonly relax?: Code[];
}

function interfacesOf(run: Run): Interface[] {
  const sources = run.files.map((file) => ({ file, text: readFileSync(file, 'utf8') }));
  const result = check(sources, { defines: run.defines ?? {}, relax: run.relax ?? [] });
  expect(result.interfaces.length).toBeGreaterThan(0);
  return result.interfaces.map((i) => i.iface);
}

/** Every module of a run (and its index) whose two printings differ, by name. */
function differences(run: Run): string[] {
  const interfaces = interfacesOf(run);
  const names = nameInterfaces(interfaces);
  const modules = interfaces.map((i) => ({
    name: i.name,
    statements: interfaceModule(i, names.get(i.name)!),
  }));
  const entries = interfaces.map((i) => ({
    module: names.get(i.name)!.module,
    prefix: names.get(i.name)!.prefix,
  }));
  modules.push({ name: 'index.ts', statements: indexModule(entries) });
  return modules
    .filter((m) => {
      const direct = printDirect(m.statements);
      expect(direct).toBeDefined();
      return printFast(m.statements) !== direct;
    })
    .map((m) => m.name);
}

const xmlIn = (dir: string): string[] =>
  readdirSync(join(repoRoot, dir))
    .filter((f) => f.endsWith('.xml'))
    .sort()
    .map((f) => join(repoRoot, dir, f));

describe('the fast printer', () => {
  it('uses the structure kinds of the installed ts-morph', () => {
    for (const [name, value] of Object.entries(StructureKind)) {
      expect([name, value]).toEqual([name, TsMorphKind[name as keyof typeof TsMorphKind]]);
    }
  });

  it('prints every module of interfaces/ as ts-morph does', () => {
    expect(differences({ files: xmlIn('interfaces') })).toEqual([]);
  });

  it('prints the type fixtures as ts-morph does', () => {
    expect(differences({ files: xmlIn('test/types/fixtures') })).toEqual([]);
  });

  it('gives the same files through emitModules as the ts-morph printer', () => {
    const input: EmitInput = {
      interfaces: interfacesOf({ files: xmlIn('interfaces') }),
      command: 'dbus-codegen-ts generate interfaces/*.xml -o generated',
      fingerprintLine: '// dbus-codegen-ts fingerprint: pending',
    };
    const fast = emitModules({ ...input, printer: 'fast' });
    expect(fast.length).toBeGreaterThan(10);
    expect(fast).toEqual(emitModules({ ...input, printer: 'ts-morph' }));
  });

  it('prints random structures of its subset as ts-morph does, or refuses them', () => {
    let printed = 0;
    fc.assert(
      fc.property(structures, (statements) => {
        const fast = printFast(statements);
        if (fast === undefined) return;
        printed++;
        expect(fast).toBe(printDirect(statements));
      }),
      { numRuns: 400 },
    );
    // the generator mostly stays inside the subset, so the comparison is not vacuous
    expect(printed).toBeGreaterThan(100);
  });

  it('refuses what it does not cover (ts-morph prints it)', () => {
    const refused = [
      [{ kind: StructureKind.Class, name: 'A', isAbstract: true }],
      [{ kind: StructureKind.Interface, name: 'A', docs: [{ description: 'x' }] }],
      [{ kind: StructureKind.Interface, name: 'A', docs: [''] }],
      [{ kind: TsMorphKind.TypeAlias, name: 'A', type: 'string' }],
      [{ kind: StructureKind.Function, name: 'f', parameters: [{ name: 'a', type: 'A /* c */' }] }],
      [{ kind: StructureKind.Function, name: 'f', parameters: [{ name: 'a', type: 'Ä' }] }],
      [{ kind: StructureKind.Function, name: 'f', parameters: [{ name: 'a', scope: 'public' }] }],
      [{ kind: StructureKind.Function, name: 'f', statements: [() => undefined] }],
      [
        {
          kind: StructureKind.ImportDeclaration,
          moduleSpecifier: 'm',
          namedImports: [{ name: 'a' }],
        },
      ],
      [{ kind: StructureKind.Class, methods: [{ name: 'm', statements: [{ kind: 2 }] }] }],
    ];
    for (const statements of refused) {
      expect(printFast(statements as never), JSON.stringify(statements)).toBeUndefined();
      expect(printDirect(statements as never)).toEqual(expect.any(String));
    }
  });
});

describe('printerFromEnv', () => {
  it('reads DBUS_CODEGEN_TS_PRINTER', () => {
    expect(printerFromEnv({})).toBe('fast');
    expect(printerFromEnv({ DBUS_CODEGEN_TS_PRINTER: '' })).toBe('fast');
    expect(printerFromEnv({ DBUS_CODEGEN_TS_PRINTER: 'fast' })).toBe('fast');
    expect(printerFromEnv({ DBUS_CODEGEN_TS_PRINTER: 'ts-morph' })).toBe('ts-morph');
    expect(() => printerFromEnv({ DBUS_CODEGEN_TS_PRINTER: 'tsmorph' })).toThrow(
      'DBUS_CODEGEN_TS_PRINTER must be "fast" or "ts-morph", not "tsmorph"',
    );
  });
});

if (!corpusPresent)
  console.log(`fast printer corpus test skipped: ${corpusDir} is absent (CI checkout only)`);

describe.skipIf(!corpusPresent)('the fast printer on the corpus', () => {
  it('prints every module of every well-formed corpus file as ts-morph does', () => {
    const cases = corpusCases().filter((c) => !c.malformed);
    expect(cases.length).toBeGreaterThanOrEqual(306);
    const differing = cases.flatMap((c) =>
      differences({ files: [join(corpusDir, c.file)], defines: c.defines, relax: c.relax }).map(
        (m) => `${c.file}: ${m}`,
      ),
    );
    expect(differing).toEqual([]);
  }, 120_000);
});
