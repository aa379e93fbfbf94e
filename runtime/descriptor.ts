/**
 * Interface descriptors: the data generated modules hand to the runtime. Wire names and
 * signatures for dispatch and validation, TypeScript names for mapping arguments to and from
 * the user's objects, and the interface's own XML for Introspect. Generated code emits these
 * as `const` literals; the runtime compiles validators from the signatures once.
 */
import type { EmitsChangedSignal, PropertyAccess } from '../spec/properties.js';

export type { PropertyAccess } from '../spec/properties.js';

/** One argument of a method or signal. */
export interface ArgDescriptor {
  /** Wire name from the XML ('' when the XML has none). */
  readonly name: string;
  /** Unique TypeScript name inside its list (escaped, deduplicated, `argN` when unnamed). */
  readonly tsName: string;
  /** A single complete type. */
  readonly type: string;
}

/** One method: wire and TypeScript names, arguments, signatures, annotations that matter at run time. */
export interface MethodDescriptor {
  readonly name: string;
  /** camelCase, unique in the interface (overloads get distinct names). */
  readonly tsName: string;
  readonly inArgs: readonly ArgDescriptor[];
  readonly outArgs: readonly ArgDescriptor[];
  readonly inSignature: string;
  readonly outSignature: string;
  /** `org.freedesktop.DBus.Method.NoReply` */
  readonly noReply?: boolean;
  readonly deprecated?: boolean;
}

/** One signal: wire and TypeScript names, arguments and signature. */
export interface SignalDescriptor {
  readonly name: string;
  readonly tsName: string;
  readonly args: readonly ArgDescriptor[];
  readonly signature: string;
  readonly deprecated?: boolean;
}

/** The runtime's name for {@link EmitsChangedSignal}. */
export type EmitsChangedSignalMode = EmitsChangedSignal;

/** One property: wire and TypeScript names, type, access and how changes are announced. */
export interface PropertyDescriptor {
  readonly name: string;
  readonly tsName: string;
  readonly type: string;
  readonly access: PropertyAccess;
  readonly emitsChangedSignal: EmitsChangedSignalMode;
  readonly deprecated?: boolean;
}

/** One interface as generated code hands it to {@link ProxyBase} and {@link SkeletonBase}. */
export interface InterfaceDescriptor {
  readonly name: string;
  readonly methods: readonly MethodDescriptor[];
  readonly signals: readonly SignalDescriptor[];
  readonly properties: readonly PropertyDescriptor[];
  readonly annotations: Readonly<Record<string, string>>;
  /** `<interface>...</interface>` as it should appear inside Introspect's `<node>`. */
  readonly xml: string;
}
