#!/usr/bin/env node
// Folder-level import graph of the source layers, checked for cycles and forbidden edges.
//
//   node scripts/check-layers.mjs [--root DIR] [--graph] [--json]
//
// Every `import`/`export ... from` and dynamic `import('...')` in the layer folders is resolved
// (relative paths, and the package's own names `dbus-codegen-ts`, `dbus-codegen-ts/runtime`,
// `dbus-codegen-ts/vmstate`) to the top-level folder it lands in; type-only imports count too,
// since a layer that needs another's types depends on it. The result is a graph of folders.
// It fails (exit 1) on a folder cycle or a forbidden edge that is not in KNOWN below; a KNOWN
// entry that no longer occurs is reported as stale so the list only ever shrinks.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** The folders that hold source layers, in the order the graph is printed. */
export const LAYERS = [
  'spec',
  'runtime',
  'generated',
  'emitters',
  'generator',
  'build',
  'api',
  'vmstate',
  'display',
  'cli',
];

/** Edges that must never exist: a lower layer importing a higher one. */
export const FORBIDDEN = [
  ['runtime', 'generator', 'the runtime ships without the generator (ts-morph, fast-xml-parser)'],
  ['runtime', 'generated', 'generated code imports the runtime; the reverse is a cycle'],
  ['runtime', 'emitters', 'the runtime ships without the emitters'],
  [
    'runtime',
    'vmstate',
    'vmstate stands on the runtime (and on generated code); never the reverse',
  ],
  ['generated', 'vmstate', 'generated code needs only the runtime'],
  ['emitters', 'generator', 'emitters take a model and never reach back into the stages'],
  ['spec', '*', 'the spec layer is dependency-free'],
  ['generated', 'generator', 'generated code needs only the runtime'],
  ['runtime', 'display', 'display/ is an application of the runtime, above it'],
  ['generated', 'display', 'display/ is an application of the generated proxies, above them'],
  ['emitters', 'display', 'display/ is not part of code generation'],
  ['generator', 'display', 'display/ is not part of code generation'],
  ['display', 'generator', 'display/ ships without the generator (ts-morph, fast-xml-parser)'],
  ['display', 'emitters', 'display/ ships without the emitters'],
  ['generator', 'build', 'the stages take text and return data; build/ does the files around them'],
  ['generator', 'cli', 'the stages know nothing of the command line'],
  ['generator', 'api', 'the public entry (api/) stands above the stages'],
  ['emitters', 'build', 'emitters take a model and never reach the plumbing'],
  ['emitters', 'cli', 'emitters take a model and never reach the command line'],
  ['emitters', 'api', 'the public entry (api/) stands above the emitters'],
  ['build', 'cli', 'the CLI stands on build/, never the reverse'],
  ['build', 'api', 'the public entry (api/) stands above build/'],
  ['runtime', 'api', 'the runtime ships without the generator'],
  ['spec', 'api', 'the spec layer is dependency-free'],
  ['generated', 'api', 'generated code needs only the runtime'],
  ['vmstate', 'api', 'vmstate/ ships without the generator'],
  ['display', 'api', 'display/ ships without the generator'],
  ['api', 'cli', 'the CLI formats what the API returns; the API never calls the CLI'],
];

/**
 * Violations tolerated while the move that removes each is pending, as `key -> the move`.
 * Keys are `edge:from->to`, or `cycle:a,b` with the members sorted. Empty since issue 12 moved
 * runtime/vmstate to vmstate/ and the model, signature parser and TS naming out of generator/.
 * @type {Map<string, string>}
 */
export const KNOWN = new Map();

const SOURCE = /\.(?:m|c)?tsx?$|\.m?js$/;
const SPEC = [
  /\bimport\s+(?:type\s+)?[^'"]*?\bfrom\s*['"]([^'"]+)['"]/g,
  /\bexport\s+(?:type\s+)?[^'";]*?\bfrom\s*['"]([^'"]+)['"]/g,
  /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  /^\s*import\s+['"]([^'"]+)['"]/gm,
];
/** The package's own export names, as the folder each resolves to. */
const SELF = new Map([
  ['dbus-codegen-ts', 'api'],
  ['dbus-codegen-ts/runtime', 'runtime'],
  ['dbus-codegen-ts/vmstate', 'vmstate'],
  ['dbus-codegen-ts/display', 'display'],
]);

