/**
 * The one place where wire names become TypeScript names. Everything is deterministic: the same
 * model gives the same names on every run, and clashes are resolved by fixed rules, never by
 * iteration order of a hash map.
 *
 * Rules (each has a row in test/unit/names.test.ts):
 * - members (methods, signals, properties, args) are camelCase: underscores (and hyphens,
 *   which some real XML has in property names) split words, the
 *   leading capital run is lowered (`UUID` -> `uuid`, `HTTPServer` -> `httpServer`,
 *   `GetNameOwner` -> `getNameOwner`, `interface_name` -> `interfaceName`); digits are kept.
 * - type names are PascalCase from the interface's last name element (`org.qemu.VMState1` ->
 *   `VMState1`, `fi.w1.wpa_supplicant1` -> `WpaSupplicant1`), or the value of the interface's
 *   `org.dbus_codegen_ts.Name` annotation (in the XML or from an overlay/`--annotate`), which
 *   must itself be a PascalCase identifier. A module's names depend on its own interface only,
 *   never on what else is generated: `org.bluez.Device1` and `org.example.Device1` both give
 *   `Device1Proxy`, each in its own module; generated/index.ts re-exports such modules as
 *   namespaces instead (index-module.ts), and an annotation picks a distinct name.
 * - bindings (parameters, tuple labels) that are JS/TS reserved words, or that would shadow the
 *   generated code's own parameters (`options`, `ctx`), get a trailing `_` (`class` -> `class_`).
 *   Member names may legally be reserved words (`proxy.delete()`), so those stay; members that
 *   would override the runtime base classes (`get`, `path`, `connection`...), Object.prototype
 *   (`toString`) or make a proxy thenable (`then`) get the trailing `_` instead.
 * - duplicates inside one list are numbered in document order: `bar`, `bar` -> `bar`, `bar2`
 *   (a number that is already taken is skipped; after a digit with `_`: `arg1`, `arg1_2`). Unnamed args are `arg0`, `arg1`... by position
 *   in their list (in-args and out-args are separate lists).
 * - overloads (one method name, several in-signatures, as in KDE's kglobalaccel): the first in
 *   document order keeps the plain name, the others are numbered like duplicates (`setShortcut`,
 *   `setShortcut2`); names that exist without a clash are reserved first, so a real method
 *   `SetShortcut2` keeps its name and the overload moves on to `setShortcut3`.
 * - a method and a signal with the same wire name (login1 `Lock`) need nothing: methods are
 *   class members, signals are keys of the signal map, properties are keys of the property map.
 */
import type { Arg, Interface } from '../spec/model.js';

const words = (text: string): string[] => text.trim().split(/\s+/);

/** Words that cannot be a binding name in strict-mode ES modules or TypeScript. */
export const RESERVED_WORDS: ReadonlySet<string> = new Set([
  ...words(`await break case catch class const continue debugger default delete do else enum
    export extends false finally for function if implements import in instanceof interface let
    new null package private protected public return static super switch this throw true try
    typeof var void while with yield`),
  // not reserved, but restricted or confusing as a parameter name
  ...words('arguments eval undefined NaN Infinity'),
]);

/** Parameter names the generated code itself uses next to the D-Bus args. */
export const GENERATED_PARAMETERS: ReadonlySet<string> = new Set(['options', 'ctx']);

/** Names an object's methods must not take (Object.prototype, thenables). */
const OBJECT_MEMBERS = words(`constructor then toString toLocaleString valueOf
  hasOwnProperty isPrototypeOf propertyIsEnumerable`);

/** Members of ProxyBase (runtime/proxy.ts): generated proxy methods avoid these. */
export const PROXY_RESERVED: ReadonlySet<string> = new Set([
  ...OBJECT_MEMBERS,
  ...words(`connection descriptor destination path options callMethod get set getAll on
    onPropertiesChanged supports`),
]);

/** Members of SkeletonBase (runtime/skeleton.ts): generated `emitX` methods avoid these. */
export const SKELETON_RESERVED: ReadonlySet<string> = new Set([
  ...OBJECT_MEMBERS,
  ...words(`connection descriptor path handlers properties options getProperty setProperty
    emitSignal unexport`),
]);

/** Suffixes of the per-interface type names; the descriptor const is `<Prefix>Interface`. */
export const TYPE_SUFFIXES = [
  'Proxy',
  'Skeleton',
  'Handlers',
  'Properties',
  'WritableProperties',
  'PropertyValues',
  'Signals',
  'Interface',
] as const;

