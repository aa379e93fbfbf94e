/**
 * A V8 code cache for the big CommonJS bundles that printing a module loads (ts-morph.js,
 * @ts-morph/common's ts-morph-common.js and its bundled typescript.js: 13 MB of JavaScript), on
 * Node versions without `module.enableCompileCache()` (< 22.1; cli.ts uses that one where it
 * exists). Compiling typescript.js is most of what a one-module regeneration costs on Node 20.
 *
 * Safety: an entry is keyed by the Node version, architecture, V8 flags, file name and length
 * plus a checksum of the module's source text, and carries a checksum of its own payload, checked
 * before V8 sees it (release builds of V8 do not verify code-cache checksums); a corrupt,
 * truncated or foreign entry is ignored and rewritten. The checksum is CRC-32 (zlib.crc32, as
 * Node's own compile cache does; SHA-256 cost ~40 ms more per run for 13 MB), SHA-256 where the
 * Node version has no zlib.crc32. Entries are written to a temporary name and renamed (atomic).
 * The cache root ({@link cacheRoot}) is `$DBUS_CODEGEN_TS_CACHE_DIR`, else
 * `$XDG_CACHE_HOME/dbus-codegen-ts`, else `~/.cache/dbus-codegen-ts`, never inside the user's
 * project; these entries live in its `v8/` (Node's own compile cache, on Node >= 22.1, in its
 * `node/`). The directory is created with mode 0700 and used only when owned by this user.
 * `DBUS_CODEGEN_TS_NO_CACHE=1` turns both caches off. Any failure only costs speed.
 */
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import nodeModule from 'node:module';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';
import * as zlib from 'node:zlib';
import { cacheRoot, usableDir } from './cache-root.js';

export { cacheRoot };

/** Bundles worth caching (path suffixes, forward slashes). */
const BUNDLES = [
  '/ts-morph/dist/ts-morph.js',
  '/@ts-morph/common/dist/ts-morph-common.js',
  '/@ts-morph/common/dist/typescript.js',
];

const MAGIC = 'dbus-codegen-ts v8 cache 1\n';
const SUM_BYTES = 32;

const crc32 = (zlib as { crc32?: (data: string | Uint8Array) => number }).crc32;

/** A checksum of `data` in {@link SUM_BYTES} bytes. */
function checksum(data: string | Uint8Array): Buffer {
  if (crc32 === undefined) return createHash('sha256').update(data).digest();
  const out = Buffer.alloc(SUM_BYTES);
  out.writeUInt32BE(crc32(data) >>> 0, 0);
  return out;
}

/**
 * The CLI's compile cache: Node's own where it has one (>= 22.1), else {@link installCodeCache}
 * for the ts-morph bundles; both under {@link cacheRoot}. Returns which one, or undefined (off).
 */
export function enableCodeCache(env: NodeJS.ProcessEnv = process.env): 'node' | 'v8' | undefined {
  const root = cacheRoot(env);
  if (root === undefined) return undefined;
  const mod = nodeModule as { enableCompileCache?: (dir?: string) => unknown };
  if (typeof mod.enableCompileCache === 'function') {
    if (!usableDir(root)) return undefined;
    try {
      mod.enableCompileCache(join(root, 'node'));
      return 'node';
    } catch {
      return undefined;
    }
  }
  return installCodeCache(join(root, 'v8')) ? 'v8' : undefined;
}

/** The entry's file name: everything that must match for V8's data to be valid for `source`. */
export function entryName(filename: string, source: string): string {
  const h = createHash('sha256');
  h.update(`${process.version}\0${process.arch}\0${process.execArgv.join(' ')}\0${filename}\0`);
  h.update(`${source.length}\0`);
  h.update(checksum(source));
  return `${h.digest('hex').slice(0, 32)}.v8`;
}

/** `MAGIC`, checksum of the payload, payload. */
export function encodeEntry(payload: Buffer): Buffer {
  return Buffer.concat([Buffer.from(MAGIC), checksum(payload), payload]);
}

/** The payload of an entry when it is intact; undefined when corrupt or truncated. */
export function decodeEntry(data: Buffer): Buffer | undefined {
  const head = MAGIC.length + SUM_BYTES;
  if (data.length <= head || data.subarray(0, MAGIC.length).toString('latin1') !== MAGIC) {
    return undefined;
  }
  const payload = data.subarray(head);
  return checksum(payload).equals(data.subarray(MAGIC.length, head)) ? payload : undefined;
}

/** True when `dir` exists (created 0700 if not), is ours and is not writable by others. */
function writeAtomic(file: string, data: Buffer): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, data, { mode: 0o600 });
    renameSync(tmp, file);
  } catch {
    try {
      unlinkSync(tmp);
    } catch {
      // nothing was written
    }
  }
}

interface CompilingModule {
  exports: unknown;
  require(id: string): unknown;
}

type Compile = (this: CompilingModule, content: string, filename: string) => unknown;

let installed = false;

/**
 * Routes the compilation of the bundles through a code cache in `dir` (see the module
 * comment); every other module compiles as usual. New or refreshed entries are written when the
 * process exits, so they include the functions this run compiled lazily (the printer's).
 * Returns false when not installed (already installed, caching off, directory unusable).
 */
export function installCodeCache(dir: string): boolean {
  if (installed || !usableDir(dir)) return false;
  const Module = nodeModule as unknown as {
    prototype: { _compile: Compile };
    _resolveFilename(request: string, parent: unknown, isMain: boolean, options?: unknown): string;
    _extensions: unknown;
    _cache: unknown;
  };
  const original = Module.prototype._compile;
  if (typeof original !== 'function') return false;
  installed = true;
  const pending: { file: string; script: Script }[] = [];
  Module.prototype._compile = function compile(this: CompilingModule, content, filename) {
    const unix = filename.split('\\').join('/');
    if (!BUNDLES.some((b) => unix.endsWith(b))) return original.call(this, content, filename);
    const file = join(dir, entryName(filename, content));
    let cached: Buffer | undefined;
    try {
      cached = decodeEntry(readFileSync(file));
    } catch {
      cached = undefined;
    }
    // CommonJS's own wrapper, so line/column numbers in stacks stay those of the file.
    const script = new Script(
      `(function (exports, require, module, __filename, __dirname) { ${content}\n})`,
      { filename, ...(cached !== undefined ? { cachedData: cached } : {}) },
    );
    if (cached === undefined || script.cachedDataRejected === true) pending.push({ file, script });
    const require = Object.assign((id: string) => this.require(id), {
      resolve: (request: string, options?: unknown) =>
        Module._resolveFilename(request, this, false, options),
      main: process.mainModule,
      extensions: Module._extensions,
      cache: Module._cache,
    });
    const wrapper = script.runInThisContext() as (...args: unknown[]) => unknown;
    return wrapper.call(this.exports, this.exports, require, this, filename, dirname(filename));
  };
  process.once('exit', () => {
    for (const { file, script } of pending)
      writeAtomic(file, encodeEntry(script.createCachedData()));
  });
  return true;
}
