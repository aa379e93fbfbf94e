/**
 * D-Bus name and object-path rules, as the D-Bus specification states them ("Valid Names"
 * and "Valid Object Paths"), not as libdbus, GLib or sd-bus happen to implement them. The one
 * home of these rules: the generator checks XML with them, the runtime checks message header
 * fields with them. Dependency-free, so any layer may import it.
 *
 * Each `is*` predicate is the rule (one regular expression and the 255-byte limit, no
 * allocation: the runtime calls it for every message). Each `*Problem` function returns
 * undefined exactly when its predicate holds, else a reason that says which part is wrong.
 *
 * @example
 * ```ts
 * isValidInterfaceName('org.qemu.VMState1'); // true
 * interfaceNameProblem('org.7zip.Plugin'); // 'element "7zip" starts with a digit'
 * ```
 */

/** Longest interface, error, member or bus name, in bytes (object paths have no limit). */
export const MAX_NAME_LENGTH = 255;

const ELEMENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const BUS_ELEMENT = /^[A-Za-z_-][A-Za-z0-9_-]*$/;
const UNIQUE_ELEMENT = /^[A-Za-z0-9_-]+$/;
const PATH_ELEMENT = /^[A-Za-z0-9_]+$/;

const INTERFACE = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+$/;
const MEMBER = ELEMENT;
const WELL_KNOWN = /^[A-Za-z_-][A-Za-z0-9_-]*(?:\.[A-Za-z_-][A-Za-z0-9_-]*)+$/;
const UNIQUE = /^:[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)+$/;
const OBJECT_PATH = /^\/(?:[A-Za-z0-9_]+(?:\/[A-Za-z0-9_]+)*)?$/;

// Every character the patterns accept is ASCII, so for a string that matches, UTF-16 length
// is its byte length; a longer non-matching string is invalid either way.
const short = (s: string): boolean => s.length <= MAX_NAME_LENGTH;

/** Interface names: at least two `.`-separated elements of [A-Za-z0-9_], none starting with a digit. */
export function isValidInterfaceName(name: string): boolean {
  return short(name) && INTERFACE.test(name);
}

/** Error names have exactly the interface-name syntax. */
export function isValidErrorName(name: string): boolean {
  return isValidInterfaceName(name);
}

/** Method, signal (and, by convention, property) names: one element of [A-Za-z0-9_], no leading digit. */
export function isValidMemberName(name: string): boolean {
  return short(name) && MEMBER.test(name);
}

/**
 * Bus names: unique (`:1.42`, elements of [A-Za-z0-9_-] that may start with a digit) or
 * well-known (`org.example.Name`, elements of [A-Za-z0-9_-] that may not), at least two elements.
 */
export function isValidBusName(name: string): boolean {
  return short(name) && (WELL_KNOWN.test(name) || UNIQUE.test(name));
}

/** Object paths: `/`, or `/`-separated non-empty elements of [A-Za-z0-9_]; no length limit. */
export function isValidObjectPath(path: string): boolean {
  return OBJECT_PATH.test(path);
}

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

/** Why `name` is not a valid interface name, or undefined when it is. */
export function interfaceNameProblem(name: string): string | undefined {
  if (isValidInterfaceName(name)) return undefined;
  return (
    lengthProblem(name) ??
    elementsProblem(name, ELEMENT, '[A-Za-z0-9_]') ??
    'it is not a valid interface name'
  );
}

/** Why `name` is not a valid error name, or undefined when it is. */
export function errorNameProblem(name: string): string | undefined {
  return interfaceNameProblem(name);
}

/** Why `name` is not a valid member name, or undefined when it is. */
export function memberNameProblem(name: string): string | undefined {
  if (isValidMemberName(name)) return undefined;
  const len = lengthProblem(name);
  if (len !== undefined) return len;
  if (/^[0-9]/.test(name)) return 'it starts with a digit';
  if (name.includes('.')) return 'it contains "."';
  return 'it has a character outside [A-Za-z0-9_]';
}

/** Why `name` is not a valid bus name, or undefined when it is. */
export function busNameProblem(name: string): string | undefined {
  if (isValidBusName(name)) return undefined;
  const len = lengthProblem(name);
  if (len !== undefined) return len;
  const problem = name.startsWith(':')
    ? elementsProblem(name.slice(1), UNIQUE_ELEMENT, '[A-Za-z0-9_-]')
    : elementsProblem(name, BUS_ELEMENT, '[A-Za-z0-9_-]');
  return problem ?? 'it is not a valid bus name';
}

/** Why `path` is not a valid object path, or undefined when it is. */
export function objectPathProblem(path: string): string | undefined {
  if (isValidObjectPath(path)) return undefined;
  if (path === '') return 'it is empty';
  if (!path.startsWith('/')) return 'it does not start with "/"';
  if (path.endsWith('/')) return 'it ends with "/" (only the root path "/" may)';
  for (const part of path.slice(1).split('/')) {
    if (part === '') return 'it has an empty element ("//")';
    if (!PATH_ELEMENT.test(part)) return `element "${part}" has a character outside [A-Za-z0-9_]`;
  }
  return 'it is not a valid object path';
}

/**
 * Interfaces the specification and the reference implementation own. Declaring any other
 * name under `org.freedesktop.DBus.` is flagged by the generator.
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
