/**
 * The header-field check the runtime applies before anything is sent: the bus drops a
 * connection that sends an invalid name or path. The name rules themselves live in
 * spec/names.ts, shared with the generator.
 */
import {
  isValidBusName,
  isValidErrorName,
  isValidInterfaceName,
  isValidMemberName,
  isValidObjectPath,
} from '../spec/names.js';

const LOCAL_PATH = '/org/freedesktop/DBus/Local';
const LOCAL_INTERFACE = 'org.freedesktop.DBus.Local';

/** @deprecated The same function as `isValidInterfaceName`, under the runtime's older name. */
export const isInterfaceName: (name: string) => boolean = isValidInterfaceName;
/** @deprecated The same function as `isValidErrorName`, under the runtime's older name. */
export const isErrorName: (name: string) => boolean = isValidErrorName;
/** @deprecated The same function as `isValidMemberName`, under the runtime's older name. */
export const isMemberName: (name: string) => boolean = isValidMemberName;
/** @deprecated The same function as `isValidBusName`, under the runtime's older name. */
export const isBusName: (name: string) => boolean = isValidBusName;

/** Describes the first invalid header field of a message, or returns undefined. */
export function badHeaderField(m: {
  readonly path?: string | undefined;
  readonly interfaceName?: string | undefined;
  readonly member?: string | undefined;
  readonly errorName?: string | undefined;
  readonly destination?: string | undefined;
}): string | undefined {
  if (m.path !== undefined && !isValidObjectPath(m.path))
    return `object path ${JSON.stringify(m.path)}`;
  // Reserved for messages a library makes up locally; dbus-daemon drops a sender using them.
  if (m.path === LOCAL_PATH) return `object path ${m.path} (reserved)`;
  if (m.interfaceName !== undefined && !isValidInterfaceName(m.interfaceName)) {
    return `interface name ${JSON.stringify(m.interfaceName)}`;
  }
  if (m.interfaceName === LOCAL_INTERFACE) return `interface name ${m.interfaceName} (reserved)`;
  if (m.member !== undefined && !isValidMemberName(m.member))
    return `member name ${JSON.stringify(m.member)}`;
  if (m.errorName !== undefined && !isValidErrorName(m.errorName)) {
    return `error name ${JSON.stringify(m.errorName)}`;
  }
  if (m.destination !== undefined && !isValidBusName(m.destination)) {
    return `bus name ${JSON.stringify(m.destination)}`;
  }
  return undefined;
}
