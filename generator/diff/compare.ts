/**
 * Two versions of a set of interfaces in, every API change out, each with a verdict after the
 * D-Bus API design guidelines (reference: "D-Bus API Design Guidelines", interface versioning):
 *
 * - wire-breaking: an existing peer breaks. A removed interface or member, a changed in/out
 *   signature or arg direction, changed signal args, a changed property type, property access
 *   narrowed (read or write lost), EmitsChangedSignal weakened (true -> invalidates -> false;
 *   const -> anything: the value may now change), NoReply added (callers waiting for a reply
 *   get none).
 * - source-breaking: the wire is unchanged but code using the generated TypeScript stops
 *   compiling: the module's type prefix changes (`org.dbus_codegen_ts.Name`), a method's or
 *   signal's TypeScript name changes (overload numbering), an out arg of a multi-out method is
 *   renamed (it is a key of the result object).
 * - compatible: added interfaces and members (a skeleton implementing the interface must add
 *   handlers and property values; its compiler says so), renamed in-args, signal args and single
 *   out-args (positional), widened access, strengthened EmitsChangedSignal, NoReply removed,
 *   deprecation, docs and other annotations.
 *
 * Overloaded members (one name, several signatures) are paired by signature first, then a lone
 * remaining old with a lone remaining new of that name.
 */

import {
  argNames,
  type InterfaceNames,
  NAME_ANNOTATION,
  nameInterface,
} from '../../emitters/ts-names.js';
import type {
  Annotation,
  Arg,
  EmitsChangedSignal,
  Interface,
  Location,
  Method,
  Property,
  Signal,
} from '../../spec/model.js';
import { EMITS_CHANGED, NO_REPLY } from '../build-model/annotations.js';

/**
 * How a change affects users of the interface: `wire-breaking` (old peers or old generated
 * code fail on the wire), `source-breaking` (the wire is unchanged but generated TypeScript
 * changes incompatibly), `compatible` (added members, annotations, docs).
 */
export type Verdict = 'wire-breaking' | 'source-breaking' | 'compatible';

export const VERDICTS: readonly Verdict[] = ['wire-breaking', 'source-breaking', 'compatible'];

/** One classified change between two versions of an interface, located in the XML. */
export interface ApiChange {
  readonly verdict: Verdict;
  /** Machine-readable kind, e.g. `out-signature-changed`, `member-removed`. */
  readonly kind: string;
  readonly interface: string;
  /** Wire name of the member, when the change is inside one. */
  readonly member?: string;
  /** One line, e.g. `out signature of Save changed ay -> a(say)`. */
  readonly message: string;
  /** In the new version; in the old one for removals. */
  readonly location: Location;
}

/** Annotations with a meaning of their own here; the rest are compared as plain annotations. */
const HANDLED = new Set([
  'org.freedesktop.DBus.Deprecated',
  EMITS_CHANGED,
  NO_REPLY,
  NAME_ANNOTATION,
]);

export interface CompareOptions {
  /** Compare docs too (default); off when one side has none (a generated module's XML). */
  readonly docs?: boolean;
  /** Compare plain annotations too (default); off against live introspection data. */
  readonly annotations?: boolean;
}

/** Documentation annotations: compared as docs. */
const DOCS = /^org\.gtk\.GDBus\.(DocString|Since)/;

/** Changes from `before` to `after` (each a set of interfaces), sorted by place. */
export function compareInterfaces(
  before: readonly Interface[],
  after: readonly Interface[],
  options: CompareOptions = {},
): ApiChange[] {
  const out: ApiChange[] = [];
  const withDocs = options.docs ?? true;
  const afterByName = new Map(after.map((i) => [i.name, i]));
  const beforeNames = new Set(before.map((i) => i.name));
  for (const o of before) {
    const n = afterByName.get(o.name);
    if (n === undefined) {
      out.push(change('wire-breaking', 'interface-removed', o, `interface ${o.name} removed`, o));
    } else compareInterface(o, n, out);
  }
  for (const n of after) {
    if (!beforeNames.has(n.name))
      out.push(change('compatible', 'interface-added', n, `interface ${n.name} added`, n));
  }
  const key = (c: ApiChange) => c.location;
  const skipped = new Set([
    ...(withDocs ? [] : ['docs-changed']),
    ...(options.annotations === false
      ? ['annotation-added', 'annotation-changed', 'annotation-removed']
      : []),
  ]);
  const kept = out.filter((c) => !skipped.has(c.kind));
  return kept.sort(
    (a, b) =>
      (key(a).file < key(b).file ? -1 : key(a).file > key(b).file ? 1 : 0) ||
      key(a).line - key(b).line ||
      key(a).column - key(b).column,
  );
}

