/**
 * What the no-change fast path compares: per output file, a hash over everything that decides
 * that file. Every hash starts with the tool identity (package version + the source of the
 * stages that decide output bytes, so editing a template invalidates old output even before the
 * version changes; editing the CLI, lint or the writer does not) and the output-shaping settings.
 * Then:
 * - an interface module: the bytes of the XML file(s) its interface came from, nothing else
 *   (emitters/ts-names.ts names a module from its own interface alone, never from the rest of the run);
 * - index.ts: the module names, its Source list, and the bytes of the inputs that produced no
 *   module (so an input that gains an interface is noticed without parsing it).
 * Editing one XML file therefore changes one module's hash, not every file's.
 * From a checkout the `.ts` sources are hashed, from an installed package the shipped `.js`;
 * `tsx` and `dist/` runs of one checkout agree.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSha256 } from './sha256.js';
import { stampedToolHash, toolHash, writeToolStamp } from './tool-hash.js';

/** What one run's outputs are compared against. */
export interface RunState {
  /** Output-shaping options, already normalised (sorted keys), as JSON. */
  readonly settings: string;
  /** Every input as shown in headers (relative, forward slashes) with its bytes. */
  readonly inputs: ReadonlyMap<string, Uint8Array>;
}

export function sha256(data: string | Uint8Array): string {
  return createSha256().update(data).digest('hex');
}

interface ToolSource {
  readonly root: string;
  readonly ext: '.ts' | '.js';
}

/** The package root and which files to hash (see the module comment). */
function toolSource(): ToolSource {
  const here = dirname(fileURLToPath(import.meta.url)); // .../build
  const root = dirname(here);
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  if (basename(root) === 'dist' && existsSync(join(dirname(root), 'emitters', 'index.ts'))) {
    return { root: dirname(root), ext: '.ts' };
  }
  return { root, ext };
}

/** Where the build-time stamp sits: dist/, above this module's folder (build/, or cli/ for the bin's bundle). */
function stampDir(): string {
  return dirname(dirname(fileURLToPath(import.meta.url)));
}

let cachedTool: { version: string; hash: string } | undefined;

/**
 * Package version + hash of the spec/, generator/ and emitters/ sources that decide output
 * (tool-hash.ts); from `dist/`, the hash recorded at build time when it still vouches for them.
 */
export function toolIdentity(): { version: string; hash: string } {
  if (cachedTool !== undefined) return cachedTool;
  const { root, ext } = toolSource();
  let version = '0.0.0';
  for (const pkg of [join(root, 'package.json'), join(dirname(root), 'package.json')]) {
    if (existsSync(pkg)) {
      version = (JSON.parse(readFileSync(pkg, 'utf8')) as { version?: string }).version ?? version;
      break;
    }
  }
  const compiled = !import.meta.url.endsWith('.ts');
  const hash =
    (compiled ? stampedToolHash(stampDir(), root, ext) : undefined) ?? toolHash(root, ext);
  cachedTool = { version, hash };
  return cachedTool;
}

/** The name of the re-exporting module every run writes next to the interface modules. */
export const INDEX_FILE = 'index.ts';

/**
 * The hash written into the fingerprint line of output `path` (16 hex digits), or undefined
 * when a module names a source that is not an input of this run (it cannot be current).
 * `sources` are the files of its Source line; `modules` the module names of the run, sorted
 * (they decide index.ts only).
 */
export function outputHash(
  state: RunState,
  path: string,
  sources: readonly string[],
  modules: readonly string[],
): string | undefined {
  const tool = toolIdentity();
  const h = createSha256();
  h.update(`dbus-codegen-ts ${tool.version} ${tool.hash}\0${state.settings}\0`);
  h.update(path === INDEX_FILE ? `index\0${modules.join('\0')}\0\0` : 'module\0\0');
  const listed = new Set(sources);
  const hashed =
    path === INDEX_FILE
      ? [...state.inputs.keys()].filter((f) => !listed.has(f)) // inputs that produced no module
      : [...listed];
  if (path === INDEX_FILE) h.update(`${[...listed].sort().join('\0')}\0\0`);
  for (const file of hashed.sort()) {
    const bytes = state.inputs.get(file);
    if (bytes === undefined) return undefined;
    h.update(`${file}\0${bytes.length}\0`);
    h.update(bytes);
  }
  return h.digest('hex').slice(0, 16);
}

/**
 * Writes `dist/tool-identity.json` for this compiled copy (scripts/build-quick.mjs, after
 * `tsc`); false when the sources were too fresh to stamp (tool-hash.ts).
 */
export function writeBuildStamp(): boolean {
  const { root, ext } = toolSource();
  return writeToolStamp(stampDir(), root, ext);
}
