/**
 * D-Bus name and object-path rules (reference/dbus-rules.md §2.5, §3), as the specification
 * states them, not as libdbus, GLib or sd-bus happen to implement them. Each `*Problem`
 * function returns undefined for a valid name, else why it is not valid.
 */

export const MAX_NAME_LENGTH = 255;

const ELEMENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const BUS_ELEMENT = /^[A-Za-z_-][A-Za-z0-9_-]*$/;
const UNIQUE_ELEMENT = /^[A-Za-z0-9_-]+$/;
const PATH_ELEMENT = /^[A-Za-z0-9_]+$/;

function lengthProblem(name: string): string | undefined {
  if (name === '') return 'it is empty';
  const bytes = Buffer.byteLength(name, 'utf8');
  if (bytes > MAX_NAME_LENGTH) return `it is ${bytes} bytes, longer than the limit of 255`;
  return undefined;
}

function elementsProblem(name: string, element: RegExp, allowed: string): string | undefined {
  const parts = name.split('.');
  if (parts.length < 2) return 'it needs at least two elements separated by "."';
  for (const [i, part] of parts.entries()) {
    if (part === '') {
      const where = i === 0 ? 'first' : i === parts.length - 1 ? 'last' : `${i + 1}th`;
      return `its ${where} element is empty`;
    }
    if (!element.test(part)) {
      if (/^[0-9]/.test(part) && element !== UNIQUE_ELEMENT) {
        return `element "${part}" starts with a digit`;
      }
      return `element "${part}" has a character outside ${allowed}`;
    }
  }
  return undefined;
}

/** Interface names (§3.2): >= 2 elements of [A-Za-z0-9_], none starting with a digit. */
export function interfaceNameProblem(name: string): string | undefined {
  return lengthProblem(name) ?? elementsProblem(name, ELEMENT, '[A-Za-z0-9_]');
}

/** Error names have exactly the interface-name syntax (§3.3). */
export function errorNameProblem(name: string): string | undefined {
  return interfaceNameProblem(name);
}

/** Method, signal (and, by convention, property) names (§3.5). */
export function memberNameProblem(name: string): string | undefined {
  const len = lengthProblem(name);
  if (len !== undefined) return len;
  if (/^[0-9]/.test(name)) return 'it starts with a digit';
  if (name.includes('.')) return 'it contains "."';
  if (!ELEMENT.test(name)) return 'it has a character outside [A-Za-z0-9_]';
  return undefined;
}

/** Bus names (§3.4): unique `:a.b` (elements may start with a digit) or well-known `a.b`. */
export function busNameProblem(name: string): string | undefined {
  const len = lengthProblem(name);
  if (len !== undefined) return len;
  if (name.startsWith(':')) {
    return elementsProblem(name.slice(1), UNIQUE_ELEMENT, '[A-Za-z0-9_-]');
  }
  return elementsProblem(name, BUS_ELEMENT, '[A-Za-z0-9_-]');
}

/** Object paths (§2.5): `/`, or `/` + non-empty [A-Za-z0-9_] elements; no length limit. */
export function objectPathProblem(path: string): string | undefined {
  if (path === '') return 'it is empty';
  if (!path.startsWith('/')) return 'it does not start with "/"';
  if (path === '/') return undefined;
  if (path.endsWith('/')) return 'it ends with "/" (only the root path "/" may)';
  for (const part of path.slice(1).split('/')) {
    if (part === '') return 'it has an empty element ("//")';
    if (!PATH_ELEMENT.test(part)) return `element "${part}" has a character outside [A-Za-z0-9_]`;
  }
  return undefined;
}

export const isValidInterfaceName = (n: string): boolean => interfaceNameProblem(n) === undefined;
export const isValidErrorName = (n: string): boolean => errorNameProblem(n) === undefined;
export const isValidMemberName = (n: string): boolean => memberNameProblem(n) === undefined;
export const isValidBusName = (n: string): boolean => busNameProblem(n) === undefined;
export const isValidObjectPath = (p: string): boolean => objectPathProblem(p) === undefined;

/**
 * Interfaces the specification and the reference implementation own (§3.8). Declaring any
 * other name under `org.freedesktop.DBus.` is flagged.
 */
export const STANDARD_INTERFACES: ReadonlySet<string> = new Set([
  'org.freedesktop.DBus',
  'org.freedesktop.DBus.Peer',
  'org.freedesktop.DBus.Introspectable',
  'org.freedesktop.DBus.Properties',
  'org.freedesktop.DBus.ObjectManager',
  'org.freedesktop.DBus.Monitoring',
  'org.freedesktop.DBus.Verbose',
  'org.freedesktop.DBus.Containers1',
  'org.freedesktop.DBus.Debug.Stats',
]);
