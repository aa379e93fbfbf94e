/**
 * User-facing diagnostics: every problem in the input is collected (never just the first),
 * located, and printed in one format, `path:line:col: error|warning CODE: message`.
 * Internal invariant failures are not diagnostics: they throw {@link InternalError}.
 */
import { getSystemErrorMap } from 'node:util';
import type { Location } from '../spec/model.js';

/** `error` fails a run; `warning` is reported only. */
export type Severity = 'error' | 'warning';

/**
 * Stable diagnostic codes. Never renumber: users grep for them and may silence warnings by
 * code. Group: 00x XML, 01x structure, 02x types, 03x names, 04x direction/access,
 * 05x duplicates, 06x annotations, 09x files.
 */
export const CODES = {
  DBUS001: 'XML is not well-formed',
  DBUS002: 'empty document',
  DBUS003: 'element never closed',
  DBUS004: "'<' inside an attribute value",
  DBUS005: 'root element must be a single <node>',
  DBUS006: 'unknown element (ignored)',
  DBUS007: 'text inside an element that holds only elements (ignored)',
  DBUS008: 'unknown attribute (ignored)',
  DBUS009: 'element in a place the introspection format does not allow',
  DBUS010: 'missing required attribute',
  DBUS011: '<?if?> needs a --define',
  DBUS012: 'malformed or unbalanced <?if?>/<?else?>/<?endif?>',
  DBUS013: 'unknown processing instruction (ignored)',
  DBUS014: 'undefined entity reference',
  DBUS015: 'entity expansion exceeds the limit',
  DBUS020: 'invalid type signature',
  DBUS021: 'not a single complete type',
  DBUS022: 'joined signature longer than 255 bytes',
  DBUS030: 'invalid interface name',
  DBUS031: 'invalid member name',
  DBUS032: 'property name is not a valid member name',
  DBUS033: 'invalid error name',
  DBUS034: 'invalid object path',
  DBUS035: 'interface in the reserved org.freedesktop.DBus namespace',
  DBUS040: 'invalid direction',
  DBUS041: 'signal arguments are always "out"',
  DBUS042: 'invalid property access',
  DBUS050: 'duplicate method',
  DBUS051: 'overloaded method',
  DBUS052: 'duplicate signal',
  DBUS053: 'overloaded signal',
  DBUS054: 'duplicate property',
  DBUS055: 'interface listed twice in one node',
  DBUS056: 'interface defined differently in two places',
  DBUS060: 'invalid annotation value',
  DBUS061: 'NoReply method declares out-arguments',
  DBUS062: 'annotation in a place the introspection format does not allow',
  DBUS063: 'interface name too long for a module file name',
  DBUS090: 'input cannot be read',
  DBUS091: 'output file would land outside the output directory',
  // 07x: --annotate / overlay files (generator/overlay.ts); 08x: config file (build/config.ts)
  DBUS070: 'annotate target matches nothing',
  DBUS071: 'malformed annotate target',
  DBUS072: 'malformed overlay file',
  DBUS080: 'malformed config file',
  DBUS081: 'unknown config key',
  DBUS082: 'config value has the wrong type',
  // 1xx: design-guideline lint (generator/lint.ts): warnings unless --strict
  DBUS101: 'interface name has no version',
  DBUS102: 'bus name has no version',
  DBUS103: 'object path has no version',
  DBUS104: 'object exported at /',
  DBUS105: 'interface name is not reversed-DNS + CamelCase',
  DBUS106: 'member name is not CamelCase',
  DBUS107: 'argument name is not snake_case',
  DBUS108: 'argument has no name',
  DBUS109: 'undocumented interface or member',
  DBUS110: 'undocumented argument',
  DBUS111: 'getter/setter method instead of a property',
  DBUS112: 'change signal instead of a property',
  DBUS113: "name in QEMU's namespace outside QEMU",
  DBUS114: 'deprecated without a reason or replacement',
  DBUS115: 'boolean argument (an enum or flags can grow)',
} as const;

/**
 * DBUS100-DBUS199 are reserved for the design-guideline lint (generator/lint.ts), whose codes
 * are documented there.
 */
export type LintCode = `DBUS1${number}`;
/** A diagnostic code: a check code from {@link CODES} or a lint code `DBUS1xx`. */
export type Code = keyof typeof CODES | LintCode;

