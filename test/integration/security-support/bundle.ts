/**
 * Bundles a TypeScript entry (and dbus-next) into one ESM file in a world-readable
 * directory, so that a process under another uid can run it with plain `node` even when
 * the checkout is unreachable for that uid. esbuild comes with tsx.
 */
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

/** CJS packages bundled into ESM still call require() for Node builtins. */
const BANNER =
  "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);";

export async function bundleFor(entry: string, outDir: string, name: string): Promise<string> {
  const outfile = join(outDir, `${name}.mjs`);
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    banner: { js: BANNER },
    // dbus-next's optional native socket and X11 address lookup: never used here.
    external: ['usocket', 'x11'],
    logLevel: 'error',
  });
  chmodSync(outfile, 0o644);
  return outfile;
}
