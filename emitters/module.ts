/**
 * One generated module per interface: the structures of every artifact in a fixed order, and the
 * runtime imports those artifacts turned out to use.
 */
import type { ImportDeclarationStructure, StatementStructures } from 'ts-morph';
import type { Interface } from '../spec/model.js';
import { type ModuleContext, newContext, RUNTIME_MODULE } from './context.js';
import { descriptorStatement } from './descriptor.js';
import {
  propertiesInterface,
  proxyClass,
  signalsType,
  writablePropertiesInterface,
} from './proxy.js';
import {
  exportFunction,
  handlersInterface,
  propertyValuesInterface,
  skeletonClass,
} from './skeleton.js';
import { StructureKind } from './structure-kind.js';
import type { InterfaceNames } from './ts-names.js';

function imports(ctx: ModuleContext): ImportDeclarationStructure[] {
  const values = [...ctx.values].sort();
  const types = [...ctx.types].filter((t) => !ctx.values.has(t)).sort();
  const out: ImportDeclarationStructure[] = [];
  if (types.length > 0) {
    out.push({
      kind: StructureKind.ImportDeclaration,
      isTypeOnly: true,
      moduleSpecifier: RUNTIME_MODULE,
      namedImports: types,
    });
  }
  if (values.length > 0) {
    out.push({
      kind: StructureKind.ImportDeclaration,
      moduleSpecifier: RUNTIME_MODULE,
      namedImports: values,
    });
  }
  return out;
}

/** The statements of `generated/<interface>.ts`, imports first. */
export function interfaceModule(
  iface: Interface,
  names: InterfaceNames,
): (string | StatementStructures)[] {
  const ctx = newContext(iface, names);
  const body: (string | StatementStructures)[] = [
    descriptorStatement(ctx),
    propertiesInterface(ctx),
    writablePropertiesInterface(ctx),
    signalsType(ctx),
    proxyClass(ctx),
    handlersInterface(ctx),
    propertyValuesInterface(ctx),
    skeletonClass(ctx),
    exportFunction(ctx),
  ];
  return [...imports(ctx), ...body];
}
