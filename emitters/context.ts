/**
 * What the emitters of one module share: the interface, its names, and the runtime symbols the
 * module refers to (imports follow from use, never from a fixed list).
 */

import type { Arg, Interface, Method, Property, Signal } from '../spec/model.js';
import type { TypeNode } from '../spec/signature.js';
import { type InterfaceNames, type MethodNames, type SignalNames, zipNames } from './ts-names.js';
import { type Mode, newTypeUses, printType, type TypeUses } from './types.js';

/** The package specifier generated modules import the runtime from. */
export const RUNTIME_MODULE = 'dbus-codegen-ts/runtime';

/** An arg with its TS name. */
export interface NamedArg {
  readonly arg: Arg;
  readonly tsName: string;
}

/** A method with its TS names; `index` is its place in the descriptor's method list. */
export interface NamedMethod extends Omit<MethodNames, 'inArgs' | 'outArgs'> {
  readonly method: Method;
  readonly index: number;
  readonly inArgs: readonly NamedArg[];
  readonly outArgs: readonly NamedArg[];
}

/** A signal with its TS names; `index` is its place in the descriptor's signal list. */
export interface NamedSignal extends Omit<SignalNames, 'args'> {
  readonly signal: Signal;
  readonly index: number;
  readonly args: readonly NamedArg[];
}

/** A property with its TS name. */
export type NamedProperty = { readonly property: Property; readonly tsName: string };

export interface ModuleContext {
  readonly iface: Interface;
  readonly names: InterfaceNames;
  /** The interface's members in document order, each with its names (zipped once, here). */
  readonly methods: readonly NamedMethod[];
  readonly signals: readonly NamedSignal[];
  readonly properties: readonly NamedProperty[];
  /** Runtime symbols used as values (classes called or extended). */
  readonly values: Set<string>;
  /** Runtime symbols used only as types. */
  readonly types: Set<string>;
  readonly uses: TypeUses;
}

function namedArgs(args: readonly Arg[], tsNames: readonly string[]): NamedArg[] {
  return zipNames(args, tsNames).map(([arg, tsName]) => ({ arg, tsName }));
}

export function newContext(iface: Interface, names: InterfaceNames): ModuleContext {
  const methods = zipNames(iface.methods, names.methods).map(
    ([method, n]: [Method, MethodNames], index) => ({
      method,
      index,
      tsName: n.tsName,
      inArgs: namedArgs(method.inArgs, n.inArgs),
      outArgs: namedArgs(method.outArgs, n.outArgs),
    }),
  );
  const signals = zipNames(iface.signals, names.signalMembers).map(
    ([signal, n]: [Signal, SignalNames], index) => ({
      signal,
      index,
      tsName: n.tsName,
      emitter: n.emitter,
      args: namedArgs(signal.args, n.args),
    }),
  );
  const properties = zipNames(iface.properties, names.propertyMembers).map(
    ([property, tsName]) => ({ property, tsName }),
  );
  return {
    iface,
    names,
    methods,
    signals,
    properties,
    values: new Set(),
    types: new Set(),
    uses: newTypeUses(),
  };
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
