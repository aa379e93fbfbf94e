#!/usr/bin/env node
// Builds the optional native module (native/fdpass.c, N-API) with the node-gyp that ships
// with npm. Never fails the build: without a C toolchain it prints how to fix that, and the
// runtime works without unix fd passing (UnixFdUnsupportedError names the same fix).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const native = path.join(root, 'native');

function nodeGyp() {
  const candidates = [];
  try {
    candidates.push(createRequire(import.meta.url).resolve('node-gyp/bin/node-gyp.js'));
  } catch {
    // not a dependency: use npm's own copy
  }
  const npmDir = process.env.npm_execpath
    ? path.dirname(path.dirname(process.env.npm_execpath))
    : '';
  if (npmDir) candidates.push(path.join(npmDir, 'node_modules/node-gyp/bin/node-gyp.js'));
  candidates.push(
    path.join(
      path.dirname(process.execPath),
      '../lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js',
    ),
    '/usr/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js',
  );
  return candidates.find((c) => existsSync(c));
}

const gyp = nodeGyp();
if (process.platform !== 'linux') {
  console.warn(
    'dbus-codegen-ts: native fd module skipped (Linux only); "h" values will be refused',
  );
  process.exit(0);
}
if (gyp === undefined) {
  console.warn('dbus-codegen-ts: WARNING: node-gyp not found; the native fd module is not built');
  process.exit(0);
}
// Headers: those installed with Node (nodedir), else node-gyp's download. N-API makes the
// result load on every Node >= 20, whichever headers it was built with.
const args = [gyp, 'rebuild', '--loglevel=warn'];
const nodedir = path.resolve(path.dirname(process.execPath), '..');
if (existsSync(path.join(nodedir, 'include/node/node_api.h'))) args.push(`--nodedir=${nodedir}`);
const r = spawnSync(process.execPath, args, { cwd: native, stdio: ['ignore', 'inherit', 'pipe'] });
if (r.status !== 0) {
  const why = r.stderr?.toString().trim().split('\n').slice(-5).join('\n') ?? '';
  console.warn(
    'dbus-codegen-ts: WARNING: the native fd module did not build; everything works except\n' +
      'unix fd passing ("h"), peer-to-peer links and abstract sockets on Node 20.\n' +
      'Fix: install gcc, make and python3, then run "npm run build:native".\n' +
      why,
  );
}
