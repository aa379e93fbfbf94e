/** `generated/index.ts`: re-exports every interface module (names are unique per run, see names.ts). */
import type { ExportDeclarationStructure } from 'ts-morph';
import { StructureKind } from './ts-morph.js';

export function indexModule(moduleNames: readonly string[]): ExportDeclarationStructure[] {
  return [...moduleNames].sort().map((m) => ({
    kind: StructureKind.ExportDeclaration,
    moduleSpecifier: `./${m}.js`,
  }));
}