type Member = Method | Signal | Property;

function change(
  verdict: Verdict,
  kind: string,
  iface: Interface,
  message: string,
  at: { readonly location: Location },
  member?: Member,
): ApiChange {
  return {
    verdict,
    kind,
    interface: iface.name,
    ...(member !== undefined ? { member: member.name } : {}),
    message,
    location: at.location,
  };
}

function compareInterface(o: Interface, n: Interface, out: ApiChange[]): void {
  const on = nameInterface(o);
  const nn = nameInterface(n);
  if (on.prefix !== nn.prefix) {
    out.push(
      change(
        'source-breaking',
        'type-names-changed',
        n,
        `TypeScript names of ${n.name} change: ${on.proxy} -> ${nn.proxy}, ${on.skeleton} -> ${nn.skeleton}, ...`,
        n,
      ),
    );
  }
  common(o, n, `interface ${n.name}`, n, undefined, out);
  for (const [a, b] of pairUp(o.methods, n.methods, (m) => m.inSignature)) {
    pairOrSingle(n, o, a, b, 'method', out, () =>
      compareMethod(n, a!, b!, { was: names(on, o, a!), now: names(nn, n, b!) }, out),
    );
  }
  for (const [a, b] of pairUp(o.signals, n.signals, (s) => s.signature)) {
    pairOrSingle(n, o, a, b, 'signal', out, () =>
      compareSignal(n, a!, b!, { was: names(on, o, a!), now: names(nn, n, b!) }, out),
    );
  }
  for (const [a, b] of pairUp(o.properties, n.properties, () => '')) {
    pairOrSingle(n, o, a, b, 'property', out, () => compareProperty(n, a!, b!, out));
  }
}

/** The TypeScript name the interface's names give `m`. */
function names(all: InterfaceNames, iface: Interface, m: Method | Signal): string {
  if (m.kind === 'method') return all.methods[iface.methods.indexOf(m)]!.tsName;
  return all.signalMembers[iface.signals.indexOf(m)]!.tsName;
}

function pairOrSingle<T extends Member>(
  n: Interface,
  o: Interface,
  a: T | undefined,
  b: T | undefined,
  what: string,
  out: ApiChange[],
  compare: () => void,
): void {
  if (a !== undefined && b !== undefined) compare();
  else if (a !== undefined)
    out.push(change('wire-breaking', 'member-removed', o, `${what} ${a.name} removed`, a, a));
  else if (b !== undefined)
    out.push(change('compatible', 'member-added', n, `${what} ${b.name} added`, b, b));
}

/** Pairs members by name, overloads by `sig`; unpaired ones come alone. */
function pairUp<T extends Member>(
  before: readonly T[],
  after: readonly T[],
  sig: (m: T) => string,
): [T | undefined, T | undefined][] {
  const pairs: [T | undefined, T | undefined][] = [];
  const names = [...new Set([...before, ...after].map((m) => m.name))];
  for (const name of names) {
    const a = before.filter((m) => m.name === name);
    const b = after.filter((m) => m.name === name);
    const restB = [...b];
    const restA: T[] = [];
    for (const x of a) {
      const i = restB.findIndex((y) => sig(y) === sig(x));
      if (i >= 0) pairs.push([x, restB.splice(i, 1)[0]!]);
      else restA.push(x);
    }
    if (restA.length === 1 && restB.length === 1) pairs.push([restA[0]!, restB[0]!]);
    else {
      for (const x of restA) pairs.push([x, undefined]);
      for (const y of restB) pairs.push([undefined, y]);
    }
  }
  return pairs;
}

