/**
 * What the no-change fast path compares: a hash over everything that decides the output.
 * The inputs' bytes, the options that shape output, the package version, and the source of
 * the stages that decide output bytes (so editing a template invalidates old output even
 * before the version changes). Only those stages: editing the CLI, lint or the writer does
 * not make every checked-in file stale. From a checkout the `.ts` sources are hashed, from an
 * installed package the shipped `.js`; `tsx` and `dist/` runs of one checkout agree.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface RunIdentity {
  /** Inputs as shown in headers (sorted, relative) with their bytes. */
  readonly inputs: readonly { readonly file: string; readonly bytes: Uint8Array }[];
  /** Output-shaping options, already normalised (sorted keys). */
  readonly settings: unknown;
}

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

interface ToolSource {
  readonly root: string;
  readonly ext: '.ts' | '.js';
}

/** The package root and which files to hash (see the module comment). */
function toolSource(): ToolSource {
  const here = dirname(fileURLToPath(import.meta.url)); // .../generator
  const root = dirname(here);
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  if (basename(root) === 'dist' && existsSync(join(dirname(root), 'templates', 'index.ts'))) {
    return { root: dirname(root), ext: '.ts' };
  }
  return { root, ext };
}

/** Path prefixes (from the package root) of the sources that decide output bytes. */
export const OUTPUT_SOURCES: readonly string[] = [
  'templates/',
  'generator/names',
  'generator/parse',
  'generator/build-model',
  'generator/check.',
];

/** Under OUTPUT_SOURCES but not deciding the TypeScript output (the `docs` command's Markdown). */
export const NOT_OUTPUT_SOURCES: readonly string[] = ['templates/markdown'];

let cachedTool: { version: string; hash: string } | undefined;

/** Package version + hash of generator/ and templates/ sources. */
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
  const h = createHash('sha256');
  for (const dir of ['generator', 'templates']) {
    const abs = join(root, dir);
    if (!existsSync(abs)) continue;
    const files = (readdirSync(abs, { recursive: true }) as string[])
      .map((f) => f.split('\\').join('/'))
      .filter((f) => f.endsWith(ext) && !f.endsWith('.d.ts'))
      .filter((f) => OUTPUT_SOURCES.some((p) => `${dir}/${f}`.startsWith(p)))
      .filter((f) => !NOT_OUTPUT_SOURCES.some((p) => `${dir}/${f}`.startsWith(p)))
      .sort();
    for (const f of files) {
      h.update(`${dir}/${f}\0`);
      h.update(readFileSync(join(abs, f)));
      h.update('\0');
    }
  }
  cachedTool = { version, hash: h.digest('hex') };
  return cachedTool;
}

/** The run hash written into every generated file's fingerprint line (16 hex digits). */
export function runHash(id: RunIdentity): string {
  const tool = toolIdentity();
  const h = createHash('sha256');
  h.update(`dbus-codegen-ts ${tool.version} ${tool.hash}\0`);
  h.update(`${JSON.stringify(id.settings)}\0`);
  for (const i of id.inputs) {
    h.update(`${i.file}\0${i.bytes.length}\0`);
    h.update(i.bytes);
  }
  return h.digest('hex').slice(0, 16);
}
