/**
 * The values of ts-morph's `StructureKind` that the emitters build structures with, without
 * loading ts-morph (it loads the whole TypeScript compiler): the fast printer
 * (emitters/print/structures.ts) needs no ts-morph at all. test/unit/fast-printer.test.ts checks
 * every value against ts-morph's enum.
 */
import type { StructureKind as Kind } from 'ts-morph';

export const StructureKind = {
  Class: 2 as Kind.Class,
  Constructor: 5 as Kind.Constructor,
  ExportDeclaration: 11 as Kind.ExportDeclaration,
  Function: 13 as Kind.Function,
  ImportDeclaration: 16 as Kind.ImportDeclaration,
  Interface: 19 as Kind.Interface,
  Method: 26 as Kind.Method,
  MethodSignature: 28 as Kind.MethodSignature,
  Parameter: 30 as Kind.Parameter,
  PropertySignature: 33 as Kind.PropertySignature,
} as const;
