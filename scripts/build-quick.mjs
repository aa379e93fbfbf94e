#!/usr/bin/env node
// The bin's quick start, after `tsc` (npm run build):
// - bundles cli/start.ts with what it imports into one CommonJS file, dist/cli/start.cjs
//   (cli/start.ts says why); it must hold only our own modules on node builtins, so a package
//   dependency in the bundle fails the build;
// - writes dist/tool-identity.json, the hash of the output-deciding sources with the stats that
//   vouch for it (build/tool-hash.ts), through the compiled fingerprint module itself, so the
//   stamp is made for exactly the sources a run from dist/ hashes.
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const outfile = join(root, 'dist/cli/start.cjs');

const result = await build({
  entryPoints: [join(root, 'cli/start.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // import.meta.url of the bundle itself: it sits in dist/cli/ like cli.js, so the paths the
  // bundled modules derive from it (fingerprint.ts: the package root) are the same.
  banner: { js: "const importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  define: { 'import.meta.url': 'importMetaUrl' },
  metafile: true,
  logLevel: 'warning',
  legalComments: 'none',
});
const foreign = Object.keys(result.metafile.inputs).filter((f) => f.includes('node_modules'));
if (foreign.length > 0) {
  console.error(`build-quick: the quick start must not bundle packages: ${foreign.join(', ')}`);
  process.exit(1);
}

const { writeBuildStamp } = await import(
  pathToFileURL(join(root, 'dist/build/fingerprint.js')).href
);
if (!writeBuildStamp()) {
  console.error(
    `build-quick: no ${relative(root, join(root, 'dist/tool-identity.json'))}: sources changed during the last 2 s; runs hash them instead`,
  );
}
