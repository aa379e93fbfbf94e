/**
 * `dbus-codegen-ts introspect (--address A | --session | --system) --dest NAME [--path P]
 *  [--recursive] [--keep-standard] [-o DIR]`
 *
 * Asks a live service for its interfaces (org.freedesktop.DBus.Introspectable.Introspect,
 * through our own generated proxy), optionally walking child nodes, and writes one XML file
 * per interface, named after it (`DIR/org.example.Thing1.xml`), ready for `generate`. Every
 * reply goes through the same checks as XML files, so what is written is what `generate`
 * accepts. The standard org.freedesktop.DBus.* interfaces (Peer, Introspectable, Properties,
 * ...) are dropped unless `--keep-standard`; the bus's own `org.freedesktop.DBus` is kept.
 *
 * `--compare DIR [--json] [--fail-on wire|source]` writes nothing: it walks the whole tree
 * (standard interfaces kept) and reports how the service differs from DIR's XML, with diff's
 * verdicts (cli/drift.ts).
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { introspect, oneDocument, writeInterfaces } from '../../build/introspect.js';
import { type Code, formatDiagnostic, UsageError } from '../../generator/diagnostics.js';
import { terminalText } from '../../runtime/terminal-text.js';

interface Flags {
  address?: string;
  session?: boolean;
  system?: boolean;
  dest: string;
  path: string;
  recursive?: boolean;
  keepStandard?: boolean;
  output: string;
  timeout?: string;
  relax: string[];
  compare?: string;
  json?: boolean;
  failOn?: 'wire' | 'source';
}

export function register(program: Command): void {
  program
    .command('introspect')
    .description('write one XML file per interface of a live D-Bus service, ready for generate')
    .option('--address <address>', 'D-Bus address, e.g. unix:path=/run/vm1/bus.sock')
    .option('--session', 'use the session bus')
    .option('--system', 'use the system bus')
    .requiredOption('--dest <name>', 'bus name of the service, e.g. org.qemu')
    .option('--path <path>', 'object path to start at', '/')
    .option('-r, --recursive', 'follow child nodes')
    .option('--keep-standard', 'keep the standard org.freedesktop.DBus.* interfaces')
    .option('-o, --output <dir>', 'output directory, or - for stdout', '.')
    .option('--timeout <ms>', 'per-call timeout in ms', '25000')
    .option(
      '--relax <code>',
      'report this error code in replies as a warning: DBUS030 or DBUS041 (repeatable)',
      (v: string, prev: string[]) => [...prev, v],
      [],
    )
    .option('--compare <dir>', 'write nothing; report how the service differs from the XML in DIR')
    .option('--json', 'with --compare: print the report as JSON')
    .option('--fail-on <level>', 'with --compare: exit 1 on a wire (or source) breaking change')
    .action(async (flags: Flags) => {
      const chosen = [flags.address !== undefined, flags.session, flags.system].filter(Boolean);
      if (chosen.length !== 1)
        throw new UsageError('give exactly one of --address, --session, --system');
      const timeoutMs = Number(flags.timeout);
      if (!Number.isFinite(timeoutMs) || timeoutMs <= 0)
        throw new UsageError('--timeout must be a positive number of ms');
      const r = await introspect({
        ...(flags.address !== undefined
          ? { address: flags.address }
          : { bus: flags.system ? 'system' : 'session' }),
        dest: flags.dest,
        path: flags.path,
        // --compare walks the whole tree and keeps every interface, the standard ones too
        recursive: flags.recursive === true || flags.compare !== undefined,
        keepStandard: flags.keepStandard === true || flags.compare !== undefined,
        timeoutMs,
        relax: flags.relax as Code[],
      });
      // Names and error texts in these come from the service: escaped (terminal-text.ts).
      for (const d of r.diagnostics) process.stderr.write(`${terminalText(formatDiagnostic(d))}\n`);
      if (flags.compare !== undefined) {
        if (flags.failOn !== undefined && flags.failOn !== 'wire' && flags.failOn !== 'source')
          throw new UsageError('--fail-on: expected wire or source');
        const { reportDrift } = await import('../drift.js');
        const code = reportDrift(flags.compare, r, flags.dest, {
          ...flags,
          relax: flags.relax as Code[],
        });
        process.exitCode = r.diagnostics.some((d) => d.severity === 'error') ? 1 : code;
        return;
      }
      if (r.diagnostics.some((d) => d.code === 'DBUS091')) {
        process.stderr.write('an interface name would write outside the output; nothing written\n');
      } else if (flags.output === '-') {
        process.stdout.write(oneDocument(r.interfaces, flags.dest));
      } else {
        const written = writeInterfaces(resolve(flags.output), r.interfaces);
        process.stderr.write(
          `${r.visited.length} object(s), ${r.interfaces.length} interface(s) in ${flags.output}, ${written.length} written\n`,
        );
      }
      process.exitCode =
        r.interfaces.length === 0 || r.diagnostics.some((d) => d.severity === 'error') ? 1 : 0;
    });
}
