#!/usr/bin/env node
/**
 * `dbus-vmstate`: serve a file-backed helper, list helpers, save and load a VM's helper
 * state with QEMU's blob format, and inspect blobs or QEMU migration streams.
 * Exit codes: 0 ok, 1 failure (the message names the helper), 2 usage error.
 */
import { writeFile } from 'node:fs/promises';
import { type Command, InvalidArgumentError, Option } from 'commander';
import * as cli from '../runtime/cli-main.js';
import { connect } from '../runtime/index.js';
import { terminalText } from '../runtime/terminal-text.js';
import { serve } from './cli-serve.js';
import { paddingOf, readBlobSource, writeFileAtomic } from './files.js';
import { type ListOptions, MIGRATOR_DEFAULTS, VMStateMigrator } from './migrator.js';

const positiveInt = cli.integerAtLeast(1, 'expected a positive integer');

function idList(value: string): string[] {
  const ids = value.split(',').filter((s) => s !== '');
  if (ids.length === 0) throw new InvalidArgumentError('expected ids separated by commas');
  return ids;
}

interface BusOpts extends cli.BusOptionValues {
  idList?: string[];
  concurrency: number;
}

function busOptions(cmd: Command): Command {
  return cli
    .addBusOptions(cmd, {
      address: 'D-Bus address of the VM bus (unix:path=...)',
      timeout: 'per-call timeout',
      parseTimeout: positiveInt,
      defaultTimeout: MIGRATOR_DEFAULTS.timeoutMs,
    })
    .addOption(
      new Option('--concurrency <n>', 'calls in flight at once')
        .argParser(positiveInt)
        .default(MIGRATOR_DEFAULTS.concurrency),
    );
}

async function withMigrator<T>(
  o: BusOpts,
  fn: (m: VMStateMigrator, l: ListOptions) => Promise<T>,
): Promise<T> {
  const bus = await connect(o.address);
  try {
    const list: ListOptions = {
      timeoutMs: o.timeout,
      concurrency: o.concurrency,
      ...(o.idList === undefined ? {} : { idList: o.idList }),
    };
    return await fn(new VMStateMigrator(bus, list), list);
  } finally {
    await bus.close();
  }
}

const ms = (n: number): string => `${n.toFixed(1)} ms`;

export function buildProgram(): Command {
  const program = cli.newProgram(
    'dbus-vmstate',
    "QEMU dbus-vmstate helpers and migrator (QEMU's blob format, checked)",
  );

  program
    .command('serve')
    .description(
      'serve a file-backed helper until SIGTERM (Save returns the file, Load replaces it atomically)',
    )
    .requiredOption('--address <address>', 'D-Bus address of the VM bus (unix:path=...)')
    .requiredOption('--id <id>', 'helper Id (1..255 bytes, unique on the bus)')
    .requiredOption(
      '--state-file <file>',
      'file holding the state (Save fails while it is missing; Load creates or replaces it)',
    )
    .option('--incoming', 'wait for Load and print a line when it arrives', false)
    .action((o: { address: string; id: string; stateFile: string; incoming: boolean }) =>
      serve(o, cli.printLine),
    );

  busOptions(program.command('list'))
    .description('list the helpers on the bus (Id and bus name)')
    .option(
      '--id-list <ids>',
      'comma-separated Ids: only these helpers (each must be on the bus)',
      idList,
    )
    .action((o: BusOpts) =>
      withMigrator(o, async (m, l) => {
        for (const h of await m.listHelpers(l))
          cli.printLine(`${terminalText(h.id)}\t${terminalText(h.busName)}`);
      }),
    );

  busOptions(program.command('save'))
    .description('save every (listed) helper into one blob')
    .option(
      '--id-list <ids>',
      'comma-separated Ids: only these helpers (each must be on the bus)',
      idList,
    )
    .requiredOption('-o, --output <file>', 'blob file to write')
    .action((o: BusOpts & { output: string }) =>
      withMigrator(o, async (m, l) => {
        const { blob, helpers } = await m.saveWithReport(l);
        await writeFileAtomic(o.output, blob);
        for (const h of helpers)
          cli.printLine(`${terminalText(h.id)}\t${h.bytes} bytes\t${ms(h.ms)}`);
        cli.printLine(`saved ${helpers.length} helpers, ${blob.length} bytes, to ${o.output}`);
      }),
    );

  busOptions(program.command('load'))
    .description('check a blob (or a QEMU migration stream) against the bus, then load it')
    .option(
      '--id-list <ids>',
      'comma-separated Ids: only these helpers (each must be on the bus; blob entries for others are an error)',
      idList,
    )
    .option('--rollback', 'save each helper first; if a Load fails, restore the ones loaded', false)
    .argument('<file>', 'blob or QEMU migration stream')
    .action((file: string, o: BusOpts & { rollback: boolean }) =>
      withMigrator(o, async (m, l) => {
        const source = await readBlobSource(file);
        const helpers = await m.load(source.blob, { ...l, rollback: o.rollback });
        for (const h of helpers)
          cli.printLine(`${terminalText(h.id)}\t${h.bytes} bytes\t${ms(h.ms)}`);
        cli.printLine(`loaded ${helpers.length} helpers from ${file}`);
      }),
    );

  program
    .command('inspect')
    .description('print the Ids and sizes in a blob or a QEMU migration stream')
    .argument('<file>', 'blob or QEMU migration stream')
    .option('--extract <id>', "write one helper's data (to --output, or stdout)")
    .option('--blob <file>', 'write the whole blob (padding included) to this file')
    .option('-o, --output <file>', 'where --extract writes')
    .action(async (file: string, o: { extract?: string; blob?: string; output?: string }) => {
      const source = await readBlobSource(file);
      if (o.blob !== undefined) await writeFileAtomic(o.blob, source.blob);
      if (o.extract !== undefined) {
        const entry = source.entries.find((e) => e.id === o.extract);
        if (entry === undefined) {
          throw new UserError(`no helper ${JSON.stringify(o.extract)} in ${file}`);
        }
        if (o.output === undefined) process.stdout.write(entry.data);
        else await writeFile(o.output, entry.data);
        return;
      }
      const where = source.kind === 'stream' ? ` at byte ${source.blobOffset}` : '';
      cli.printLine(
        `${source.kind === 'stream' ? 'QEMU migration stream' : 'blob'}: ${source.entries.length} entries, ` +
          `${source.blob.length} bytes${where}, ${paddingOf(source)} bytes of zero padding`,
      );
      for (const e of source.entries)
        cli.printLine(`${terminalText(e.id)}\t${e.data.length} bytes`);
    });
  return program;
}

class UserError extends Error {}

/** Runs the CLI; returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  return cli.runProgram(buildProgram(), argv);
}

if (cli.isEntryScript(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
