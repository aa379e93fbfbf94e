/**
 * Naming guidelines of the D-Bus API Design Guidelines: versions in interface names,
 * bus names and object paths; no objects at `/`; reversed-DNS + CamelCase interfaces;
 * CamelCase members; snake_case args; QEMU's namespace left to QEMU.
 */
import type { Arg, Interface, Node } from '../../spec/model.js';
import type { LintContext } from './context.js';
import {
  hasVersionedElement,
  interfaceElements,
  isCamelCase,
  isLowerCaseElement,
  isQemuBusName,
  isQemuInterface,
  isSnakeCase,
  isUnder,
  pathElements,
  toCamelCase,
  toSnakeCase,
} from './names.js';

export function lintInterfaceName(ctx: LintContext, iface: Interface): void {
  const elements = interfaceElements(iface.name);
  if (!hasVersionedElement(elements)) {
    ctx.report(
      'DBUS101',
      `interface "${iface.name}" has no version: end its name (or an ancestor element) in a major version, e.g. "${iface.name}1", so an incompatible change can live beside it`,
      iface.location,
    );
  }
  const first = elements[0] ?? '';
  const last = elements[elements.length - 1] ?? '';
  if (!isLowerCaseElement(first)) {
    ctx.report(
      'DBUS105',
      `interface "${iface.name}" should start with a reversed DNS domain in lower case ("${first.toLowerCase()}")`,
      iface.location,
    );
  } else if (!isCamelCase(last)) {
    ctx.report(
      'DBUS105',
      `interface "${iface.name}": the last element "${last}" should be CamelCase without underscores ("${toCamelCase(last)}")`,
      iface.location,
    );
  }
  if (iface.name.startsWith('org.qemu.') && !isQemuInterface(iface.name) && !ctx.owns('org.qemu')) {
    ctx.report(
      'DBUS113',
      `interface "${iface.name}" is in QEMU's namespace but is not a QEMU interface: name your own interfaces under your reversed domain (e.g. "com.example.${last}"), or pass --owner org.qemu if this is QEMU`,
      iface.location,
    );
  }
}

export function lintBusName(ctx: LintContext, name: string): void {
  const location = ctx.busNameLocation;
  if (name.startsWith(':')) return; // unique names are the bus's, not a design choice
  if (!hasVersionedElement(name.split('.'))) {
    ctx.report(
      'DBUS102',
      `bus name "${name}" has no version: use e.g. "${name}1" so two major versions of the service can run side by side`,
      location,
    );
  }
  if (name.startsWith('org.qemu.') && !isQemuBusName(name) && !ctx.owns('org.qemu')) {
    ctx.report(
      'DBUS113',
      `bus name "${name}" is in QEMU's namespace but is not one QEMU defines: use your own reversed domain, or pass --owner org.qemu if this is QEMU`,
      location,
    );
  }
}

/** The versioning and object-path guidelines for nodes whose absolute path is known and that carry interfaces. */
export function lintNodePath(ctx: LintContext, node: Node): void {
  if (node.path === undefined || node.interfaces.length === 0) return;
  const names = node.interfaces.map((i) => i.name).join(', ');
  if (node.path === '/') {
    ctx.report(
      'DBUS104',
      `node "/" exports ${names}: never put objects at "/"; use a versioned path such as "/${(node.interfaces[0]?.name ?? 'com.example.Service1').replaceAll('.', '/')}" (a file that only defines interfaces can drop the name)`,
      node.location,
    );
    return;
  }
  if (!hasVersionedElement(pathElements(node.path))) {
    ctx.report(
      'DBUS103',
      `object path "${node.path}" has no versioned element (e.g. "/com/example/Service1/...")`,
      node.location,
    );
  }
}

export function lintMemberName(
  ctx: LintContext,
  what: 'method' | 'signal' | 'property',
  fullName: string,
  member: { readonly name: string; readonly location: Arg['location'] },
): void {
  if (isCamelCase(member.name)) return;
  ctx.report(
    'DBUS106',
    `${what} "${fullName}" is not CamelCase (expected "${toCamelCase(member.name)}")`,
    member.location,
  );
}

export function lintArgName(ctx: LintContext, owner: string, arg: Arg, index: number): void {
  if (arg.name === undefined || arg.name === '') {
    ctx.report(
      'DBUS108',
      `${arg.direction}-argument ${index} of ${owner} has no name: generated code has to invent one; name it in snake_case`,
      arg.location,
    );
    return;
  }
  if (!isSnakeCase(arg.name)) {
    ctx.report(
      'DBUS107',
      `argument "${arg.name}" of ${owner} is not lowercase_with_underscores (expected "${toSnakeCase(arg.name)}")`,
      arg.location,
    );
  }
}

/** True when `name` is owned by one of the configured owner prefixes. */
export function ownedBy(owners: readonly string[], name: string): boolean {
  return owners.some((o) => isUnder(name, o));
}
