#!/usr/bin/env node
/**
 * `dbus-display`: a client of QEMU's D-Bus display (`-display dbus`): take a PNG screenshot
 * through a Display1 listener, or run HMP monitor commands through a dbus chardev. Both wait
 * for QEMU to own `org.qemu` on the bus first (it takes the name once the machine is built).
 * Exit codes: 0 ok, 1 failure, 2 usage error.
 */
import { type Command, Option } from 'commander';
import * as cli from '../runtime/cli-main.js';
import { type Connection, connect } from '../runtime/index.js';
import { terminalText } from '../runtime/terminal-text.js';
import { writeFileAtomic } from '../vmstate/files.js';
import { pixmanFormatName } from './pixman.js';
import { encodePng } from './png.js';
import { openMonitor, QEMU_BUS_NAME, registerListener } from './register.js';
import { waitForName } from './wait-name.js';

type BusOpts = cli.BusOptionValues;

const nonNegativeInt = cli.integerAtLeast(0, 'expected an integer >= 0');

function busOptions(cmd: Command): Command {
  return cli.addBusOptions(cmd, {
    address: "D-Bus address of QEMU's bus (unix:path=...)",
    timeout: 'wait for org.qemu, for QEMU to answer, and for the first frame',
    parseTimeout: nonNegativeInt,
    defaultTimeout: 10_000,
  });
}

async function withQemu<T>(o: BusOpts, fn: (bus: Connection) => Promise<T>): Promise<T> {
  const bus = await connect(o.address, { timeoutMs: o.timeout });
  try {
    await waitForName(bus, QEMU_BUS_NAME, o.timeout);
    return await fn(bus);
  } finally {
    await bus.close();
  }
}

export function buildProgram(): Command {
  const program = cli.newProgram(
    'dbus-display',
    "QEMU's D-Bus display (-display dbus): screenshots and the HMP monitor",
  );

  busOptions(program.command('screenshot'))
    .description('register a display listener, wait for the first frame, write it as PNG')
    .requiredOption('-o, --output <file>', 'PNG file to write')
    .addOption(new Option('--console <n>', 'console number').argParser(nonNegativeInt).default(0))
    .action((o: BusOpts & { output: string; console: number }) =>
      withQemu(o, async (bus) => {
        const session = await registerListener(bus, { console: o.console, timeoutMs: o.timeout });
        try {
          const { listener } = session;
          await listener.until(() => listener.framebuffer.hasSurface, o.timeout);
          const fb = listener.framebuffer;
          await writeFileAtomic(o.output, encodePng(fb.toImage()));
          cli.printLine(`${o.output}: ${fb.width}x${fb.height} (${pixmanFormatName(fb.format)})`);
        } finally {
          await session.close();
        }
      }),
    );

  busOptions(program.command('monitor'))
    .description(
      'run HMP commands on a dbus chardev monitor (-chardev dbus,id=ID ... -mon chardev=ID)',
    )
    .requiredOption('--chardev <id>', 'chardev id (object /org/qemu/Display1/Chardev_<id>)')
    .argument('<commands...>', "HMP command lines, e.g. 'info version'")
    .action((commands: string[], o: BusOpts & { chardev: string }) =>
      withQemu(o, async (bus) => {
        const mon = await openMonitor(bus, o.chardev, { timeoutMs: o.timeout });
        try {
          for (const c of commands) {
            const text = await mon.command(c);
            // Monitor output is QEMU's text, but it can quote guest data: escaped per line.
            for (const line of text === '' ? [] : text.split('\n'))
              cli.printLine(terminalText(line));
          }
        } finally {
          mon.close();
        }
      }),
    );
  return program;
}

/** Runs the CLI; returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  return cli.runProgram(buildProgram(), argv);
}

if (cli.isEntryScript(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
