/**
 * API changes between two versions of the XML: OLD and NEW files or directories, or paths as
 * committed at a git revision against the working tree. Every change is classified
 * (wire-breaking, source-breaking, compatible; generator/diff/compare.ts has the rules). The
 * data behind `dbus-codegen-ts diff`; the CLI prints it and decides the exit code.
 */
import { type Code, type Diagnostic, hasErrors, UsageError } from '../generator/diagnostics.js';
import { type ApiChange, compareInterfaces } from '../generator/diff/compare.js';
import { readGitSide, readSide, type Side } from '../generator/diff/load.js';
import { parseDefines } from './options.js';

/** Options of {@link diffFiles}: `git` diffs against the inputs as committed at that revision. */
export interface DiffOptions {
  /** A git revision: compare the paths as committed there with the working tree. */
  readonly git?: string;
  /** `NAME=VALUE` values for `$(env.NAME)` in `<?if?>` blocks, on both sides. */
  readonly define?: readonly string[];
  /** Error codes to report as warnings (DBUS030, DBUS041), on both sides. */
  readonly relax?: readonly string[];
  /** Compare docs (default true); false for a side without any, e.g. introspected XML. */
  readonly docs?: boolean;
}

/** What {@link diffFiles} found: every classified change, or the diagnostics that stopped it. */
export interface DiffResult {
  readonly changes: readonly ApiChange[];
  /** Problems reading or checking either side; no changes are computed when there are errors. */
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * `paths`: OLD and NEW, or with `git` the paths to compare against their committed version.
 * Throws {@link UsageError} for the wrong number of paths.
 *
 * @example
 * ```ts
 * import { diffFiles } from 'dbus-codegen-ts';
 * const { changes } = diffFiles(['old/org.example.Thing1.xml', 'interfaces/org.example.Thing1.xml']);
 * const breaking = changes.filter((c) => c.verdict === 'wire-breaking');
 * ```
 */
export function diffFiles(
  paths: readonly string[],
  options: DiffOptions = {},
  cwd = process.cwd(),
): DiffResult {
  const o = {
    defines: parseDefines(options.define ?? []),
    relax: (options.relax ?? []) as Code[],
  };
  let before: Side;
  let after: Side;
  if (options.git !== undefined) {
    if (paths.length === 0) throw new UsageError('diff --git REV needs the paths to compare');
    before = readGitSide(options.git, paths, o, cwd);
    after = readSide(paths, o, cwd);
  } else {
    if (paths.length !== 2) throw new UsageError('diff needs OLD and NEW (or --git REV PATH...)');
    before = readSide([paths[0]!], o, cwd);
    after = readSide([paths[1]!], o, cwd);
  }
  const diagnostics = [...before.diagnostics, ...after.diagnostics];
  if (hasErrors(diagnostics)) return { changes: [], diagnostics };
  const changes = compareInterfaces(before.interfaces, after.interfaces, {
    docs: options.docs ?? true,
  });
  return { changes, diagnostics };
}
