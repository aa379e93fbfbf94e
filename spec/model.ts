/**
 * The checked model: what the XML says, once every rule holds. Immutable, `kind`-tagged,
 * wire names only (TypeScript names live in `emitters/ts-names.ts`, never here). Nothing enters the
 * model unless `check.ts` accepted it, so emitters never re-check.
 */

import type { EmitsChangedSignal, PropertyAccess } from './properties.js';
import type { TypeNode } from './signature.js';

/** A place in an input file: 1-based line and column. */
export interface Location {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** Documentation carried from the XML. */
export interface Docs {
  /** Free text (from a gtk-doc comment, `org.gtk.GDBus.DocString`, `doc:`/`tp:` elements). */
  readonly text?: string;
  /** `org.gtk.GDBus.DocString.Short` or the comment's first line. */
  readonly summary?: string;
  /** `@since:` or `org.gtk.GDBus.Since`. */
  readonly since?: string;
}

/** An `<annotation>`, as written. */
export interface Annotation {
  readonly kind: 'annotation';
  readonly name: string;
  readonly value: string;
  readonly location: Location;
}

/** What every declared element (interface, member, argument) carries from the XML. */
export interface Declared {
  readonly docs: Docs;
  readonly annotations: readonly Annotation[];
  readonly location: Location;
}

/** An interface or one of its members: a wire name, and `org.freedesktop.DBus.Deprecated`. */
export interface DeclaredMember extends Declared {
  readonly name: string;
  readonly deprecated: boolean;
}

/** An argument or property: one complete type, as written and parsed. */
export interface Typed {
  readonly signature: string;
  readonly type: TypeNode;
}

/** Direction of a method argument. */
export type Direction = 'in' | 'out';

/** A method or signal argument. */
export interface Arg extends Declared, Typed {
  readonly kind: 'arg';
  /** The wire name, or undefined when the XML has none (emitters/ts-names.ts synthesises `argN`). */
  readonly name: string | undefined;
  readonly direction: Direction;
}

/** A method of the checked model. */
export interface Method extends DeclaredMember {
  readonly kind: 'method';
  readonly inArgs: readonly Arg[];
  readonly outArgs: readonly Arg[];
  /** Joined in-args signature. */
  readonly inSignature: string;
  /** Joined out-args signature. */
  readonly outSignature: string;
  /** `org.freedesktop.DBus.Method.NoReply` = true */
  readonly noReply: boolean;
}

/** A signal of the checked model. */
export interface Signal extends DeclaredMember {
  readonly kind: 'signal';
  readonly args: readonly Arg[];
  readonly signature: string;
}

export type { EmitsChangedSignal } from './properties.js';
/** A property's `access` (the model's name for {@link PropertyAccess}). */
export type Access = PropertyAccess;

/** A property of the checked model. */
export interface Property extends DeclaredMember, Typed {
  readonly kind: 'property';
  readonly access: Access;
  /** Effective value: the property's annotation, else the interface's, else 'true'. */
  readonly emitsChangedSignal: EmitsChangedSignal;
}

/** An interface of the checked model, with its canonical XML. */
export interface Interface extends DeclaredMember {
  readonly kind: 'interface';
  readonly methods: readonly Method[];
  readonly signals: readonly Signal[];
  readonly properties: readonly Property[];
  /** The interface's own XML (a `<node>` holding just this interface), for Introspect. */
  readonly xml: string;
}

/** A `<node>` of an input document: its path (when known), interfaces and children. */
export interface Node {
  readonly kind: 'node';
  /** As written (absolute for a root, relative for a child), or undefined. */
  readonly name: string | undefined;
  /** The absolute object path when it can be known (root with a name, or children of one). */
  readonly path: string | undefined;
  readonly interfaces: readonly Interface[];
  readonly children: readonly Node[];
  readonly location: Location;
}

/** One input file, checked. */
export interface Document {
  readonly kind: 'document';
  readonly file: string;
  readonly root: Node;
}

/** Any element of the model, by `kind`. */
export type ModelElement =
  | Document
  | Node
  | Interface
  | Method
  | Signal
  | Property
  | Arg
  | Annotation;
