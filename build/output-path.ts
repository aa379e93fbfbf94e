/**
 * Output containment: every file a command writes (generate's modules, docs' pages,
 * introspect's XML) is named after an interface, and an interface name comes from input XML
 * or, with `introspect`, from a live peer. `--relax DBUS030` lets a name such as
 * `org.example/../../x` through the name rules, so the name alone must never decide where a
 * file lands: a file name that resolves outside the output directory is refused, whatever was
 * relaxed.
 *
 * Two layers, one rule ({@link escapingReason}):
 * - {@link outputNameProblem}: a located diagnostic (DBUS091, never relaxable) found while
 *   checking, so the run stops before anything is rendered or written;
 * - {@link containedPaths}: the guard at the place files are written; it checks every path
 *   of the run before the first write and throws {@link OutputPathError} (nothing written).
 */
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { type Diagnostic, UsageError } from '../generator/diagnostics.js';
import type { Location } from '../spec/model.js';

/** Thrown by {@link containedPaths} before anything is written; the CLI exits 2 with it. */
export class OutputPathError extends UsageError {}

/**
 * Why `file` (relative to an output directory) would not land inside it, or undefined when
 * it does. Lexical, so it holds for any output directory: an absolute path, a `..` that climbs
 * above the directory, a NUL byte. A `/` that stays inside (a subdirectory) is allowed.
 */
export function escapingReason(file: string): string | undefined {
  if (file.includes('\0')) return 'it contains a NUL byte';
  if (isAbsolute(file)) return 'it is an absolute path';
  const root = resolve('/', 'out');
  return outside(root, resolve(root, file)) ? OUTSIDE : undefined;
}

const OUTSIDE = 'it resolves outside the output directory';

function outside(root: string, target: string): boolean {
  const rel = relative(root, target);
  return rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel);
}

/** The located error for an interface whose output file `file` would escape, if it would. */
export function outputNameProblem(
  name: string,
  file: string,
  location: Location,
): Diagnostic | undefined {
  const why = escapingReason(file);
  if (why === undefined) return undefined;
  return {
    severity: 'error',
    code: 'DBUS091',
    message: `interface name ${JSON.stringify(name)} cannot name an output file: "${file}" is refused because ${why} (no --relax allows this)`,
    location,
  };
}

/**
 * The absolute paths of `files` inside `outDir`, or {@link OutputPathError} naming the first
 * one that would escape. Call it for the whole run before the first write.
 */
export function containedPaths(outDir: string, files: readonly string[]): string[] {
  const root = resolve(outDir);
  return files.map((file) => {
    const target = resolve(root, file);
    const why = escapingReason(file) ?? (outside(root, target) ? OUTSIDE : undefined);
    if (why !== undefined) {
      throw new OutputPathError(
        `refusing to write ${JSON.stringify(file)}: ${why} (${root}); nothing written`,
      );
    }
    return target;
  });
}
