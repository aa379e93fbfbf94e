/** TSDoc for properties and signals, shared by the proxy and skeleton emitters. */
import type { Property, Signal } from '../spec/model.js';
import type { ModuleContext, NamedSignal } from './context.js';
import { argDoc, type DocTag, docText, sig } from './docs.js';

export function propertyDbusLine(ctx: ModuleContext, p: Property): string {
  const changes = p.emitsChangedSignal === 'true' ? '' : `, changes: ${p.emitsChangedSignal}`;
  return `D-Bus property \`${ctx.iface.name}.${p.name}\` (\`${p.signature}\`, ${p.access}${changes}).`;
}

export function propertyDoc(ctx: ModuleContext, p: Property): string {
  return docText({ docs: p.docs, dbus: propertyDbusLine(ctx, p), deprecated: p.deprecated });
}

export function signalDbusLine(ctx: ModuleContext, s: Signal): string {
  return `D-Bus signal \`${ctx.iface.name}.${s.name}\` (${sig(s.signature)}).`;
}

export function signalArgTags(s: NamedSignal): DocTag[] {
  return s.args.map((a) => ({
    tag: 'param',
    text: `${a.tsName} - ${argDoc(a.arg.signature, a.arg.docs)}`,
  }));
}

export function signalDoc(ctx: ModuleContext, s: NamedSignal): string {
  return docText({
    docs: s.signal.docs,
    dbus: signalDbusLine(ctx, s.signal),
    deprecated: s.signal.deprecated,
    tags: signalArgTags(s),
  });
}
