/**
 * Introspection XML of the standard interfaces every exported object answers (Peer,
 * Introspectable, Properties): exactly the `xml` of the descriptors the generator writes for
 * interfaces/org.freedesktop.DBus.{Peer,Introspectable,Properties}.xml. The runtime may not
 * import generated/ (generated code imports the runtime), so the interfaces are written here
 * once more, in the specification's own terse form (`name:type` arguments), and rendered the
 * way the generator renders them; test/unit/standard-interfaces.test.ts fails if the text
 * ever differs from those descriptors.
 */

/** One argument as `name:type` (a type holds no `:`). */
type ArgSpec = `${string}:${string}`;

/** `<arg .../>` for `name:type`; a method argument carries its direction, a signal's none. */
function arg(spec: ArgSpec, direction?: 'in' | 'out'): string {
  const [name, type] = spec.split(':');
  const dir = direction === undefined ? '' : ` direction="${direction}"`;
  return `    <arg name="${name}" type="${type}"${dir}/>`;
}

/** A member element: self-closing when it has no arguments, as the generator writes it. */
function member(tag: 'method' | 'signal', name: string, args: readonly string[]): string[] {
  if (args.length === 0) return [`  <${tag} name="${name}"/>`];
  return [`  <${tag} name="${name}">`, ...args, `  </${tag}>`];
}

function method(name: string, ins: readonly ArgSpec[], outs: readonly ArgSpec[]): string[] {
  return member('method', name, [
    ...ins.map((a) => arg(a, 'in')),
    ...outs.map((a) => arg(a, 'out')),
  ]);
}

function signal(name: string, args: readonly ArgSpec[]): string[] {
  return member(
    'signal',
    name,
    args.map((a) => arg(a)),
  );
}

function iface(name: string, members: readonly string[][]): string {
  return [`<interface name="${name}">`, ...members.flat(), '</interface>'].join('\n');
}

/** The three interfaces' XML, in the order Introspect lists them. */
export const STANDARD_INTERFACE_XML: readonly string[] = [
  iface('org.freedesktop.DBus.Peer', [
    method('Ping', [], []),
    method('GetMachineId', [], ['machine_uuid:s']),
  ]),
  iface('org.freedesktop.DBus.Introspectable', [method('Introspect', [], ['xml_data:s'])]),
  iface('org.freedesktop.DBus.Properties', [
    method('Get', ['interface_name:s', 'property_name:s'], ['value:v']),
    method('GetAll', ['interface_name:s'], ['properties:a{sv}']),
    method('Set', ['interface_name:s', 'property_name:s', 'value:v'], []),
    signal('PropertiesChanged', [
      'interface_name:s',
      'changed_properties:a{sv}',
      'invalidated_properties:as',
    ]),
  ]),
];
