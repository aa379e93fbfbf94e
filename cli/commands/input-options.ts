/**
 * The command-line options that `lint`, `docs` and `policy` share: `--define`, `--overlay`,
 * `--relax`, and `--annotate WHAT KEY VALUE` (lifted out of argv before commander parses it:
 * cli.ts hands the triples to every command in its {@link CliContext}). Reading and checking
 * the inputs is build/inputs.ts.
 */
import type { Command } from 'commander';
import type { AnnotationOverride } from '../../generator/overlay.js';

/** What the CLI hands every command besides its own flags. */
export interface CliContext {
  /** The `--annotate WHAT KEY VALUE` triples of this command line, in order. */
  readonly annotations: readonly AnnotationOverride[];
}

/** A command module: adds its command (with its action) to `program`. */
export interface CommandModule {
  register(program: Command, cli: CliContext): void;
}

/**
 * Adds options that may be given more than once, in this order; each collects its values into an
 * array (absent when never given). `options` maps commander's flags text to the help text.
 */
export function addRepeatable(cmd: Command, options: Readonly<Record<string, string>>): Command {
  const collect = (v: string, prev: string[] = []) => [...prev, v];
  for (const [flags, help] of Object.entries(options)) cmd.option(flags, help, collect);
  return cmd;
}

/** `--define`, `--overlay`, `--relax` and `--annotate`, as lint, docs and policy take them. */
export function addInputOptions(cmd: Command): Command {
  return addRepeatable(cmd, {
    '-D, --define <name=value>': 'value for $(env.NAME) in <?if?> blocks (repeatable)',
    '--overlay <file>': 'annotation overlay file (JSON, repeatable)',
    '--relax <code>': 'report this error code as a warning: DBUS030 or DBUS041 (repeatable)',
  }).option(
    '--annotate <what>',
    'WHAT KEY VALUE: add or change an annotation, gdbus-codegen syntax (repeatable)',
  );
}
