/**
 * The quick start's verified-stat cache (git's index uses the same trust). After a quick run
 * has verified by hashing that every output is current, it records for that output directory
 * the stat (size, inode, mtime, ctime) of every input, of each input's directory (a new `*.xml`
 * there changes the regenerate command), of every `.ts` file the check read and of the output
 * directory itself (adding, removing or renaming a file moves its mtime and ctime), with the
 * tool identity and the exact options it was verified for. A later run whose options and tool
 * are the same and whose every stat is identical answers without reading a file or loading
 * `node:crypto`. Any difference, or a missing, damaged or foreign entry, hashes as before (and
 * the entry is rewritten when that verifies). ctime cannot be set back (`touch`/utimes move it),
 * so an edit is always seen. Racily clean files (changed within RACY_MS of recording:
 * a later edit in the same timestamp tick would keep every stat) are never recorded, nor stats
 * that moved while hashing.
 *
 * Entries sit in `stat/` under the code cache's root (cache-root.ts; 0700, owned by us), one
 * per output directory, named by a non-cryptographic hash of its absolute path (the entry
 * names the directory in full and is checked against it), file mode 0600, written to a
 * temporary name and renamed; an entry or folder that others can write is not trusted.
 * `DBUS_CODEGEN_TS_NO_CACHE=1` turns it off.
 */
import { readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { toolIdentity } from '../build/fingerprint.js';
import type { GenerateOptions } from '../build/options.js';
import { type StatEntry, settled, statEntry, statsUnchanged } from '../build/stat-vouch.js';
import { listModules } from '../build/write.js';
import { cacheRoot, usableDir } from './cache-root.js';

/** What one run is: its output directory, its options and the tool that checks them. */
export interface StatKey {
  readonly outDir: string;
  readonly run: string;
  readonly tool: string;
}

interface Entry extends StatKey {
  readonly format: 1;
  readonly count: number;
  readonly stats: readonly StatEntry[];
}

/** The key of `options` (as the quick start would pass them to generate()). */
export function statKey(options: GenerateOptions, tool = toolIdentity()): StatKey {
  const cwd = options.cwd ?? process.cwd();
  return {
    outDir: resolve(cwd, options.outDir),
    run: JSON.stringify({ ...options, cwd }),
    tool: `${tool.version} ${tool.hash}`,
  };
}

/** The entry's file for `outDir` under the cache root of `env`, or undefined when caching is off. */
export function statCacheFile(outDir: string, env: NodeJS.ProcessEnv): string | undefined {
  const root = cacheRoot(env);
  return root === undefined ? undefined : join(root, 'stat', `${pathHash(outDir)}.json`);
}

/** Two 32-bit FNV-1a hashes of `s` (only a file name: the entry is checked against the path). */
function pathHash(s: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x811c9dc5) ^ (b >>> 13);
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}

/** Every path whose stat vouches for the run's result (see the module comment). */
function vouchingPaths(options: GenerateOptions, outDir: string): string[] {
  const cwd = options.cwd ?? process.cwd();
  const inputs = options.inputs.map((i) => resolve(cwd, i));
  const dirs = [...new Set(inputs.map((i) => dirname(i)))];
  return [outDir, ...listModules(outDir).map((f) => join(outDir, f)), ...inputs, ...dirs];
}

/** The stats the cache compares, taken now (before and after the hashing check). */
export function takeStats(options: GenerateOptions, key: StatKey): StatEntry[] {
  return vouchingPaths(options, key.outDir).map((p) => statEntry(p));
}

/**
 * The file count recorded for `key` when the entry in `file` is for exactly this key and every
 * recorded stat is identical now; otherwise undefined (check by hashing).
 */
export function cachedCount(file: string, key: StatKey): number | undefined {
  let entry: Entry;
  try {
    // Only an entry nobody else could have written vouches (as usableDir demands when writing).
    if (!ownOnly(dirname(file)) || !ownOnly(file)) return undefined;
    entry = JSON.parse(readFileSync(file, 'utf8')) as Entry;
  } catch {
    return undefined;
  }
  if (
    entry?.format !== 1 ||
    entry.outDir !== key.outDir ||
    entry.run !== key.run ||
    entry.tool !== key.tool ||
    !Number.isInteger(entry.count) ||
    !statsUnchanged(entry.stats)
  ) {
    return undefined;
  }
  return entry.count;
}

/** True when `path` is owned by this user and neither group nor others can write it. */
function ownOnly(path: string): boolean {
  const st = statSync(path);
  const uid = process.getuid?.();
  return (uid === undefined || st.uid === uid) && (st.mode & 0o022) === 0;
}

/**
 * Records that `key`'s output was verified current with `count` files, when the stats taken
 * before the check (`before`) are still identical and none is racily clean at `nowMs`;
 * true when written. Failures only cost speed.
 */
export function recordVerified(
  file: string,
  key: StatKey,
  options: GenerateOptions,
  before: readonly StatEntry[],
  count: number,
  nowMs: number = Date.now(),
): boolean {
  const after = takeStats(options, key);
  // A missing input is never current; stats that moved while hashing or racily clean files
  // are not recorded.
  if (after.some((e) => e.length === 1) || !settled(before, after, nowMs)) return false;
  if (!usableDir(dirname(dirname(file))) || !usableDir(dirname(file))) return false;
  const entry: Entry = { format: 1, ...key, count, stats: after };
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, `${JSON.stringify(entry)}\n`, { mode: 0o600 });
    renameSync(tmp, file);
    return true;
  } catch {
    try {
      unlinkSync(tmp);
    } catch {
      // nothing was written
    }
    return false;
  }
}