function walk(dir, out) {
  let names;
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of names) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) walk(full, out);
    else if (SOURCE.test(name) && !name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

/**
 * Blanks comments (keeping strings) so that an import quoted in a doc comment does not count
 * and a glob like `interfaces/*.xml` inside a string or line comment opens no block comment.
 */
function stripComments(text) {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    const d = text[i + 1];
    if (c === '/' && d === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '/' && d === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 2;
      out += ' ';
    } else if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      while (j < text.length && text[j] !== c) j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

function topFolder(root, file) {
  const rel = path.relative(root, file).split(path.sep);
  return rel.length > 1 ? rel[0] : undefined;
}

/**
 * Folder-level edges: `from -> to -> [file: specifier]` for every import that crosses folders.
 * @param {string} root
 */
export function folderGraph(root) {
  const edges = new Map();
  for (const layer of LAYERS) {
    for (const file of walk(path.join(root, layer), [])) {
      const from = topFolder(root, file);
      const text = stripComments(readFileSync(file, 'utf8'));
      for (const re of SPEC) {
        for (const m of text.matchAll(re)) {
          const spec = m[1];
          let to;
          if (SELF.has(spec)) to = SELF.get(spec);
          else if (spec.startsWith('.'))
            to = topFolder(root, path.resolve(path.dirname(file), spec));
          if (to === undefined || to === from || !LAYERS.includes(to)) continue;
          if (!edges.has(from)) edges.set(from, new Map());
          const byTo = edges.get(from);
          if (!byTo.has(to)) byTo.set(to, []);
          byTo.get(to).push(`${path.relative(root, file)}: ${spec}`);
        }
      }
    }
  }
  return edges;
}

/** Strongly connected components of more than one folder (Tarjan), members sorted. */
export function cycles(edges) {
  const index = new Map();
  const low = new Map();
  const stack = [];
  const on = new Set();
  const out = [];
  let next = 0;
  const visit = (v) => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    on.add(v);
    for (const w of edges.get(v)?.keys() ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
    }
    if (low.get(v) === index.get(v)) {
      const scc = [];
      let w;
      do {
        w = stack.pop();
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) out.push(scc.sort());
    }
  };
  for (const v of edges.keys()) if (!index.has(v)) visit(v);
  return out;
}

/** Every violation as `{key, text}`; `key` is what KNOWN lists. */
export function violations(edges) {
  const found = [];
  for (const scc of cycles(edges)) {
    const path = scc.map((a) => `${a} -> ${scc.filter((b) => edges.get(a)?.has(b)).join(', ')}`);
    found.push({
      key: `cycle:${scc.join(',')}`,
      text: `folder cycle ${scc.join(' <-> ')} (${path.join('; ')})`,
    });
  }
  for (const [from, to, why] of FORBIDDEN) {
    for (const [target, sites] of edges.get(from) ?? []) {
      if (to !== '*' && target !== to) continue;
      const where =
        sites.slice(0, 3).join('; ') + (sites.length > 3 ? `; +${sites.length - 3} more` : '');
      found.push({
        key: `edge:${from}->${target}`,
        text: `forbidden ${from} -> ${target} (${why}): ${where}`,
      });
    }
  }
  return found;
}

/** The graph in words: one line per folder with what it imports and how many times. */
export function describe(edges) {
  const lines = [];
  for (const from of LAYERS) {
    const byTo = edges.get(from);
    if (!byTo) continue;
    const tos = [...byTo].sort(([a], [b]) => LAYERS.indexOf(a) - LAYERS.indexOf(b));
    lines.push(`${from} -> ${tos.map(([to, sites]) => `${to} (${sites.length})`).join(', ')}`);
  }
  return lines;
}

function main(argv) {
  const rootAt = argv.indexOf('--root');
  const root = path.resolve(
    rootAt >= 0
      ? argv[rootAt + 1]
      : path.join(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), '..'),
  );
  const edges = folderGraph(root);
  if (argv.includes('--json')) {
    const obj = {};
    for (const [from, byTo] of edges) obj[from] = Object.fromEntries(byTo);
    process.stdout.write(`${JSON.stringify(obj, null, 2)}\n`);
    return 0;
  }
  if (argv.includes('--graph')) for (const line of describe(edges)) console.log(line);
  const found = violations(edges);
  const known = found.filter((v) => KNOWN.has(v.key));
  const fresh = found.filter((v) => !KNOWN.has(v.key));
  const keys = new Set(found.map((v) => v.key));
  const stale = [...KNOWN.keys()].filter((k) => !keys.has(k));
  for (const v of known) console.log(`known (until moved): ${v.text}\n  fix: ${KNOWN.get(v.key)}`);
  for (const k of stale) console.log(`stale allow-list entry, remove it from KNOWN: ${k}`);
  for (const v of fresh) console.error(`error: ${v.text}`);
  if (fresh.length > 0 || stale.length > 0) return 1;
  console.log(`layers: ${known.length} known violation(s), no new ones`);
  return 0;
}

if (
  process.argv[1] &&
  path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)
) {
  process.exitCode = main(process.argv.slice(2));
}
