/**
 * The hash of the tool's output-deciding sources (fingerprint.ts's tool identity), and its
 * build-time stamp. Hashing ~35 files behind a recursive listing cost 6-13 ms of a ~60 ms
 * no-change run, so `npm run build` records the hash in `dist/tool-identity.json` together with
 * the stat of every hashed file and of every directory walked (size, inode, mtime and ctime in
 * milliseconds with their sub-millisecond fraction; bigint stats cost ~4 ms more per run). A run uses the recorded hash only when every one of those stats is still
 * identical; anything else (an edited, added, removed or renamed source: the file's ctime, or
 * its directory's mtime and ctime, moves; a dist copied or installed elsewhere: other inodes and
 * ctimes) hashes the sources as before. ctime cannot be set back by `touch`, so a stale stamp
 * is never trusted. Files changed within RACY_MS (stat-vouch.ts) of stamping are "racily clean" (git's
 * term: a later edit in the same clock tick would keep every stat), and then no stamp is
 * written. The value is always exactly {@link toolHash}'s for the same sources.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createSha256 } from './sha256.js';
import { type StatEntry, settled, statEntry, statsUnchanged } from './stat-vouch.js';

/** Path prefixes (from the package root) of the sources that decide output bytes. */
export const OUTPUT_SOURCES: readonly string[] = [
  'spec/',
  'emitters/',
  'generator/parse',
  'generator/build-model',
  'generator/check.',
];

/** Under OUTPUT_SOURCES but not deciding the TypeScript output (the `docs` command's Markdown). */
export const NOT_OUTPUT_SOURCES: readonly string[] = ['emitters/markdown'];

const TOP_DIRS = ['spec', 'generator', 'emitters'] as const;

/** The stamp's file name, in the directory above the compiled `build/` (that is, `dist/`). */
export const TOOL_STAMP_FILE = 'tool-identity.json';

/** The hashed files of one top directory, relative to it, sorted. */
function hashedFiles(root: string, dir: string, ext: string): string[] {
  return (readdirSync(join(root, dir), { recursive: true }) as string[])
    .map((f) => f.split('\\').join('/'))
    .filter((f) => f.endsWith(ext) && !f.endsWith('.d.ts'))
    .filter((f) => OUTPUT_SOURCES.some((p) => `${dir}/${f}`.startsWith(p)))
    .filter((f) => !NOT_OUTPUT_SOURCES.some((p) => `${dir}/${f}`.startsWith(p)))
    .sort();
}

/** The hash of the `ext` sources under `root` that decide output bytes (hex SHA-256). */
export function toolHash(root: string, ext: '.ts' | '.js'): string {
  const h = createSha256();
  for (const dir of TOP_DIRS) {
    if (!existsSync(join(root, dir))) continue;
    for (const f of hashedFiles(root, dir, ext)) {
      h.update(`${dir}/${f}\0`);
      h.update(readFileSync(join(root, dir, f)));
      h.update('\0');
    }
  }
  return h.digest('hex');
}

/** What `dist/tool-identity.json` holds. */
export interface ToolStamp {
  readonly format: 1;
  /** The hashed sources' root, relative to the stamp's directory (`..`: the checkout). */
  readonly root: string;
  readonly ext: '.ts' | '.js';
  readonly hash: string;
  readonly stats: readonly StatEntry[];
}

/** Every path whose stat vouches for the hash: the top directories, their subdirectories, the hashed files. */
function vouchingPaths(root: string, ext: string): string[] {
  const paths: string[] = [];
  for (const dir of TOP_DIRS) {
    paths.push(dir);
    if (!existsSync(join(root, dir))) continue;
    const all = (readdirSync(join(root, dir), { recursive: true }) as string[]).map((f) =>
      f.split('\\').join('/'),
    );
    for (const f of all) if (statSync(join(root, dir, f)).isDirectory()) paths.push(`${dir}/${f}`);
    for (const f of hashedFiles(root, dir, ext)) paths.push(`${dir}/${f}`);
  }
  return paths;
}

/**
 * The stamp for the sources under `root`, to be written in `stampDir`; undefined when a source
 * changed within RACY_MS of `nowMs` (then no stamp is written and runs hash).
 */
export function makeToolStamp(
  stampDir: string,
  root: string,
  ext: '.ts' | '.js',
  nowMs: number = Date.now(),
): ToolStamp | undefined {
  const before = vouchingPaths(root, ext).map((p) => statEntry(p, root));
  const hash = toolHash(root, ext);
  const after = vouchingPaths(root, ext).map((p) => statEntry(p, root));
  // Changed while hashing (the hash may mix old and new bytes), or racily clean: no stamp.
  if (!settled(before, after, nowMs)) return undefined;
  const rel = relative(stampDir, root).split('\\').join('/');
  return { format: 1, root: rel === '' ? '.' : rel, ext, hash, stats: after };
}

/** Writes the stamp (or removes nothing and writes nothing when there is none); true if written. */
export function writeToolStamp(stampDir: string, root: string, ext: '.ts' | '.js'): boolean {
  const stamp = makeToolStamp(stampDir, root, ext);
  if (stamp === undefined) return false;
  writeFileSync(join(stampDir, TOOL_STAMP_FILE), `${JSON.stringify(stamp)}\n`);
  return true;
}

/**
 * The stamped hash when `stampDir` has a stamp for exactly these sources (same root and
 * extension, every stat identical); otherwise undefined (hash the sources).
 */
export function stampedToolHash(
  stampDir: string,
  root: string,
  ext: '.ts' | '.js',
): string | undefined {
  let stamp: ToolStamp;
  try {
    stamp = JSON.parse(readFileSync(join(stampDir, TOOL_STAMP_FILE), 'utf8')) as ToolStamp;
  } catch {
    return undefined;
  }
  const rel = relative(stampDir, root).split('\\').join('/');
  if (
    stamp?.format !== 1 ||
    stamp.root !== (rel === '' ? '.' : rel) ||
    stamp.ext !== ext ||
    typeof stamp.hash !== 'string' ||
    !statsUnchanged(stamp.stats, root)
  ) {
    return undefined;
  }
  return stamp.hash;
}
