/**
 * What tests and benches that run the generator or a child node share: a scratch directory
 * under the OS temp dir, its removal, one interface's XML, and the tsx loader for running
 * TypeScript sources in a child process. No vitest here: the benches import it too.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from './corpus.js';

/** A new, empty directory `<os tmp>/<prefix>XXXXXX`; remove it with {@link removeDir}. */
export function makeTempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Removes `dir` and everything below it; a missing one is fine. */
export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** A document holding one interface `name` with `members` (XML text) inside. */
export function interfaceDocument(name: string, members: string): string {
  return `<node>\n  <interface name="${name}">\n    ${members}\n  </interface>\n</node>\n`;
}

/**
 * `--import` value that lets a child `node` run .ts files: a URL, so that it resolves from a
 * child whose cwd is a temp dir (outside this repo's node_modules).
 */
export const TSX_LOADER = pathToFileURL(join(repoRoot, 'node_modules/tsx/dist/loader.mjs')).href;
