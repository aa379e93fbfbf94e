/**
 * `generated/index.ts`: re-exports every interface module. Module names are per interface
 * (ts-names.ts), so two modules may export the same name (`org.bluez.Device1` and
 * `org.example.Device1` both export `Device1Proxy`). Those modules are re-exported as
 * namespaces named after the whole interface (`export * as OrgBluezDevice1 from ...`), so the
 * index always type-checks; every other module keeps its flat `export *`. Import from the
 * module file itself for names that never depend on the rest of the run.
 */
import type { ExportDeclarationStructure } from 'ts-morph';
import { StructureKind } from './structure-kind.js';
import { exportedNames, pascalCase } from './ts-names.js';

export interface IndexEntry {
  /** Module file name without extension (the interface's wire name). */
  readonly module: string;
  /** The module's type prefix. */
  readonly prefix: string;
}

/** Module -> namespace for modules whose exported names clash with another module's. */
export function indexNamespaces(entries: readonly IndexEntry[]): Map<string, string> {
  const sorted = [...entries].sort((a, b) => (a.module < b.module ? -1 : 1));
  const owners = new Map<string, number>();
  for (const e of sorted) {
    for (const n of exportedNames(e.prefix)) owners.set(n, (owners.get(n) ?? 0) + 1);
  }
  const clashing = (e: IndexEntry) => exportedNames(e.prefix).some((n) => owners.get(n)! > 1);
  const flat = new Set(sorted.filter((e) => !clashing(e)).flatMap((e) => exportedNames(e.prefix)));
  const out = new Map<string, string>();
  for (const e of sorted.filter(clashing)) {
    const base = pascalCase(e.module.split('.').join('_'));
    let ns = base;
    for (let i = 2; flat.has(ns); i++) ns = `${base}_${i}`;
    flat.add(ns);
    out.set(e.module, ns);
  }
  return out;
}

export function indexModule(entries: readonly IndexEntry[]): ExportDeclarationStructure[] {
  const namespaces = indexNamespaces(entries);
  return [...entries]
    .sort((a, b) => (a.module < b.module ? -1 : 1))
    .map((e) => {
      const ns = namespaces.get(e.module);
      return {
        kind: StructureKind.ExportDeclaration,
        moduleSpecifier: `./${e.module}.js`,
        ...(ns !== undefined ? { namespaceExport: ns } : {}),
      };
    });
}
