/**
 * What the emitters of one module share: the interface, its names, and the runtime symbols the
 * module refers to (imports follow from use, never from a fixed list).
 */

import type { Interface } from '../spec/model.js';
import type { TypeNode } from '../spec/signature.js';
import type { InterfaceNames } from './ts-names.js';
import { type Mode, newTypeUses, printType, type TypeUses } from './types.js';

/** The package specifier generated modules import the runtime from. */
export const RUNTIME_MODULE = 'dbus-codegen-ts/runtime';

export interface ModuleContext {
  readonly iface: Interface;
  readonly names: InterfaceNames;
  /** Runtime symbols used as values (classes called or extended). */
  readonly values: Set<string>;
  /** Runtime symbols used only as types. */
  readonly types: Set<string>;
  readonly uses: TypeUses;
}

export function newContext(iface: Interface, names: InterfaceNames): ModuleContext {
  return { iface, names, values: new Set(), types: new Set(), uses: newTypeUses() };
}

/** Prints a type and records the runtime symbols it needs. */
export function tsType(ctx: ModuleContext, node: TypeNode, mode: Mode): string {
  const text = printType(node, mode, ctx.uses);
  if (ctx.uses.variant) ctx.types.add('Variant');
  if (ctx.uses.unixFd) ctx.types.add('UnixFd');
  return text;
}

/** A runtime symbol used in a type position. */
export function useType(ctx: ModuleContext, name: string): string {
  ctx.types.add(name);
  return name;
}

/** A runtime symbol used as a value. */
export function useValue(ctx: ModuleContext, name: string): string {
  ctx.values.add(name);
  return name;
}