export interface MethodNames {
  readonly tsName: string;
  readonly inArgs: readonly string[];
  readonly outArgs: readonly string[];
}

export interface SignalNames {
  readonly tsName: string;
  /** The skeleton's typed emitter, `emit<TsName>`. */
  readonly emitter: string;
  readonly args: readonly string[];
}

export interface InterfaceNames {
  /** PascalCase type prefix: the interface's last name element, or its Name annotation. */
  readonly prefix: string;
  /** Module file name without extension: the interface's wire name. */
  readonly module: string;
  readonly proxy: string;
  readonly skeleton: string;
  readonly handlers: string;
  /** Readable properties, receive types (proxy `get`/`getAll`/`onPropertiesChanged`). */
  readonly properties: string;
  /** Writable properties, send types (proxy `set`). */
  readonly writableProperties: string;
  /** All properties, send types (what a skeleton holds). */
  readonly propertyValues: string;
  readonly signals: string;
  /** The InterfaceDescriptor const. */
  readonly descriptor: string;
  /** `export<Prefix>(...)` convenience function. */
  readonly exportFunction: string;
  /** Parallel to `Interface.methods`. */
  readonly methods: readonly MethodNames[];
  /** Parallel to `Interface.signals`. */
  readonly signalMembers: readonly SignalNames[];
  /** Parallel to `Interface.properties`. */
  readonly propertyMembers: readonly string[];
}

const IDENTIFIER_START = /^[A-Za-z_$]/;
/** Underscores, and the hyphens some real XML has in property names (fprintd `num-enroll-stages`). */
const WORD_BREAK = /[^A-Za-z0-9]+/;

function upperFirst(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Lowers the leading capital run of one word: `UUID` -> `uuid`, `HTTPServer` -> `httpServer`. */
function lowerLeading(word: string): string {
  const run = /^[A-Z]+/.exec(word)?.[0].length ?? 0;
  if (run === word.length) return word.toLowerCase();
  if (run <= 1) return word.charAt(0).toLowerCase() + word.slice(1);
  // `HTTPServer`: the last capital starts the next word; `UUID2`: it does not.
  const keep = /[a-z]/.test(word.charAt(run)) ? run - 1 : run;
  return word.slice(0, keep).toLowerCase() + word.slice(keep);
}

/** `GetNameOwner` -> `getNameOwner`, `interface_name` -> `interfaceName`, `UUID` -> `uuid`. */
export function camelCase(wire: string): string {
  const parts = wire.split(WORD_BREAK).filter((p) => p !== '');
  if (parts.length === 0) return '_';
  const out = parts.map((p, i) => (i === 0 ? lowerLeading(p) : upperFirst(p))).join('');
  return IDENTIFIER_START.test(out) ? out : `_${out}`;
}

/** `wpa_supplicant1` -> `WpaSupplicant1`, `VMState1` -> `VMState1`. */
export function pascalCase(wire: string): string {
  const out = wire
    .split(WORD_BREAK)
    .filter((p) => p !== '')
    .map(upperFirst)
    .join('');
  if (out === '') return '_';
  return IDENTIFIER_START.test(out) ? out : `_${out}`;
}

/** A binding-safe identifier: reserved words and `reserved` names get a trailing `_`. */
export function escapeName(name: string, reserved: ReadonlySet<string> = RESERVED_WORDS): string {
  return reserved.has(name) || RESERVED_WORDS.has(name) ? `${name}_` : name;
}

/**
 * Makes a list of candidate names unique, in order: the first occurrence keeps its name, later
 * ones get the smallest number >= 2 that is free (`bar`, `bar` -> `bar`, `bar2`). Names that
 * occur only once are reserved up front, so they never move.
 */
export function uniqueNames(candidates: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const c of candidates) counts.set(c, (counts.get(c) ?? 0) + 1);
  const taken = new Set(candidates);
  const seen = new Set<string>();
  return candidates.map((c) => {
    if (!seen.has(c)) {
      seen.add(c);
      return c;
    }
    // `arg1` + 2 would read as `arg12`
    const sep = /\d$/.test(c) ? '_' : '';
    let n = 2;
    while (taken.has(`${c}${sep}${n}`)) n++;
    const name = `${c}${sep}${n}`;
    taken.add(name);
    return name;
  });
}

