/**
 * Annotation overlays: add or change annotations without editing third-party XML, with
 * gdbus-codegen's `--annotate WHAT KEY VALUE` semantics. WHAT is one of
 *
 * | target                    | annotates                 |
 * |---------------------------|---------------------------|
 * | `org.Iface`               | the interface             |
 * | `org.Iface.Method()`      | a method                  |
 * | `org.Iface.Method()[arg]` | an argument of a method   |
 * | `org.Iface::Signal`       | a signal                  |
 * | `org.Iface::Signal[arg]`  | an argument of a signal   |
 * | `org.Iface:Property`      | a property                |
 *
 * Overlays are applied to the raw parse tree, before any check, so an override such as
 * `org.freedesktop.DBus.Property.EmitsChangedSignal` is validated like one written in the XML
 * (and its diagnostics point at the overlay entry). A target that matches nothing in the run
 * is a located error (DBUS070), never silently ignored.
 */

import type { Location } from '../spec/model.js';
import type { Diagnostics } from './diagnostics.js';
import type { RawElement } from './parse/raw.js';

/** One `--annotate` / overlay-file entry: an annotation to set on a target element. */
export interface AnnotationOverride {
  /** gdbus-codegen `WHAT` syntax (table above). */
  readonly target: string;
  /** Annotation name, e.g. `org.freedesktop.DBus.Deprecated`. */
  readonly name: string;
  readonly value: string;
  /** Where the override was written: the overlay file entry or `<command line>`. Default: `<options>:1:1`. */
  readonly location?: Location;
}

/** The element an override applies to: an interface, or one of its members or arguments. */
export type Target =
  | { readonly kind: 'interface'; readonly iface: string }
  | {
      readonly kind: 'method';
      readonly iface: string;
      readonly member: string;
      readonly arg?: string;
    }
  | {
      readonly kind: 'signal';
      readonly iface: string;
      readonly member: string;
      readonly arg?: string;
    }
  | { readonly kind: 'property'; readonly iface: string; readonly member: string };

const OPTIONS: Location = { file: '<options>', line: 1, column: 1 };
const NAME = '[A-Za-z0-9_.-]+';
const MEMBER = '[A-Za-z0-9_-]+';
const METHOD_RE = new RegExp(`^(${NAME})\\.(${MEMBER})\\(\\)(?:\\[(${MEMBER})\\])?$`);
const SIGNAL_RE = new RegExp(`^(${NAME})::(${MEMBER})(?:\\[(${MEMBER})\\])?$`);
const PROPERTY_RE = new RegExp(`^(${NAME}):(${MEMBER})$`);
const IFACE_RE = new RegExp(`^(${NAME})$`);

/** Parses a WHAT string; undefined when it has none of the six shapes. */
export function parseTarget(what: string): Target | undefined {
  let m = METHOD_RE.exec(what);
  if (m) return withArg({ kind: 'method', iface: m[1]!, member: m[2]! }, m[3]);
  m = SIGNAL_RE.exec(what);
  if (m) return withArg({ kind: 'signal', iface: m[1]!, member: m[2]! }, m[3]);
  m = PROPERTY_RE.exec(what);
  if (m) return { kind: 'property', iface: m[1]!, member: m[2]! };
  m = IFACE_RE.exec(what);
  if (m && !what.startsWith('.') && !what.endsWith('.')) return { kind: 'interface', iface: m[1]! };
  return undefined;
}

function withArg<T extends { kind: 'method' | 'signal' }>(t: T, arg: string | undefined): T {
  return arg === undefined ? t : { ...t, arg };
}

export interface OverlayInput {
  readonly file: string;
  readonly root: RawElement;
}

/**
 * Applies every override to every matching place in `inputs` (an interface given in two files
 * is annotated in both). Returns new trees; the inputs are not modified.
 */
