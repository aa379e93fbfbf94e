#!/usr/bin/env node
/**
 * The `dbus-codegen-ts` bin. `npm run build` bundles this file with the quick start
 * (quick.ts and the build/ modules it reads headers with: node builtins only) into one CommonJS
 * file, dist/cli/start.cjs (scripts/build-quick.mjs). A CommonJS entry never starts Node's ESM
 * loader, which alone cost ~13 ms of a no-change run, and one file instead of ~15 modules saves
 * their resolution and linking. When the quick start declines, the full CLI (ESM, cli.ts) is
 * imported and runs as it always does. `node dist/cli/cli.js` still works the same way, slower.
 * tsc does not emit this file (tsconfig.build.json excludes it): only the bundle is shipped.
 */
import { quickGenerate } from './quick.js';

async function start(): Promise<number> {
  const quick = await quickGenerate(process.argv);
  if (quick !== undefined) return quick;
  // Not bundled (a computed specifier): the full CLI and everything it loads stay ESM in dist/.
  const cli = (await import(
    new URL('./cli.js', import.meta.url).href
  )) as typeof import('./cli.js');
  return cli.runFull(process.argv);
}

start().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    const err = e instanceof Error ? e : new Error(String(e));
    process.stderr.write(`dbus-codegen-ts: internal error: ${err.stack ?? err.message}\n`);
    process.exitCode = 70;
  },
);
