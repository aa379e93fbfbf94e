/**
 * Where the CLI's caches live (code-cache.ts, stat-cache.ts): never inside the user's project.
 * Kept apart from code-cache.ts so the quick start can find its stat cache without loading
 * `node:crypto`, `node:vm` or `node:zlib`.
 */
import { chmodSync, mkdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The cache root for `env` (`$DBUS_CODEGEN_TS_CACHE_DIR`, `$XDG_CACHE_HOME/dbus-codegen-ts`, `~/.cache/dbus-codegen-ts`), or undefined when caching is off. */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env['DBUS_CODEGEN_TS_NO_CACHE'] === '1') return undefined;
  const explicit = env['DBUS_CODEGEN_TS_CACHE_DIR'];
  if (explicit !== undefined && explicit !== '') return explicit;
  const xdg = env['XDG_CACHE_HOME'];
  if (xdg?.startsWith('/')) return join(xdg, 'dbus-codegen-ts');
  let home: string;
  try {
    home = homedir();
  } catch {
    return undefined;
  }
  return home === '' ? undefined : join(home, '.cache', 'dbus-codegen-ts');
}

/**
 * Creates `dir` (mode 0700) when missing; true when it is a directory owned by this user
 * (group/other write is removed), so nobody else can plant entries in it.
 */
export function usableDir(dir: string): boolean {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = statSync(dir);
    const uid = process.getuid?.();
    if (!st.isDirectory() || (uid !== undefined && st.uid !== uid)) return false;
    if ((st.mode & 0o022) !== 0) chmodSync(dir, st.mode & ~0o022 & 0o7777);
    return true;
  } catch {
    return false;
  }
}
