/**
 * Introspection XML for one object path (D-Bus specification, "Introspection Data
 * Format"): the standard interfaces every exported object answers, the exported interfaces'
 * own XML (from their descriptors, as the generator wrote it) and child nodes.
 */
import type { InterfaceDescriptor } from './descriptor.js';

export const INTROSPECTABLE = 'org.freedesktop.DBus.Introspectable';

const STANDARD_XML = `  <interface name="org.freedesktop.DBus.Peer">
    <method name="Ping"/>
    <method name="GetMachineId">
      <arg type="s" name="machine_uuid" direction="out"/>
    </method>
  </interface>
  <interface name="org.freedesktop.DBus.Introspectable">
    <method name="Introspect">
      <arg type="s" name="xml_data" direction="out"/>
    </method>
  </interface>
  <interface name="org.freedesktop.DBus.Properties">
    <method name="Get">
      <arg type="s" name="interface_name" direction="in"/>
      <arg type="s" name="property_name" direction="in"/>
      <arg type="v" name="value" direction="out"/>
    </method>
    <method name="GetAll">
      <arg type="s" name="interface_name" direction="in"/>
      <arg type="a{sv}" name="properties" direction="out"/>
    </method>
    <method name="Set">
      <arg type="s" name="interface_name" direction="in"/>
      <arg type="s" name="property_name" direction="in"/>
      <arg type="v" name="value" direction="in"/>
    </method>
    <signal name="PropertiesChanged">
      <arg type="s" name="interface_name"/>
      <arg type="a{sv}" name="changed_properties"/>
      <arg type="as" name="invalidated_properties"/>
    </signal>
  </interface>
`;
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
