/**
 * What the dbus-vmstate and dbus-display commands share around their commander programs:
 * the program shell, the bus options, output lines, exit codes (0 ok, 1 failed, 2 usage) and
 * the one escaped error line, since messages quote peers' texts (helper Ids, QEMU's errors);
 * and whether a module is the script node was started with. Not part of the runtime's
 * public API.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { terminalText } from './terminal-text.js';

/** One line of the command's output on stdout. */
export function printLine(line: string): void {
  process.stdout.write(`${line}\n`);
}

/**
 * A commander program for runProgram: it throws instead of exiting, and writes commander's
 * own messages (usage errors, help) as they come.
 */
export function newProgram(name: string, description: string): Command {
  return new Command(name)
    .description(description)
    .exitOverride()
    .configureOutput({ outputError: (s, write) => write(s) });
}

/** An option-argument parser for whole numbers >= `min`; `message` says what was expected. */
export function integerAtLeast(min: number, message: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(message);
    return n;
  };
}

/** The values of the options {@link addBusOptions} adds. */
export interface BusOptionValues {
  address: string;
  timeout: number;
}

/** How one command describes its `--address` and `--timeout <ms>` options. */
export interface BusOptionsSpec {
  address: string;
  timeout: string;
  parseTimeout: (value: string) => number;
  defaultTimeout: number;
}

/** Adds the required `--address <address>` and the `--timeout <ms>` every bus command takes. */
export function addBusOptions(cmd: Command, spec: BusOptionsSpec): Command {
  return cmd
    .requiredOption('--address <address>', spec.address)
    .addOption(
      new Option('--timeout <ms>', spec.timeout)
        .argParser(spec.parseTimeout)
        .default(spec.defaultTimeout),
    );
}

/** Parses `argv` (user arguments only) with `program`; returns the exit code. */
export async function runProgram(program: Command, argv: readonly string[]): Promise<number> {
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and version are exit 0; everything else commander reports is a usage error.
      return err.exitCode === 0 ? 0 : 2;
    }
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`${program.name()}: error: ${terminalText(message)}\n`);
    return 1;
  }
}

/** Whether the module at `moduleUrl` (its `import.meta.url`) is the script node runs. */
export function isEntryScript(moduleUrl: string): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    // The npm bin is a symlink to the module.
    return realpathSync(script) === realpathSync(fileURLToPath(moduleUrl));
  } catch {
    return false;
  }
}
