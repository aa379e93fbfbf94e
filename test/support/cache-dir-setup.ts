/**
 * vitest globalSetup: every CLI the tests run (and their children) caches under one private
 * temporary directory (DBUS_CODEGEN_TS_CACHE_DIR: code cache, stat cache), removed at the end,
 * so a test run never writes into the user's ~/.cache and never reads entries left by another.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'dbus-codegen-ts-cache-'));
  process.env['DBUS_CODEGEN_TS_CACHE_DIR'] = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
