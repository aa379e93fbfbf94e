/**
 * The two sides of `diff`: XML files or directories of them (`*.xml`, not recursive), or the
 * same paths as committed at a git revision (`--git REV`, shown as `REV:path`). Each side goes
 * through the same checks as `generate`, so a diff is only ever between valid interfaces.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Interface } from '../../spec/model.js';
import { type CheckOptions, check, type SourceInput } from '../check.js';
import { type Diagnostic, UsageError, unreadableInput } from '../diagnostics.js';

export interface Side {
  readonly interfaces: readonly Interface[];
  readonly diagnostics: readonly Diagnostic[];
  /** The XML files read, as shown in locations. */
  readonly files: readonly string[];
}

const isXml = (name: string) => /^[^.].*\.xml$/.test(name);

function checked(sources: SourceInput[], unreadable: Diagnostic[], o: CheckOptions): Side {
  const r = check(sources, o);
  return {
    interfaces: r.interfaces.map((i) => i.iface),
    diagnostics: [...unreadable, ...r.diagnostics],
    files: sources.map((s) => s.file),
  };
}

/** Files and directories (their `*.xml`) on disk. */
export function readSide(paths: readonly string[], o: CheckOptions, cwd = process.cwd()): Side {
  const sources: SourceInput[] = [];
  const unreadable: Diagnostic[] = [];
  for (const p of paths) {
    let files = [p];
    try {
      if (statSync(resolve(cwd, p)).isDirectory())
        files = readdirSync(resolve(cwd, p))
          .filter(isXml)
          .sort()
          .map((f) => join(p, f));
    } catch (e) {
      unreadable.push(unreadableInput(p, e));
      continue;
    }
    for (const file of files) {
      try {
        sources.push({ file, text: readFileSync(resolve(cwd, file), 'utf8') });
      } catch (e) {
        unreadable.push(unreadableInput(file, e));
      }
    }
  }
  return checked(sources, unreadable, o);
}

function git(cwd: string, args: readonly string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** The same paths as committed at `rev`; a path absent there is an empty side (all added). */
export function readGitSide(
  rev: string,
  paths: readonly string[],
  o: CheckOptions,
  cwd = process.cwd(),
): Side {
  try {
    git(cwd, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`]);
  } catch {
    throw new UsageError(`--git ${rev}: not a commit of the repository at ${cwd}`);
  }
  const sources: SourceInput[] = [];
  for (const p of paths) {
    const spec = `${rev}:./${p.replace(/^\.\//, '').replace(/\/$/, '')}`;
    let type: string;
    try {
      type = git(cwd, ['cat-file', '-t', spec]).trim();
    } catch {
      continue; // not committed at rev
    }
    const files =
      type === 'tree'
        ? git(cwd, ['ls-tree', '--name-only', spec])
            .split('\n')
            .filter(isXml)
            .sort()
            .map((f) => `${spec}/${f}`)
        : [spec];
    for (const file of files) {
      sources.push({ file: file.replace(':./', ':'), text: git(cwd, ['show', file]) });
    }
  }
  return checked(sources, [], o);
}
