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

export function addInputOptions(cmd: Command): Command {
  const collect = (v: string, prev: string[] = []) => [...prev, v];
  return cmd
    .option(
      '-D, --define <name=value>',
      'value for $(env.NAME) in <?if?> blocks (repeatable)',
      collect,
    )
    .option('--overlay <file>', 'annotation overlay file (JSON, repeatable)', collect)
    .option(
      '--relax <code>',
      'report this error code as a warning: DBUS030 or DBUS041 (repeatable)',
      collect,
    )
    .option(
      '--annotate <what>',
      'WHAT KEY VALUE: add or change an annotation, gdbus-codegen syntax (repeatable)',
    );
}
