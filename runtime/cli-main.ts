/**
 * What the dbus-vmstate and dbus-display commands share around their commander programs:
 * exit codes (0 ok, 1 failed, 2 usage) and the one escaped error line, since messages quote
 * peers' texts (helper Ids, QEMU's errors); and whether a module is the script node was
 * started with. Not part of the runtime's public API.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Command, CommanderError } from 'commander';
import { terminalText } from './terminal-text.js';

/** Parses `argv` (user arguments only) with `program`; returns the exit code. */
export async function runProgram(
  program: Command,
  argv: readonly string[],
  tool: string,
): Promise<number> {
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and version are exit 0; everything else commander reports is a usage error.
      return err.exitCode === 0 ? 0 : 2;
    }
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`${tool}: error: ${terminalText(message)}\n`);
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
