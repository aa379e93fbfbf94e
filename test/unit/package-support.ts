/** `npm pack` of this repository (runs `prepare`, i.e. the build) into a directory. */
import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const ROOT = resolve(import.meta.dirname, '../..');

export interface PackedFile {
  readonly path: string;
  readonly size: number;
}

export interface Packed {
  /** Absolute path of the tarball (or of where it would be, with dryRun). */
  readonly tarball: string;
  readonly files: readonly PackedFile[];
}

/**
 * `npm pack` runs `prepare` (tsc into dist/); two test files packing at once would write dist/
 * concurrently, so packing is serialised with a lock directory (mkdir is atomic).
 */
export async function npmPack(dest: string, dryRun = false): Promise<Packed> {
  const lock = join(tmpdir(), 'dbus-codegen-ts-npm-pack.lock');
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      try {
        if (Date.now() - statSync(lock).mtimeMs > 180_000)
          rmSync(lock, { recursive: true, force: true });
      } catch {
        // released meanwhile
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    return await packUnlocked(dest, dryRun);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

async function packUnlocked(dest: string, dryRun: boolean): Promise<Packed> {
  const args = ['pack', '--json', '--pack-destination', dest, ...(dryRun ? ['--dry-run'] : [])];
  const { stdout } = await run('npm', args, { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 });
  // `prepare` (tsc) may print before the JSON; the JSON array is the last thing printed.
  const json = JSON.parse(stdout.slice(stdout.indexOf('[\n'))) as {
    filename: string;
    files: PackedFile[];
  }[];
  const entry = json[0]!;
  return { tarball: resolve(dest, entry.filename), files: entry.files };
}
