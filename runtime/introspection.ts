/**
 * Introspection XML for one object path (D-Bus specification, "Introspection Data
 * Format"): the standard interfaces every exported object answers, the exported interfaces'
 * own XML (from their descriptors, as the generator wrote it) and child nodes. Every
 * interface's XML is the generator's rendering of interfaces/*.xml: the exported ones come
 * with their descriptors, the standard ones from standard-interfaces.ts (a table rendered the
 * same way, which a test keeps equal to the generated descriptors).
 */
import type { InterfaceDescriptor } from './descriptor.js';
import { STANDARD_INTERFACE_XML } from './standard-interfaces.js';

export const INTROSPECTABLE = 'org.freedesktop.DBus.Introspectable';

const DOCTYPE = `<!DOCTYPE node PUBLIC "-//freedesktop//DTD D-BUS Object Introspection 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/introspect.dtd">
`;

function indent(xml: string): string {
  return xml
    .trim()
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
}

const STANDARD_XML = STANDARD_INTERFACE_XML.map((x) => `${indent(x)}\n`).join('');

/**
 * The `<node>` document. `interfaces` undefined means nothing is exported at the path
 * itself (only children): then no standard interfaces are listed either.
 */
export function introspectionXml(
  interfaces: readonly InterfaceDescriptor[] | undefined,
  children: readonly string[],
): string {
  let xml = `${DOCTYPE}<node>\n`;
  if (interfaces !== undefined) {
    xml += STANDARD_XML;
    const sorted = [...interfaces].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const d of sorted) xml += `${indent(d.xml)}\n`;
  }
  for (const k of children) xml += `  <node name="${k}"/>\n`;
  return `${xml}</node>\n`;
}