export function applyOverlay<T extends OverlayInput>(
  inputs: readonly T[],
  overrides: readonly AnnotationOverride[],
  diags: Diagnostics,
): T[] {
  let out = [...inputs];
  for (const given of overrides) {
    const o = { ...given, location: given.location ?? OPTIONS };
    const target = parseTarget(o.target);
    if (target === undefined) {
      diags.error(
        'DBUS071',
        `malformed annotate target "${o.target}": expected org.Iface, org.Iface.Method(), org.Iface.Method()[arg], org.Iface::Signal, org.Iface::Signal[arg] or org.Iface:Property`,
        o.location,
      );
      continue;
    }
    const misses: string[] = [];
    let hits = 0;
    out = out.map((input) => {
      const root = rewrite(input.root, (iface) => {
        if (iface.attrs['name'] !== target.iface) return iface;
        const r = annotateInterface(iface, target, o);
        if (typeof r === 'string') misses.push(r);
        else hits++;
        return typeof r === 'string' ? iface : r;
      });
      return root === input.root ? input : { ...input, root };
    });
    if (hits === 0) {
      const why = misses[0] ?? `no interface "${target.iface}" in the inputs`;
      diags.error('DBUS070', `annotate target "${o.target}" matches nothing: ${why}`, o.location);
    }
  }
  return out;
}

/** Rebuilds the tree, passing every `<interface>` through `f` (nested nodes included). */
function rewrite(el: RawElement, f: (iface: RawElement) => RawElement): RawElement {
  if (el.name === 'interface') return f(el);
  let changed = false;
  const content = el.content.map((c) => {
    if (typeof c === 'string') return c;
    const n = rewrite(c, f);
    if (n !== c) changed = true;
    return n;
  });
  return changed ? withContent(el, content) : el;
}

function withContent(el: RawElement, content: readonly (RawElement | string)[]): RawElement {
  return {
    ...el,
    content,
    children: content.filter((c): c is RawElement => typeof c !== 'string'),
  };
}

/** Returns the annotated interface, or a reason why the target is not in it. */
function annotateInterface(
  iface: RawElement,
  target: Target,
  o: Required<AnnotationOverride>,
): RawElement | string {
  if (target.kind === 'interface') return setAnnotation(iface, o);
  const tag = target.kind;
  const member = iface.children.find((c) => c.name === tag && c.attrs['name'] === target.member);
  if (member === undefined) {
    const have = iface.children.filter((c) => c.name === tag).map((c) => c.attrs['name']);
    return `interface "${target.iface}" has no ${tag} "${target.member}"${have.length ? ` (it has: ${have.join(', ')})` : ''}`;
  }
  let annotated: RawElement;
  if (target.kind !== 'property' && target.arg !== undefined) {
    const argName = target.arg;
    const arg = member.children.find((c) => c.name === 'arg' && c.attrs['name'] === argName);
    if (arg === undefined) {
      const have = member.children.filter((c) => c.name === 'arg').map((c) => c.attrs['name']);
      return `${tag} "${target.member}" has no argument "${argName}"${have.length ? ` (it has: ${have.join(', ')})` : ''}`;
    }
    annotated = replaceChild(member, arg, setAnnotation(arg, o));
  } else {
    annotated = setAnnotation(member, o);
  }
  return replaceChild(iface, member, annotated);
}

function replaceChild(parent: RawElement, old: RawElement, next: RawElement): RawElement {
  return withContent(
    parent,
    parent.content.map((c) => (c === old ? next : c)),
  );
}

/** Replaces an annotation of the same name in place, or appends a new one. */
function setAnnotation(el: RawElement, o: Required<AnnotationOverride>): RawElement {
  const annotation: RawElement = {
    name: 'annotation',
    attrs: { name: o.name, value: o.value },
    children: [],
    content: [],
    comment: undefined,
    location: o.location,
  };
  const existing = el.children.find((c) => c.name === 'annotation' && c.attrs['name'] === o.name);
  if (existing !== undefined) return replaceChild(el, existing, annotation);
  return withContent(el, [...el.content, annotation]);
}
