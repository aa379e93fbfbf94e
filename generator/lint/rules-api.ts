/**
 * API-shape guidelines of the D-Bus API Design Guidelines: properties
 * instead of getters/setters and change signals, documentation everywhere, deprecations that
 * say why, enums or flags instead of booleans.
 */
import type { Arg, Docs, Interface, Method, Property, Signal } from '../../spec/model.js';
import type { LintContext } from './context.js';

function documented(docs: Docs): boolean {
  return (docs.text ?? '').trim() !== '' || (docs.summary ?? '').trim() !== '';
}

export function lintDocs(
  ctx: LintContext,
  what: 'interface' | 'method' | 'signal' | 'property',
  fullName: string,
  element: { readonly docs: Docs; readonly location: Interface['location'] },
): void {
  if (documented(element.docs)) return;
  ctx.report(
    'DBUS109',
    `${what} "${fullName}" is undocumented: add a gtk-doc comment before it or an org.gtk.GDBus.DocString annotation (for XML you do not own: --annotate '${fullName}' org.gtk.GDBus.DocString '...')`,
    element.location,
  );
}

export function lintArgDocs(ctx: LintContext, owner: string, target: string, arg: Arg): void {
  if (arg.name === undefined || arg.name === '' || documented(arg.docs)) return;
  ctx.report(
    'DBUS110',
    `argument "${arg.name}" of ${owner} is undocumented: add "@${arg.name}: ..." to the member's comment (or --annotate '${target}[${arg.name}]' org.gtk.GDBus.DocString '...')`,
    arg.location,
  );
}

/**
 * Properties guideline: `GetFoo() -> x` and `SetFoo(x)` are what properties are for. Only the accessor
 * shape is reported: `GetItems(in au ids)` is a legitimate batch method, not a getter.
 */
export function lintAccessorMethod(ctx: LintContext, iface: Interface, method: Method): void {
  const m = /^(Get|Set)([A-Z]\w*)$/.exec(method.name);
  if (!m) return;
  const [, verb, rest] = m;
  const getter = verb === 'Get' && method.inArgs.length === 0 && method.outArgs.length === 1;
  const setter = verb === 'Set' && method.inArgs.length === 1 && method.outArgs.length === 0;
  if (!getter && !setter) return;
  const prop = iface.properties.find((p) => p.name === rest);
  const why = prop
    ? `it duplicates property "${rest}"`
    : `a property "${rest}" gives Get/Set/GetAll and PropertiesChanged for free`;
  ctx.report(
    'DBUS111',
    `method "${iface.name}.${method.name}" looks like a ${getter ? 'getter' : 'setter'}: ${why}`,
    method.location,
  );
}

/** Properties guideline: `FooChanged` signals re-invent org.freedesktop.DBus.Properties.PropertiesChanged. */
export function lintChangeSignal(ctx: LintContext, iface: Interface, signal: Signal): void {
  const m = /^(\w+)Changed$/.exec(signal.name);
  if (!m) return;
  const prop = iface.properties.find((p) => p.name === m[1]);
  const hint = prop
    ? `property "${prop.name}" already emits PropertiesChanged (EmitsChangedSignal=${prop.emitsChangedSignal})`
    : `expose the value as a property and let org.freedesktop.DBus.Properties.PropertiesChanged announce changes`;
  ctx.report(
    'DBUS112',
    `signal "${iface.name}.${signal.name}" is a change notification: ${hint}`,
    signal.location,
  );
}

/** Documentation guideline: a deprecation says why and what replaces it. */
export function lintDeprecation(
  ctx: LintContext,
  fullName: string,
  element: Interface | Method | Signal | Property,
): void {
  if (!element.deprecated) return;
  const text = `${element.docs.text ?? ''} ${element.docs.summary ?? ''}`;
  if (/deprecat|replac|instead|superseded|obsolete/i.test(text)) return;
  ctx.report(
    'DBUS114',
    `"${fullName}" is deprecated without saying why or what replaces it: explain it in its documentation`,
    element.location,
  );
}

/** Enumerated-values guideline: a boolean cannot grow a third value; an enum (`u`) or flags argument can. */
export function lintBooleanArg(ctx: LintContext, owner: string, arg: Arg): void {
  if (arg.direction !== 'in' || arg.signature !== 'b') return;
  ctx.report(
    'DBUS115',
    `boolean argument ${arg.name ? `"${arg.name}" ` : ''}of ${owner}: an enum (u) or flags argument can be extended later; a boolean cannot`,
    arg.location,
  );
}
