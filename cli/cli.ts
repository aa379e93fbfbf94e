#!/usr/bin/env node
/**
 * `dbus-codegen-ts <command> ...`. Each command lives in cli/commands/<name>.ts and
 * exports `register(program, cli)`; {@link COMMANDS} lists them, each with a lazy import. Only the
 * command being run is imported, so a no-change `generate` never loads what other commands
 * need (ts-morph costs ~0.5 s), and no directory is listed at start-up.
 *
 * Exit codes: 0 ok; 1 problems in the input (diagnostics), stale output with --check, or a
 * failed file-system call (`cannot create directory out: file already exists`, no stack);
 * 2 usage errors (also: no arguments and no config file); 70 an internal error (a bug in
 * dbus-codegen-ts, reported with its stack).
 */
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONFIG_FILE } from '../build/config-file.js';
import type { CommandModule } from './commands/input-options.js';
import { quickGenerate } from './quick.js';

export const EXIT_INTERNAL = 70;

const NO_ARGUMENTS = `dbus-codegen-ts: no command given and no ${CONFIG_FILE} in this directory
usage: dbus-codegen-ts generate <xml...> -o <dir>   (other commands: dbus-codegen-ts --help)
   or: put { "inputs": ["interfaces/*.xml"], "outDir": "generated" } in ${CONFIG_FILE}
       and run dbus-codegen-ts with no arguments
`;

/** Every command, in help order; a new command is one line here. */
export const COMMANDS: Readonly<Record<string, () => Promise<CommandModule>>> = {
  diff: () => import('./commands/diff.js'),
  docs: () => import('./commands/docs.js'),
  generate: () => import('./commands/generate.js'),
  introspect: () => import('./commands/introspect.js'),
  lint: () => import('./commands/lint.js'),
  policy: () => import('./commands/policy.js'),
};

const here = dirname(fileURLToPath(import.meta.url));

/** The package version, from cli/ (a checkout) or dist/cli/ (installed). */
function packageVersion(): string {
  for (const up of ['..', '../..']) {
    try {
      const pkg = JSON.parse(readFileSync(join(here, up, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'dbus-codegen-ts' && pkg.version !== undefined) return pkg.version;
    } catch {
      // not there: try the next level
    }
  }
  return 'unknown';
}

export async function main(rawArgv: readonly string[]): Promise<number> {
  // Loaded here, not at the top: a no-change `generate` (quick.ts) never needs them.
  const [{ Command, CommanderError }, { fileSystemFailure, UsageError }, { extractAnnotateArgs }] =
    await Promise.all([
      import('commander'),
      import('../generator/diagnostics.js'),
      import('./annotate-args.js'),
    ]);
  // `--annotate WHAT KEY VALUE` takes three values, which commander cannot parse (annotate-args.ts).
  const lifted = extractAnnotateArgs(rawArgv);
  if (lifted.error !== undefined) {
    process.stderr.write(`dbus-codegen-ts: ${lifted.error}\n`);
    return 2;
  }
  // `npx dbus-codegen-ts` with no arguments: generate from the config file, else a usage error.
  if (lifted.argv.length === 2 && !existsSync(CONFIG_FILE)) {
    process.stderr.write(NO_ARGUMENTS);
    return 2;
  }
  const argv = lifted.argv.length === 2 ? [...lifted.argv, 'generate'] : lifted.argv;
  const program = new Command('dbus-codegen-ts')
    .description('Typed TypeScript proxies and skeletons from D-Bus introspection XML')
    .version(packageVersion(), '-V, --version')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .showHelpAfterError('(run with --help for usage)');
  const requested = argv[2];
  // Load just the requested command; all of them only for help or an unknown name.
  const wanted =
    requested !== undefined && Object.hasOwn(COMMANDS, requested)
      ? [COMMANDS[requested]!]
      : Object.values(COMMANDS);
  // The triples reach the commands as an argument, not through module state.
  const cli = { annotations: lifted.overrides };
  for (const load of wanted) (await load()).register(program, cli);
  try {
    await program.parseAsync([...argv]);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.code === 'commander.helpDisplayed' ||
        e.code === 'commander.version' ||
        e.code === 'commander.help'
        ? 0
        : 2;
    }
    if (e instanceof UsageError) {
      process.stderr.write(`dbus-codegen-ts: ${e.message}\n`);
      return 2;
    }
    const fsFailure = fileSystemFailure(e);
    if (fsFailure !== undefined) {
      process.stderr.write(`dbus-codegen-ts: ${fsFailure}\n`);
      return 1;
    }
    const err = e instanceof Error ? e : new Error(String(e));
    process.stderr.write(
      `dbus-codegen-ts: internal error (a bug, please report it): ${err.stack ?? err.message}\n`,
    );
    return EXIT_INTERNAL;
  }
}

/** True when this file is the process entry (also through npm's bin symlink). */
function isEntry(): boolean {
  const arg = process.argv[1];
  if (arg === undefined) return false;
  try {
    const strip = (p: string): string => p.replace(/\.[cm]?[jt]s$/, '');
    return strip(realpathSync(arg)) === strip(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

/**
 * The full CLI, once the quick start declined: compiled code of the commands and of
 * ts-morph/TypeScript cached across runs (Node's compile cache on Node >= 22.1, else our own for
 * the ts-morph bundles, code-cache.ts), then {@link main}. The bin (start.ts) calls this.
 */
export async function runFull(argv: readonly string[]): Promise<number> {
  (await import('./code-cache.js')).enableCodeCache();
  return main(argv);
}

if (isEntry()) {
  // Nothing changed: answered from the output headers, before anything heavy is loaded.
  const quick = await quickGenerate(process.argv);
  process.exitCode = quick ?? (await runFull(process.argv));
}
