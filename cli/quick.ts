/**
 * The CLI's quick start: `generate` when nothing changed, answered before commander, the
 * parser or ts-morph are loaded. It reads the inputs and the output headers (fresh.ts), and when
 * every output file is current for this exact run (and its inputs had no warnings) it prints what
 * the full command prints and exits. Anything else (an edited input, a changed tool or settings
 * fingerprint, a missing or hand-edited output, an option outside the few understood here)
 * returns undefined and the full CLI runs; the quick start never writes.
 *
 * Understood: `generate [xml...] [-o|--out DIR] [-q|--quiet]`, and no arguments at all (the
 * config file's run). Everything else, `--watch`, `--check`, `--define`..., takes the full path.
 * `DBUS_CODEGEN_TS_NO_QUICK=1` turns the quick start off (to compare both paths). A result
 * verified by hashing is remembered with the stats of every file it depends on (stat-cache.ts),
 * so the next run with identical stats reads no file and loads no `node:crypto`.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_FILE } from '../build/config-file.js';
import type { GenerateOptions } from '../build/options.js';
import { currentFileCount } from '../build/prepare.js';
import { cachedCount, recordVerified, statCacheFile, statKey, takeStats } from './stat-cache.js';

interface QuickArgs {
  readonly inputs: string[];
  readonly out?: string;
  readonly quiet: boolean;
}

/** The `generate` arguments when they are all of the understood kind; else undefined. */
export function quickArgs(
  argv: readonly string[],
  cwd: string = process.cwd(),
): QuickArgs | undefined {
  const args = argv.slice(2);
  if (args.length === 0) {
    return existsSync(join(cwd, CONFIG_FILE)) ? { inputs: [], quiet: false } : undefined;
  }
  if (args[0] !== 'generate') return undefined;
  const inputs: string[] = [];
  let out: string | undefined;
  let quiet = false;
  for (let i = 1; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-q' || a === '--quiet') quiet = true;
    else if ((a === '-o' || a === '--out') && out === undefined) {
      const value = args[++i];
      // A missing value, or one commander might read as an option: let commander decide.
      if (value === undefined || value.startsWith('-') || value === '') return undefined;
      out = value;
    } else if (a.startsWith('-') || a === '') return undefined;
    else inputs.push(a);
  }
  return { inputs, ...(out !== undefined ? { out } : {}), quiet };
}

/**
 * The exit code when the quick start answered the command line `argv` (process.argv form), or
 * undefined when the full CLI must run. `write` receives what goes to stdout.
 */
export async function quickGenerate(
  argv: readonly string[],
  write: (s: string) => void = (s) => process.stdout.write(s),
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
): Promise<number | undefined> {
  if (env['DBUS_CODEGEN_TS_NO_QUICK'] === '1') return undefined;
  const args = quickArgs(argv, cwd);
  if (args === undefined) return undefined;
  try {
    const options = await generateOptions(args, cwd);
    if (options === undefined) return undefined;
    const count = verifiedCount(options, env);
    if (count === undefined) return undefined;
    if (!args.quiet) write(`0 written, ${count} unchanged\n`);
    return 0;
  } catch {
    // Whatever went wrong, the full CLI reports it properly.
    return undefined;
  }
}

/**
 * currentFileCount(options), answered from the stat cache when every stat it recorded is
 * unchanged (stat-cache.ts); a count verified by hashing is recorded for the next run.
 */
function verifiedCount(options: GenerateOptions, env: NodeJS.ProcessEnv): number | undefined {
  const key = statKey(options);
  const file = statCacheFile(key.outDir, env);
  if (file === undefined) return currentFileCount(options);
  const cached = cachedCount(file, key);
  if (cached !== undefined) return cached;
  const before = takeStats(options, key);
  const count = currentFileCount(options);
  if (count !== undefined) recordVerified(file, key, options, before, count);
  return count;
}

/**
 * The options the full CLI would pass to generate(). Without a config file and with `-o` they
 * are the command line alone (the config reader is not even loaded); otherwise the config is
 * merged exactly as the full CLI does (project.ts).
 */
async function generateOptions(args: QuickArgs, cwd: string): Promise<GenerateOptions | undefined> {
  if (args.out !== undefined && args.inputs.length > 0 && !existsSync(join(cwd, CONFIG_FILE))) {
    return { inputs: args.inputs, outDir: args.out, defines: {}, relax: [], annotations: [], cwd };
  }
  const { projectGenerateOptions } = await import('../build/project.js');
  const project = projectGenerateOptions(
    { inputs: args.inputs, ...(args.out !== undefined ? { outDir: args.out } : {}) },
    cwd,
  );
  return project.options !== undefined && project.diagnostics.length === 0
    ? project.options
    : undefined;
}
