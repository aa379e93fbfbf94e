/**
 * Stats that vouch for a hash computed earlier (git's index uses the same trust). The build-time
 * tool stamp (tool-hash.ts) and the quick start's stat cache (cli/stat-cache.ts) both record
 * `[path, size, mtimeMs, ctimeMs, ino]` for every path their hash depends on and trust the hash
 * only while every stat is identical: ctime cannot be set back, so an edit is always seen.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';

/** `[path, size, mtimeMs, ctimeMs, ino]`, or `[path]` when it does not exist. */
export type StatEntry = readonly [string, ...number[]];

/**
 * Nothing is recorded for files changed less than this before recording: a later edit within
 * the same timestamp tick would keep every stat (a coarse clock's tick and more).
 */
export const RACY_MS = 2000;

/** The stat of `path` (joined to `root` when given, recorded as `path`). */
export function statEntry(path: string, root?: string): StatEntry {
  try {
    const s = statSync(root === undefined ? path : join(root, path));
    return [path, s.size, s.mtimeMs, s.ctimeMs, s.ino];
  } catch {
    return [path];
  }
}

/** True when `recorded` is a non-empty list of stats that are all identical now. */
export function statsUnchanged(recorded: unknown, root?: string): boolean {
  if (!Array.isArray(recorded) || recorded.length === 0) return false;
  for (const r of recorded) {
    if (!Array.isArray(r) || typeof r[0] !== 'string') return false;
    const now = statEntry(r[0], root);
    if (now.length !== r.length || now.some((v, i) => v !== r[i])) return false;
  }
  return true;
}

/**
 * True when the stats taken before hashing (`before`) equal those after (nothing moved while
 * hashing) and no existing path changed within {@link RACY_MS} of `nowMs`.
 */
export function settled(
  before: readonly StatEntry[],
  after: readonly StatEntry[],
  nowMs: number,
): boolean {
  if (JSON.stringify(before) !== JSON.stringify(after)) return false;
  return after.every(
    ([, , mtime, ctime]) =>
      mtime === undefined ||
      ctime === undefined ||
      (nowMs - mtime >= RACY_MS && nowMs - ctime >= RACY_MS),
  );
}