/** Records one change of member `n` of `iface`, located at `n`. */
type Add = (verdict: Verdict, kind: string, message: string) => void;

function adder(iface: Interface, n: Member, out: ApiChange[]): Add {
  return (v, kind, message) => out.push(change(v, kind, iface, message, n, n));
}

/** A wire-breaking `kind` when a signature differs: "<what> changed <before> -> <after>". */
function signatureChange(add: Add, kind: string, what: string, before: string, after: string) {
  if (before !== after)
    add('wire-breaking', kind, `${what} changed ${sig(before)} -> ${sig(after)}`);
}

/** A method's or signal's TypeScript name before and after. */
interface TsNames {
  readonly was: string;
  readonly now: string;
}

function tsNameChange(add: Add, n: Method | Signal, ts: TsNames): void {
  if (ts.was !== ts.now)
    add(
      'source-breaking',
      'ts-name-changed',
      `TypeScript name of ${n.kind} ${n.name} changes ${ts.was} -> ${ts.now}`,
    );
}

function compareMethod(iface: Interface, o: Method, n: Method, ts: TsNames, out: ApiChange[]) {
  const add = adder(iface, n, out);
  const moved = directionChanges(o, n);
  if (moved.length > 0) {
    for (const m of moved) add('wire-breaking', 'arg-direction-changed', m);
  } else {
    const what = (dir: string) => `${dir} signature of ${n.name}`;
    signatureChange(add, 'in-signature-changed', what('in'), o.inSignature, n.inSignature);
    signatureChange(add, 'out-signature-changed', what('out'), o.outSignature, n.outSignature);
  }
  if (!o.noReply && n.noReply)
    add(
      'wire-breaking',
      'noreply-added',
      `${n.name} is now NoReply: callers waiting for a reply get none`,
    );
  if (o.noReply && !n.noReply)
    add('compatible', 'noreply-removed', `${n.name} is no longer NoReply`);
  tsNameChange(add, n, ts);
  if (o.inSignature === n.inSignature) renamedArgs(iface, n, o.inArgs, n.inArgs, 'in', false, out);
  if (o.outSignature === n.outSignature)
    renamedArgs(iface, n, o.outArgs, n.outArgs, 'out', n.outArgs.length > 1, out);
  common(o, n, `method ${n.name}`, iface, n, out);
}

/** Args that kept name and type but changed direction. */
function directionChanges(o: Method, n: Method): string[] {
  if (o.inSignature === n.inSignature && o.outSignature === n.outSignature) return [];
  const all = (m: Method) => [...m.inArgs, ...m.outArgs];
  const before = all(o);
  const after = all(n);
  if (before.length !== after.length) return [];
  const moved: string[] = [];
  for (const b of after) {
    const a = before.find((x) => x.name !== undefined && x.name === b.name);
    if (a === undefined || a.signature !== b.signature) return [];
    if (a.direction !== b.direction)
      moved.push(
        `direction of arg ${b.name} of ${n.name} changed ${a.direction} -> ${b.direction}`,
      );
  }
  return moved;
}

function compareSignal(iface: Interface, o: Signal, n: Signal, ts: TsNames, out: ApiChange[]) {
  const add = adder(iface, n, out);
  const what = `args of signal ${n.name}`;
  signatureChange(add, 'signal-args-changed', what, o.signature, n.signature);
  tsNameChange(add, n, ts);
  if (o.signature === n.signature) renamedArgs(iface, n, o.args, n.args, 'signal', false, out);
  common(o, n, `signal ${n.name}`, iface, n, out);
}

const READS = (a: string) => a === 'read' || a === 'readwrite';
const WRITES = (a: string) => a === 'write' || a === 'readwrite';

/** What a client may rely on, from strongest to weakest; `const` is checked apart. */
const EMITS_RANK: Record<EmitsChangedSignal, number> = {
  const: 3,
  true: 2,
  invalidates: 1,
  false: 0,
};

