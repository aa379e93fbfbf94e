/**
 * `generate`'s one line per rewritten module: what changed in its API since the module it
 * replaces (generator/diff/previous.ts reads that module back). Computed before anything is
 * written; modules that stay byte-identical get no line.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isGeneratedHeader } from '../../emitters/header.js';
import type { Interface } from '../../spec/model.js';
import type { ApiChange } from './compare.js';
import { changesSincePrevious, readPreviousModule } from './previous.js';
import { moduleSummary } from './report.js';

export interface ModuleApiChange {
  /** The module, relative to the output directory. */
  readonly module: string;
  /** Undefined for a new module or one whose previous version could not be read. */
  readonly changes: readonly ApiChange[] | undefined;
  /** `API: 1 wire-breaking, 0 source-breaking, 2 compatible (wire-breaking: ...)`, `API unchanged`, `new module`. */
  readonly summary: string;
}

export function moduleApiChanges(
  outDir: string,
  files: readonly { path: string; content: string }[],
  interfaces: readonly Interface[],
): ModuleApiChange[] {
  const out: ModuleApiChange[] = [];
  for (const iface of interfaces) {
    const module = `${iface.name}.ts`;
    const next = files.find((f) => f.path === module);
    if (next === undefined) continue;
    let old: string;
    try {
      old = readFileSync(join(outDir, module), 'utf8');
    } catch {
      out.push({ module, changes: undefined, summary: 'new module' });
      continue;
    }
    if (old === next.content || !isGeneratedHeader(old)) continue;
    const previous = readPreviousModule(`${module} (previous)`, old);
    if (previous === undefined) {
      out.push({ module, changes: undefined, summary: 'previous version unreadable' });
      continue;
    }
    const changes = changesSincePrevious(previous, iface);
    out.push({ module, changes, summary: moduleSummary(changes) });
  }
  return out;
}