/** One located problem: `file:line:col: severity CODE: message`. */
export interface Diagnostic {
  readonly severity: Severity;
  readonly code: Code;
  readonly message: string;
  readonly location: Location;
}

/** `path:line:col: error CODE: message`, the format compilers and editors understand. */
export function formatDiagnostic(d: Diagnostic): string {
  const { file, line, column } = d.location;
  return `${file}:${line}:${column}: ${d.severity} ${d.code}: ${d.message}`;
}

/** Whether any diagnostic is an error. */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** DBUS090 at line 1 of an input file that cannot be read: `no such file`, else the system's reason. */
export function unreadableInput(file: string, error: unknown): Diagnostic {
  const code = (error as NodeJS.ErrnoException).code;
  const why =
    code === 'ENOENT'
      ? 'no such file'
      : code === 'EISDIR'
        ? `it is a directory (name the XML files, e.g. ${file.replace(/\/+$/, '')}/*.xml)`
        : systemReason(error);
  return {
    severity: 'error',
    code: 'DBUS090',
    message: `cannot read input: ${why}`,
    location: { file, line: 1, column: 1 },
  };
}

/** File order, then position, then code: output does not depend on check order. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      cmp(a.location.file, b.location.file) ||
      a.location.line - b.location.line ||
      a.location.column - b.location.column ||
      cmp(a.code, b.code) ||
      cmp(a.message, b.message),
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Errors a user may downgrade to warnings (`--relax CODE`) because real-world files break them
 * and the model stays well-defined: a one-element interface name (GLib's own test file), a
 * child node whose path is not valid (zbus's sample), `direction="in"` on a signal argument
 * (mutter; the argument is read as "out"). Every other error stays an error.
 */
export const RELAXABLE: readonly Code[] = ['DBUS030', 'DBUS041'];

/** Collects diagnostics for one run; passed down instead of throwing on the first problem. */
export class Diagnostics {
  readonly items: Diagnostic[] = [];

  constructor(private readonly relaxed: ReadonlySet<Code> = new Set()) {}

  /** Records an error; returns false when the user relaxed this code (recorded as a warning). */
  error(code: Code, message: string, location: Location): boolean {
    if (this.relaxed.has(code)) {
      const note = ` (relaxed to a warning by --relax ${code})`;
      this.items.push({ severity: 'warning', code, message: message + note, location });
      return false;
    }
    const hint = RELAXABLE.includes(code) ? ` (--relax ${code} reports this as a warning)` : '';
    this.items.push({ severity: 'error', code, message: message + hint, location });
    return true;
  }

  /** A collector for one file, with the same relaxed codes. */
  child(): Diagnostics {
    return new Diagnostics(this.relaxed);
  }

  warning(code: Code, message: string, location: Location): void {
    this.items.push({ severity: 'warning', code, message, location });
  }

  get hasErrors(): boolean {
    return hasErrors(this.items);
  }
}

/** A broken invariant inside the generator (a bug), never the user's input. */
export class InternalError extends Error {
  override readonly name = 'InternalError';
}

/** A usage error (bad option or flag); the CLI exits 2 with this message and no stack. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** `not a directory` for a Node system error (ENOTDIR, errno -20), else its message. */
export function systemReason(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  const known = typeof e.errno === 'number' ? getSystemErrorMap().get(e.errno)?.[1] : undefined;
  return known ?? (error instanceof Error ? error.message : String(error));
}

/**
 * A failed file-system call on a user's path (`-o` names a file, a read-only directory...):
 * `cannot write /x/y: not a directory`. Undefined for anything else, which is a bug.
 */
export function fileSystemFailure(error: unknown): string | undefined {
  const e = error as NodeJS.ErrnoException;
  if (!(error instanceof Error) || typeof e.syscall !== 'string' || typeof e.path !== 'string') {
    return undefined;
  }
  const verbs: Record<string, string> = {
    mkdir: 'create directory',
    open: 'open',
    write: 'write',
    rename: 'rename',
    unlink: 'delete',
    scandir: 'list',
    read: 'read',
  };
  return `cannot ${verbs[e.syscall] ?? e.syscall} ${e.path}: ${systemReason(error)}`;
}
