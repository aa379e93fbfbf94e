/**
 * Introspection XML of the standard interfaces every exported object answers (Peer,
 * Introspectable, Properties): exactly the `xml` of the descriptors the generator writes for
 * interfaces/org.freedesktop.DBus.{Peer,Introspectable,Properties}.xml. The runtime may not
 * import generated/ (generated code imports the runtime), so the text is carried here and
 * test/unit/standard-interfaces.test.ts fails if it ever differs from those descriptors.
 */

export const STANDARD_INTERFACE_XML: readonly string[] = [
  `<interface name="org.freedesktop.DBus.Peer">
  <method name="Ping"/>
  <method name="GetMachineId">
    <arg name="machine_uuid" type="s" direction="out"/>
  </method>
</interface>`,
  `<interface name="org.freedesktop.DBus.Introspectable">
  <method name="Introspect">
    <arg name="xml_data" type="s" direction="out"/>
  </method>
</interface>`,
  `<interface name="org.freedesktop.DBus.Properties">
  <method name="Get">
    <arg name="interface_name" type="s" direction="in"/>
    <arg name="property_name" type="s" direction="in"/>
    <arg name="value" type="v" direction="out"/>
  </method>
  <method name="GetAll">
    <arg name="interface_name" type="s" direction="in"/>
    <arg name="properties" type="a{sv}" direction="out"/>
  </method>
  <method name="Set">
    <arg name="interface_name" type="s" direction="in"/>
    <arg name="property_name" type="s" direction="in"/>
    <arg name="value" type="v" direction="in"/>
  </method>
  <signal name="PropertiesChanged">
    <arg name="interface_name" type="s"/>
    <arg name="changed_properties" type="a{sv}"/>
    <arg name="invalidated_properties" type="as"/>
  </signal>
</interface>`,
];
