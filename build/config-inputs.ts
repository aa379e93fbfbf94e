/**
 * Config `inputs` -> files: plain paths stay, a directory means its `*.xml`, and `*`, `?`,
 * `**` are globs (Node 20 has no fs.glob). Sorted, so runs do not depend on directory order.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import type { Diagnostics } from '../generator/diagnostics.js';
import type { Location } from '../spec/model.js';

/**
 * Expands config inputs: plain files stay, a directory means its `*.xml`, and `*`, `?`, `**`
 * are globs. Sorted and de-duplicated; a pattern that matches nothing is an error (DBUS090).
 */
export function expandInputs(
  patterns: readonly string[],
  dir: string,
  diags: Diagnostics,
  at: Location,
): string[] {
  const out = new Set<string>();
  for (const p of patterns) {
    const before = out.size;
    if (!/[*?]/.test(p)) {
      const abs = resolve(dir, p);
      if (existsSync(abs) && statSync(abs).isDirectory()) {
        for (const f of readdirSync(abs).sort()) if (f.endsWith('.xml')) out.add(join(p, f));
      } else out.add(p);
    } else {
      const parts = p.replace(/^\.[\\/]/, '').split(/[\\/]/);
      const re = globRegExp(parts.join('/'));
      const root = parts
        .slice(
          0,
          parts.findIndex((s) => /[*?]/.test(s)),
        )
        .join('/');
      for (const f of walk(resolve(dir, root || '.'))) {
        const rel = relative(dir, f).split(sep).join('/');
        if (re.test(rel)) out.add(rel);
      }
    }
    if (out.size === before && /[*?]/.test(p))
      diags.error('DBUS090', `input pattern "${p}" matches no files`, at);
  }
  return [...out].sort();
}

function globRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      re += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += glob[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

function* walk(dir: string): Generator<string> {
  if (!existsSync(dir)) return;
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
    a.name < b.name ? -1 : 1,
  )) {
    if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
    const full = join(dir, e.name);
    if (e.isDirectory()) yield* walk(full);
    else yield full;
  }
}