function compareProperty(iface: Interface, o: Property, n: Property, out: ApiChange[]): void {
  const add = adder(iface, n, out);
  // A property's type is one complete type, never empty: sig() leaves it as it is.
  const what = `type of property ${n.name}`;
  signatureChange(add, 'property-type-changed', what, o.signature, n.signature);
  if (o.access !== n.access) {
    const narrowed =
      (READS(o.access) && !READS(n.access)) || (WRITES(o.access) && !WRITES(n.access));
    add(
      narrowed ? 'wire-breaking' : 'compatible',
      narrowed ? 'access-narrowed' : 'access-widened',
      `access of property ${n.name} ${narrowed ? 'narrowed' : 'widened'} ${o.access} -> ${n.access}`,
    );
  }
  const oe = o.emitsChangedSignal;
  const ne = n.emitsChangedSignal;
  if (oe !== ne) {
    const weakened = oe === 'const' || EMITS_RANK[ne] < EMITS_RANK[oe];
    add(
      weakened ? 'wire-breaking' : 'compatible',
      weakened ? 'emits-changed-weakened' : 'emits-changed-strengthened',
      `EmitsChangedSignal of property ${n.name} ${weakened ? 'weakened' : 'strengthened'} ${oe} -> ${ne}`,
    );
  }
  common(o, n, `property ${n.name}`, iface, n, out);
}

function renamedArgs(
  iface: Interface,
  member: Method | Signal,
  o: readonly Arg[],
  n: readonly Arg[],
  dir: 'in' | 'out' | 'signal',
  keyed: boolean,
  out: ApiChange[],
): void {
  const ots = argNames(o);
  const nts = argNames(n);
  n.forEach((arg, i) => {
    const before = o[i];
    if (before === undefined || (before.name ?? '') === (arg.name ?? '')) return;
    const label = `${dir === 'signal' ? 'arg' : `${dir} arg`} ${i} of ${member.name}`;
    const was = `${before.name ?? '(unnamed)'} -> ${arg.name ?? '(unnamed)'}`;
    const breaks = keyed && ots[i] !== nts[i];
    out.push(
      change(
        breaks ? 'source-breaking' : 'compatible',
        'arg-renamed',
        iface,
        breaks
          ? `${label} renamed ${was}: a key of the result object (${ots[i]} -> ${nts[i]})`
          : `${label} renamed ${was}`,
        arg,
        member,
      ),
    );
  });
}

/** Deprecation, docs and plain annotations: always compatible. */
function common(
  o: Interface | Member,
  n: Interface | Member,
  what: string,
  iface: Interface,
  member: Member | undefined,
  out: ApiChange[],
): void {
  const add = (kind: string, message: string, at: { location: Location } = n) =>
    out.push(change('compatible', kind, iface, message, at, member));
  if (!o.deprecated && n.deprecated) add('deprecated', `${what} deprecated`);
  if (o.deprecated && !n.deprecated) add('undeprecated', `${what} no longer deprecated`);
  if (JSON.stringify(o.docs) !== JSON.stringify(n.docs))
    add('docs-changed', `docs of ${what} changed`);
  const plain = (list: readonly Annotation[]) =>
    new Map(list.filter((a) => !HANDLED.has(a.name) && !DOCS.test(a.name)).map((a) => [a.name, a]));
  const oa = plain(o.annotations);
  const na = plain(n.annotations);
  for (const [name, a] of na) {
    const was = oa.get(name);
    if (was === undefined) add('annotation-added', `annotation ${name} added to ${what}`, a);
    else if (was.value !== a.value)
      add(
        'annotation-changed',
        `annotation ${name} of ${what} changed "${was.value}" -> "${a.value}"`,
        a,
      );
  }
  for (const name of oa.keys())
    if (!na.has(name)) add('annotation-removed', `annotation ${name} removed from ${what}`);
}

/** `''` shown as `()`, so an empty signature is visible. */
function sig(s: string): string {
  return s === '' ? '()' : s;
}
