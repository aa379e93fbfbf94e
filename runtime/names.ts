/**
 * Name syntax checks the runtime applies to header fields before anything is sent
 * (dbus-rules.md §3): the bus drops a connection that sends an invalid name or path.
 */
import { isObjectPath } from './validate.js';

const MAX_NAME = 255;
const LOCAL_PATH = '/org/freedesktop/DBus/Local';
const LOCAL_INTERFACE = 'org.freedesktop.DBus.Local';
const INTERFACE = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+$/;
const MEMBER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const WELL_KNOWN = /^[A-Za-z_-][A-Za-z0-9_-]*(?:\.[A-Za-z_-][A-Za-z0-9_-]*)+$/;
const UNIQUE = /^:[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)+$/;

export function isInterfaceName(s: string): boolean {
  return s.length <= MAX_NAME && INTERFACE.test(s);
}

/** Error names follow the interface-name rules. */
export const isErrorName = isInterfaceName;

export function isMemberName(s: string): boolean {
  return s.length <= MAX_NAME && MEMBER.test(s);
}

export function isBusName(s: string): boolean {
  return s.length <= MAX_NAME && (WELL_KNOWN.test(s) || UNIQUE.test(s));
}

/** Describes the first invalid header field of a message, or returns undefined. */
export function badHeaderField(m: {
  readonly path?: string | undefined;
  readonly interfaceName?: string | undefined;
  readonly member?: string | undefined;
  readonly errorName?: string | undefined;
  readonly destination?: string | undefined;
}): string | undefined {
  if (m.path !== undefined && !isObjectPath(m.path)) return `object path ${JSON.stringify(m.path)}`;
  // Reserved for messages a library makes up locally; dbus-daemon drops a sender using them.
  if (m.path === LOCAL_PATH) return `object path ${m.path} (reserved)`;
  if (m.interfaceName !== undefined && !isInterfaceName(m.interfaceName)) {
    return `interface name ${JSON.stringify(m.interfaceName)}`;
  }
  if (m.interfaceName === LOCAL_INTERFACE) return `interface name ${m.interfaceName} (reserved)`;
  if (m.member !== undefined && !isMemberName(m.member))
    return `member name ${JSON.stringify(m.member)}`;
  if (m.errorName !== undefined && !isErrorName(m.errorName)) {
    return `error name ${JSON.stringify(m.errorName)}`;
  }
  if (m.destination !== undefined && !isBusName(m.destination)) {
    return `bus name ${JSON.stringify(m.destination)}`;
  }
  return undefined;
}
