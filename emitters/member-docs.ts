/** TSDoc for properties and signals, shared by the proxy and skeleton emitters. */
import type { Property, Signal } from '../spec/model.js';
import type { ModuleContext } from './context.js';
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

export function signalArgTags(ctx: ModuleContext, s: Signal, index: number): DocTag[] {
  const names = ctx.names.signalMembers[index]!.args;
  return s.args.map((a, i) => ({
    tag: 'param',
    text: `${names[i]!} - ${argDoc(a.signature, a.docs)}`,
  }));
}

export function signalDoc(ctx: ModuleContext, s: Signal, index: number): string {
  return docText({
    docs: s.docs,
    dbus: signalDbusLine(ctx, s),
    deprecated: s.deprecated,
    tags: signalArgTags(ctx, s, index),
  });
}
