/**
 * Writing output: only files whose content changed are written; `--check` writes nothing and
 * reports what is stale or missing. Owns the fingerprint line every generated file carries:
 *
 *   // dbus-codegen-ts fingerprint: run=<16 hex> files=<n> warnings=<n> body=<16 hex>
 *
 * `run` hashes everything that decides the output (fingerprint.ts), `files` is how many files
 * the run produced, `warnings` how many warnings its inputs had, `body` hashes the file
 * without this line (so hand edits are noticed). When every file of a run is present with
 * matching hashes, nothing needs regenerating and the templates (ts-morph, ~0.5 s to load)
 * are never imported; when the run also had no warnings, the XML is not even re-read.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { sha256 } from './fingerprint.js';

export type FileStatus = 'written' | 'unchanged' | 'stale' | 'missing';

export interface OutputFile {
  /** Relative to the output directory, forward slashes. */
  readonly path: string;
  readonly content: string;
}

const TAG = '// dbus-codegen-ts fingerprint:';
const LINE =
  /^\/\/ dbus-codegen-ts fingerprint: run=([0-9a-f]{16}) files=(\d+) warnings=(\d+) body=([0-9a-f]{16})\n/m;
const PENDING = /^\/\/ dbus-codegen-ts fingerprint: run=([0-9a-f]{16}) pending\n/m;
/** Only the header is searched: the first lines (the command line before it can be long). */
const HEAD_LINES = 10;

function head(content: string): string {
  let end = -1;
  for (let i = 0; i < HEAD_LINES; i++) {
    end = content.indexOf('\n', end + 1);
    if (end === -1) return content;
  }
  return content.slice(0, end + 1);
}

/** The line handed to the templates; {@link stamp} completes it once the files are known. */
export function pendingLine(run: string): string {
  return `${TAG} run=${run} pending`;
}

function bodyHash(withoutLine: string): string {
  return sha256(withoutLine).slice(0, 16);
}

/** Completes the pending fingerprint line of every file that has one. */
export function stamp(files: readonly OutputFile[], run: string, warnings: number): OutputFile[] {
  const count = files.filter((f) => PENDING.test(head(f.content))).length;
  return files.map((f) => {
    const m = PENDING.exec(head(f.content));
    if (m === null) return f;
    const body = f.content.slice(0, m.index) + f.content.slice(m.index + m[0].length);
    const line = `${TAG} run=${run} files=${count} warnings=${warnings} body=${bodyHash(body)}\n`;
    return { path: f.path, content: f.content.slice(0, m.index) + line + body.slice(m.index) };
  });
}

interface Fingerprint {
  readonly run: string;
  readonly files: number;
  readonly warnings: number;
  /** The body hash matches the file's content (no hand edits). */
  readonly intact: boolean;
}

export function readFingerprint(content: string): Fingerprint | undefined {
  const m = LINE.exec(head(content));
  if (m === null) return undefined;
  const body = content.slice(0, m.index) + content.slice(m.index + m[0].length);
  return {
    run: m[1]!,
    files: Number(m[2]),
    warnings: Number(m[3]),
    intact: bodyHash(body) === m[4],
  };
}

/**
 * The no-change fast path: the files of `outDir` produced by run `run`, when all of them are
 * there and intact; otherwise undefined (generate normally).
 */
export function freshOutputs(
  outDir: string,
  run: string,
): { files: OutputFile[]; warnings: number } | undefined {
  let names: string[];
  try {
    names = readdirSync(outDir, { recursive: true }) as string[];
  } catch {
    return undefined;
  }
  const found: OutputFile[] = [];
  let expected = -1;
  let warnings = 0;
  for (const name of names) {
    let content: string;
    try {
      content = readFileSync(join(outDir, name), 'utf8');
    } catch {
      continue; // a directory
    }
    const fp = readFingerprint(content);
    if (fp === undefined || fp.run !== run) continue;
    if (!fp.intact || (expected !== -1 && fp.files !== expected)) return undefined;
    expected = fp.files;
    warnings = fp.warnings;
    found.push({ path: name.split('\\').join('/'), content });
  }
  if (found.length === 0 || found.length !== expected) return undefined;
  const files = found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, warnings };
}

/** Compares each file with the disk; writes changed ones unless `checkOnly`. */
export function writeOutputs(
  outDir: string,
  files: readonly OutputFile[],
  checkOnly: boolean,
): { file: OutputFile; status: FileStatus }[] {
  // One listing instead of a failing read per new file (the corpus writes ~900 files).
  const present = listFiles(outDir);
  const made = new Set<string>();
  return files.map((file) => {
    const target = join(outDir, file.path);
    const existing = present.has(file.path) ? readOrUndefined(target) : undefined;
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
}

function listFiles(dir: string): Set<string> {
  try {
    return new Set(
      (readdirSync(dir, { recursive: true }) as string[]).map((f) => f.split('\\').join('/')),
    );
  } catch {
    return new Set();
  }
}

function readOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
