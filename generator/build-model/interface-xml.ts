/**
 * The canonical introspection XML of one interface (a `<node>` holding just it), carried in
 * the model for `Introspect` replies and used to decide whether two definitions of one
 * interface are identical. Docs and comments are left out; annotations are kept.
 */

import type { Annotation, Arg, Interface, Method, Property, Signal } from '../../spec/model.js';
import { escapeXml } from '../../spec/xml.js';

export function interfaceXml(iface: Omit<Interface, 'xml'>): string {
  const lines = ['<node>', `  <interface name="${escapeXml(iface.name)}">`];
  annotations(lines, iface.annotations, 4);
  for (const m of iface.methods) method(lines, m);
  for (const s of iface.signals) signal(lines, s);
  for (const p of iface.properties) property(lines, p);
  lines.push('  </interface>', '</node>');
  return `${lines.join('\n')}\n`;
}

function method(lines: string[], m: Method): void {
  const args = [...m.inArgs, ...m.outArgs].sort(
    (a, b) => a.location.line - b.location.line || a.location.column - b.location.column,
  );
  container(lines, 'method', m.name, m.annotations, args, true);
}

function signal(lines: string[], s: Signal): void {
  container(lines, 'signal', s.name, s.annotations, s.args, false);
}

function container(
  lines: string[],
  tag: string,
  name: string,
  anns: readonly Annotation[],
  args: readonly Arg[],
  withDirection: boolean,
): void {
  if (anns.length === 0 && args.length === 0) {
    lines.push(`    <${tag} name="${escapeXml(name)}"/>`);
    return;
  }
  lines.push(`    <${tag} name="${escapeXml(name)}">`);
  annotations(lines, anns, 6);
  for (const a of args) arg(lines, a, withDirection);
  lines.push(`    </${tag}>`);
}

function arg(lines: string[], a: Arg, withDirection: boolean): void {
  const name = a.name === undefined ? '' : ` name="${escapeXml(a.name)}"`;
  const dir = withDirection ? ` direction="${a.direction}"` : '';
  const open = `      <arg${name} type="${escapeXml(a.signature)}"${dir}`;
  if (a.annotations.length === 0) {
    lines.push(`${open}/>`);
    return;
  }
  lines.push(`${open}>`);
  annotations(lines, a.annotations, 8);
  lines.push('      </arg>');
}

function property(lines: string[], p: Property): void {
  const open = `    <property name="${escapeXml(p.name)}" type="${escapeXml(p.signature)}" access="${p.access}"`;
  if (p.annotations.length === 0) {
    lines.push(`${open}/>`);
    return;
  }
  lines.push(`${open}>`);
  annotations(lines, p.annotations, 6);
  lines.push('    </property>');
}

function annotations(lines: string[], anns: readonly Annotation[], indent: number): void {
  const pad = ' '.repeat(indent);
  for (const a of anns) {
    lines.push(`${pad}<annotation name="${escapeXml(a.name)}" value="${escapeXml(a.value)}"/>`);
  }
}

/**
 * The escapers live in spec/xml.ts (shared with the runtime's busconfig writer); these names
 * keep imports from branches written before the move working.
 */
export { escapeXml as escapeXmlAttribute, xmlCommentText } from '../../spec/xml.js';
