/**
 * Writing output: only files whose content changed are written; `--check` writes nothing and
 * reports what is stale or missing. Owns the fingerprint line every generated file carries:
 *
 *   // dbus-codegen-ts fingerprint: hash=<16 hex> warnings=<n> body=<16 hex>
 *
 * `hash` covers everything that decides this one file (fingerprint.ts: its own XML, not the
 * other files'), `warnings` is how many warnings its inputs had (index.ts counts those located
 * in no module's XML), `body` hashes the file without this line (so hand edits are noticed).
 * When every file of a run is present with matching hashes, nothing needs regenerating and the
 * templates (ts-morph, ~0.5 s to load) are never imported (fresh.ts); when the run also had no
 * warnings, the XML is not even parsed.
 *
 * Orphans: a file directly in the output directory that this run does not produce, but whose
 * header says dbus-codegen-ts generated it (its XML was removed), is reported as `stale` by
 * `--check` and deleted by a normal run. Files without that header are never touched.
 */
import { mkdirSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isGeneratedHeader } from '../templates/header.js';
import { sha256 } from './fingerprint.js';

/** `deleted`: an orphan removed by this run; with `check` orphans are `stale`. */
export type FileStatus = 'written' | 'unchanged' | 'stale' | 'missing' | 'deleted';

export interface OutputFile {
  /** Relative to the output directory, forward slashes. */
  readonly path: string;
  readonly content: string;
}

const TAG = '// dbus-codegen-ts fingerprint:';
const LINE =
  /^\/\/ dbus-codegen-ts fingerprint: hash=([0-9a-f]{16}) warnings=(\d+) body=([0-9a-f]{16})\n/m;
const PENDING_LINE = `${TAG} pending`;
const PENDING = /^\/\/ dbus-codegen-ts fingerprint: pending\n/m;
/** Only the header is searched: the first lines (the Source line before it can be long). */
const HEAD_LINES = 10;

function head(content: string): string {
  let end = -1;
  for (let i = 0; i < HEAD_LINES; i++) {
    end = content.indexOf('\n', end + 1);
    if (end === -1) return content;
  }
  return content.slice(0, end + 1);
}

/** The line handed to the templates; {@link stamp} completes it per file. */
export function pendingLine(): string {
  return PENDING_LINE;
}

function bodyHash(withoutLine: string): string {
  return sha256(withoutLine).slice(0, 16);
}

/** What {@link stamp} writes into one file's line. */
export interface Stamp {
  readonly hash: string;
  readonly warnings: number;
}

/** Completes the pending fingerprint line of every file that has one. */
export function stamp<F extends OutputFile>(
  files: readonly F[],
  stampOf: (file: F) => Stamp,
): OutputFile[] {
  return files.map((f) => {
    const m = PENDING.exec(head(f.content));
    if (m === null) return { path: f.path, content: f.content };
    const { hash, warnings } = stampOf(f);
    const body = f.content.slice(0, m.index) + f.content.slice(m.index + m[0].length);
    const line = `${TAG} hash=${hash} warnings=${warnings} body=${bodyHash(body)}\n`;
    return { path: f.path, content: f.content.slice(0, m.index) + line + body.slice(m.index) };
  });
}

export interface Fingerprint {
  readonly hash: string;
  readonly warnings: number;
  /** The body hash matches the file's content (no hand edits). */
  readonly intact: boolean;
}

export function readFingerprint(content: string): Fingerprint | undefined {
  const m = LINE.exec(head(content));
  if (m === null) return undefined;
  const body = content.slice(0, m.index) + content.slice(m.index + m[0].length);
  return { hash: m[1]!, warnings: Number(m[2]), intact: bodyHash(body) === m[3] };
}

/**
 * Made by dbus-codegen-ts (any version's fingerprint line): the marker first, a fingerprint
 * line in the header. Only such files are ever deleted.
 */
export function isGenerated(content: string): boolean {
  return isGeneratedHeader(content) && head(content).includes(`\n${TAG} `);
}

/** The `.ts` files directly in `dir` (generated modules never live in subdirectories). */
export function listModules(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isFile() && e.name.endsWith('.ts'))
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}

/**
 * Compares each file with the disk; writes changed ones unless `checkOnly`. Orphans follow
 * the files of the run, sorted by path: `stale` when `checkOnly`, else `deleted`.
 */
export function writeOutputs(
  outDir: string,
  files: readonly OutputFile[],
  checkOnly: boolean,
): { file: OutputFile; status: FileStatus }[] {
  // One listing instead of a failing read per new file (the corpus writes ~900 files).
  const present = new Set(listModules(outDir));
  const made = new Set<string>();
  const results = files.map((file): { file: OutputFile; status: FileStatus } => {
    const target = join(outDir, file.path);
    const listed = present.has(file.path) || file.path.includes('/');
    const existing = listed ? readOrUndefined(target) : undefined;
    if (existing === file.content) return { file, status: 'unchanged' };
    if (checkOnly) return { file, status: existing === undefined ? 'missing' : 'stale' };
    const dir = dirname(target);
    if (!made.has(dir)) {
      mkdirSync(dir, { recursive: true });
      made.add(dir);
    }
    // No temp-and-rename: a torn write fails its body hash, so the next run rewrites it.
    writeFileSync(target, file.content);
    return { file, status: 'written' };
  });
  const produced = new Set(files.map((f) => f.path));
  for (const name of present) {
    if (produced.has(name)) continue;
    const content = readOrUndefined(join(outDir, name));
    if (content === undefined || !isGenerated(content)) continue;
    if (!checkOnly) unlinkSync(join(outDir, name));
    results.push({ file: { path: name, content }, status: checkOnly ? 'stale' : 'deleted' });
  }
  return results;
}

export function readOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