/** TS names for one arg list: camelCase, `argN` when unnamed, escaped, deduplicated. */
export function argNames(args: readonly Pick<Arg, 'name'>[]): string[] {
  const candidates = args.map((a, i) =>
    a.name === undefined || a.name === ''
      ? `arg${i}`
      : escapeName(camelCase(a.name), GENERATED_PARAMETERS),
  );
  return uniqueNames(candidates);
}

function memberNames(wire: readonly string[], reserved: ReadonlySet<string>): string[] {
  return uniqueNames(
    wire.map((w) => {
      const c = camelCase(w);
      return reserved.has(c) ? `${c}_` : c;
    }),
  );
}

function emitterNames(signalTsNames: readonly string[]): string[] {
  return uniqueNames(
    signalTsNames.map((s) => {
      const e = `emit${upperFirst(s)}`;
      return SKELETON_RESERVED.has(e) ? `${e}_` : e;
    }),
  );
}

/**
 * Pairs each model item with the name computed for it from the same list (same length, same
 * order by construction); a length mismatch is a bug here, so it throws instead of leaving a
 * member unnamed.
 */
export function zipNames<T, N>(items: readonly T[], names: readonly N[]): [T, N][] {
  if (items.length !== names.length) {
    throw new Error(`internal: ${items.length} members but ${names.length} names`);
  }
  return items.map((item, i) => [item, names[i] as N]);
}

function nameMembers(iface: Interface, prefix: string): InterfaceNames {
  const methodTs = memberNames(
    iface.methods.map((m) => m.name),
    PROXY_RESERVED,
  );
  const signalTs = memberNames(
    iface.signals.map((s) => s.name),
    new Set(OBJECT_MEMBERS),
  );
  const emitters = emitterNames(signalTs);
  return {
    prefix,
    module: iface.name,
    proxy: `${prefix}Proxy`,
    skeleton: `${prefix}Skeleton`,
    handlers: `${prefix}Handlers`,
    properties: `${prefix}Properties`,
    writableProperties: `${prefix}WritableProperties`,
    propertyValues: `${prefix}PropertyValues`,
    signals: `${prefix}Signals`,
    descriptor: `${prefix}Interface`,
    exportFunction: `export${prefix}`,
    methods: zipNames(iface.methods, methodTs).map(([m, tsName]) => ({
      tsName,
      inArgs: argNames(m.inArgs),
      outArgs: argNames(m.outArgs),
    })),
    signalMembers: zipNames(zipNames(iface.signals, signalTs), emitters).map(
      ([[s, tsName], emitter]) => ({ tsName, emitter, args: argNames(s.args) }),
    ),
    propertyMembers: memberNames(
      iface.properties.map((p) => p.name),
      new Set(OBJECT_MEMBERS),
    ),
  };
}

/** Every top-level name a prefix produces in a module (and hence in generated/index.ts). */
export function exportedNames(prefix: string): string[] {
  return [...TYPE_SUFFIXES.map((s) => `${prefix}${s}`), `export${prefix}`];
}

/** Annotation choosing an interface's type prefix (`<Name>Proxy`, `<Name>Skeleton`...). */
export const NAME_ANNOTATION = 'org.dbus_codegen_ts.Name';

/** What an `org.dbus_codegen_ts.Name` value must look like: a PascalCase identifier. */
export const TYPE_PREFIX = /^[A-Z][A-Za-z0-9_]*$/;

/**
 * The type prefix of one interface: its `org.dbus_codegen_ts.Name` annotation, else the
 * PascalCase of its last name element. A function of the interface alone (stable names).
 */
export function typePrefix(iface: Pick<Interface, 'name' | 'annotations'>): string {
  const chosen = iface.annotations.find((a) => a.name === NAME_ANNOTATION)?.value;
  if (chosen !== undefined && TYPE_PREFIX.test(chosen)) return chosen;
  return pascalCase(iface.name.slice(iface.name.lastIndexOf('.') + 1));
}

/** All TS names for the interfaces of one run, keyed by interface wire name. */
export function nameInterfaces(interfaces: readonly Interface[]): Map<string, InterfaceNames> {
  return new Map(interfaces.map((i) => [i.name, nameInterface(i)]));
}

/** All TS names for one interface: a function of that interface alone. */
export function nameInterface(iface: Interface): InterfaceNames {
  return nameMembers(iface, typePrefix(iface));
}
