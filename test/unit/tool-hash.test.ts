/**
 * The tool identity's build-time stamp (build/tool-hash.ts): it is trusted only while every
 * stat it recorded is unchanged, and its value is always exactly the hash of the sources.
 */
import { spawnSync } from 'node:child_process';
import {
  appendFileSync,
  cpSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  makeToolStamp,
  stampedToolHash,
  TOOL_STAMP_FILE,
  toolHash,
  writeToolStamp,
} from '../../build/tool-hash.js';
import { repoRoot } from '../support/corpus.js';
import { interfaceDocument, makeTempDir, removeDir } from '../support/temp-dir.js';

let root: string;
let dist: string;
/** A time well after every file here was written, so stamping is not refused as racy. */
const later = () => Date.now() + 10_000;

beforeEach(() => {
  root = makeTempDir('dbus-codegen-tool-hash-');
  dist = join(root, 'dist');
  mkdirSync(dist);
  mkdirSync(join(root, 'spec'));
  mkdirSync(join(root, 'emitters/sub'), { recursive: true });
  mkdirSync(join(root, 'generator/parse'), { recursive: true });
  writeFileSync(join(root, 'spec/model.ts'), 'export const a = 1;\n');
  writeFileSync(join(root, 'emitters/index.ts'), 'export const b = 2;\n');
  writeFileSync(join(root, 'emitters/sub/deep.ts'), 'export const c = 3;\n');
  writeFileSync(join(root, 'emitters/markdown.ts'), 'not hashed\n');
  writeFileSync(join(root, 'generator/parse/xml.ts'), 'export const d = 4;\n');
  writeFileSync(join(root, 'generator/lint.ts'), 'not hashed\n');
});
afterEach(() => removeDir(root));

/** Stamps `root` for `.ts` as `npm run build` would, but with a clock 10 s ahead. */
function stamp(): void {
  const s = makeToolStamp(dist, root, '.ts', later());
  expect(s).toBeDefined();
  writeFileSync(join(dist, TOOL_STAMP_FILE), JSON.stringify(s));
}

describe('the build-time tool stamp', () => {
  it('gives exactly the hash of the sources while nothing changed', () => {
    stamp();
    expect(stampedToolHash(dist, root, '.ts')).toBe(toolHash(root, '.ts'));
  });

  it('is refused for an edited source, even with the same size and mtime put back', () => {
    stamp();
    const file = join(root, 'emitters/sub/deep.ts');
    const before = statSync(file);
    writeFileSync(file, 'export const c = 4;\n'); // same length
    utimesSync(file, before.atime, before.mtime);
    expect(stampedToolHash(dist, root, '.ts')).toBeUndefined();
    expect(toolHash(root, '.ts')).not.toBe(
      JSON.parse(readFileSync(join(dist, TOOL_STAMP_FILE), 'utf8')).hash,
    );
  });

  it('is refused when a source is added, removed or renamed, or a top folder appears', () => {
    const changes = [
      () => writeFileSync(join(root, 'emitters/sub/new.ts'), ''),
      () => rmSync(join(root, 'spec/model.ts')),
      () => renameSync(join(root, 'generator/parse/xml.ts'), join(root, 'generator/parse/y.ts')),
      () => mkdirSync(join(root, 'emitters/sub/deeper')),
    ];
    for (const change of changes) {
      stamp();
      change();
      expect(stampedToolHash(dist, root, '.ts')).toBeUndefined();
    }
    rmSync(join(root, 'spec'), { recursive: true });
    stamp();
    mkdirSync(join(root, 'spec'));
    expect(stampedToolHash(dist, root, '.ts')).toBeUndefined();
  });

  it('is refused for another root or extension, a copy, or a damaged stamp', () => {
    stamp();
    expect(stampedToolHash(dist, dist, '.ts')).toBeUndefined();
    expect(stampedToolHash(dist, root, '.js')).toBeUndefined();
    const copy = makeTempDir('dbus-codegen-tool-hash-copy-');
    try {
      cpSync(root, copy, { recursive: true, preserveTimestamps: true });
      expect(stampedToolHash(join(copy, 'dist'), copy, '.ts')).toBeUndefined();
    } finally {
      removeDir(copy);
    }
    for (const text of [
      '',
      '{',
      '{"format":1}',
      'null',
      '{"format":1,"root":"..","ext":".ts","hash":"x","stats":[]}',
    ]) {
      writeFileSync(join(dist, TOOL_STAMP_FILE), text);
      expect(stampedToolHash(dist, root, '.ts')).toBeUndefined();
    }
  });

  it('is not written for sources changed within the last 2 s (racily clean)', () => {
    expect(makeToolStamp(dist, root, '.ts', Date.now())).toBeUndefined();
    expect(writeToolStamp(dist, root, '.ts')).toBe(false);
  });
});

describe('the built bin with a stale stamp', () => {
  it('hashes the sources again and falls through to the full run', () => {
    // A checkout of its own (the repository's dist/ and output-deciding sources copied, its
    // node_modules linked), so the repository's stamp is never touched while other tests run.
    const tree = makeTempDir('dbus-codegen-tool-hash-tree-');
    try {
      for (const d of ['dist', 'spec', 'generator', 'emitters']) {
        cpSync(join(repoRoot, d), join(tree, d), { recursive: true });
      }
      cpSync(join(repoRoot, 'package.json'), join(tree, 'package.json'));
      symlinkSync(join(repoRoot, 'node_modules'), join(tree, 'node_modules'));
      const fresh = makeToolStamp(join(tree, 'dist'), tree, '.ts', later());
      writeFileSync(join(tree, 'dist', TOOL_STAMP_FILE), JSON.stringify(fresh));
      expect(fresh?.hash).toBe(toolHash(repoRoot, '.ts'));
      const work = join(tree, 'work');
      mkdirSync(join(work, 'xml'), { recursive: true });
      writeFileSync(
        join(work, 'xml/a.xml'),
        interfaceDocument('com.example.Alpha1', '<method name="Ping"/>'),
      );
      const run = () =>
        spawnSync(
          process.execPath,
          [join(tree, 'dist/cli/start.cjs'), 'generate', 'xml/a.xml', '-o', 'out'],
          {
            cwd: work,
            encoding: 'utf8',
          },
        );
      expect(run().stdout).toMatch(/^2 written, 0 unchanged$/m);
      expect(run().stdout).toBe('0 written, 2 unchanged\n');
      // An edited template (not rebuilt): the stamp no longer vouches, the identity changes,
      // and the outputs made with the old one are rewritten.
      appendFileSync(join(tree, 'emitters/index.ts'), '// edited\n');
      expect(stampedToolHash(join(tree, 'dist'), tree, '.ts')).toBeUndefined();
      const edited = run();
      expect(edited.stderr).toBe('');
      expect(edited.stdout).toMatch(/^2 written, 0 unchanged$/m);
      expect(run().stdout).toBe('0 written, 2 unchanged\n');
    } finally {
      removeDir(tree);
    }
  }, 60_000);
});
