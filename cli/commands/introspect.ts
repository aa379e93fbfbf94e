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
 * verdicts (generator/diff/drift.ts).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { IntrospectableProxy } from '../../generated/org.freedesktop.DBus.Introspectable.js';
import { type Connection, connect, DBusError } from '../../runtime/index.js';
import { terminalText } from '../../runtime/terminal-text.js';
import type { Interface, Node } from '../../spec/model.js';
import { xmlCommentText } from '../../spec/xml.js';
import { check } from '../check.js';
import { type Code, type Diagnostic, formatDiagnostic, UsageError } from '../diagnostics.js';
import { containedPaths, outputNameProblem } from '../output-path.js';

export interface IntrospectOptions {
  /** D-Bus address, e.g. `unix:path=/run/vm1/bus.sock`. Required unless `bus` is given. */
  readonly address?: string;
  /** Use the session or system bus (`DBUS_SESSION_BUS_ADDRESS` / `DBUS_SYSTEM_BUS_ADDRESS`). */
  readonly bus?: 'session' | 'system';
  /** Bus name to ask (well-known or unique). Required. */
  readonly dest: string;
  /** Object path to start at. Default: `/`. */
  readonly path?: string;
  /** Follow child nodes. Default: `false`. */
  readonly recursive?: boolean;
  /** Keep org.freedesktop.DBus.* interfaces. Default: `false`. */
  readonly keepStandard?: boolean;
  /** Per-call timeout in ms. Default: 25 000. */
  readonly timeoutMs?: number;
  /** Stop after this many objects (a guard against huge trees). Default: 10 000. */
  readonly maxObjects?: number;
  /** Error codes in replies to report as warnings (DBUS030, DBUS041). Default: none. */
  readonly relax?: readonly Code[];
}

export interface IntrospectedInterface {
  readonly name: string;
  /** Every path it was found at, in visiting order. */
  readonly paths: readonly string[];
  /** A complete document, ready for `generate`. */
  readonly xml: string;
}

export interface IntrospectResult {
  readonly interfaces: readonly IntrospectedInterface[];
  /** Objects visited, in order. */
  readonly visited: readonly string[];
  /** Problems in replies (checked like files named `DEST:PATH`) and failed calls. */
  readonly diagnostics: readonly Diagnostic[];
}

/** Where the usual buses are, as libdbus/GDBus find them. */
export function busAddress(bus: 'session' | 'system'): string {
  if (bus === 'system') {
    return process.env['DBUS_SYSTEM_BUS_ADDRESS'] ?? 'unix:path=/var/run/dbus/system_bus_socket';
  }
  const env = process.env['DBUS_SESSION_BUS_ADDRESS'];
  if (env) return env;
  const runtime = process.env['XDG_RUNTIME_DIR'];
  if (runtime) return `unix:path=${runtime}/bus`;
  throw new UsageError('--session: DBUS_SESSION_BUS_ADDRESS is not set (and no XDG_RUNTIME_DIR)');
}

/** Introspects `options.dest` on an open connection. */
export async function introspectObjects(
  connection: Connection,
  options: IntrospectOptions,
): Promise<IntrospectResult> {
  const diagnostics: Diagnostic[] = [];
  const found = new Map<string, { iface: Interface; paths: string[] }>();
  const visited: string[] = [];
  const queue = [options.path ?? '/'];
  const max = options.maxObjects ?? 10_000;
  while (queue.length > 0 && visited.length < max) {
    const path = queue.shift()!;
    visited.push(path);
    const where = `${options.dest}:${path}`;
    let xml: string;
    try {
      const proxy = new IntrospectableProxy(connection, options.dest, path);
      xml = await proxy.introspect({ timeoutMs: options.timeoutMs ?? 25_000 });
    } catch (e) {
      const why = e instanceof DBusError ? e.message : (e as Error).message;
      diagnostics.push(at(where, `Introspect failed: ${why}`));
      continue;
    }
    const r = check([{ file: where, text: xml }], { relax: options.relax ?? [] });
    diagnostics.push(...r.diagnostics);
    const doc = r.documents[0];
    if (doc === undefined) continue;
    for (const iface of doc.root.interfaces) keep(found, iface, path, options, diagnostics);
    if (options.recursive) queue.push(...childPaths(path, doc.root));
  }
  if (queue.length > 0) {
    diagnostics.push(at(options.dest, `stopped after ${max} objects (maxObjects)`, 'warning'));
  }
  const interfaces = [...found.values()]
    .sort((a, b) => (a.iface.name < b.iface.name ? -1 : 1))
    .map(({ iface, paths }) => ({ name: iface.name, paths, xml: document(iface, paths, options) }));
  return { interfaces, visited, diagnostics };
}

function keep(
  found: Map<string, { iface: Interface; paths: string[] }>,
  iface: Interface,
  path: string,
  options: IntrospectOptions,
  diagnostics: Diagnostic[],
): void {
  if (!options.keepStandard && iface.name.startsWith('org.freedesktop.DBus.')) return;
  // A peer's name never decides where a file lands: refused, and the run writes nothing.
  const escapes = outputNameProblem(iface.name, fileName(iface.name), iface.location);
  if (escapes !== undefined) {
    diagnostics.push(escapes);
    return;
  }
  const seen = found.get(iface.name);
  if (seen === undefined) {
    found.set(iface.name, { iface, paths: [path] });
    return;
  }
  seen.paths.push(path);
  if (seen.iface.xml !== iface.xml) {
    diagnostics.push(
      at(
        `${options.dest}:${path}`,
        `interface ${iface.name} differs from the one at ${seen.paths[0]}; the first is written`,
        'warning',
      ),
    );
  }
}

function childPaths(parent: string, root: Node): string[] {
  return root.children
    .map((c) => c.name)
    .filter((n): n is string => n !== undefined && n !== '' && !n.startsWith('/'))
    .sort()
    .map((n) => (parent === '/' ? `/${n}` : `${parent}/${n}`));
}

function document(iface: Interface, paths: readonly string[], o: IntrospectOptions): string {
  const seenAt =
    paths.length > 1
      ? ` (also at ${paths.slice(1, 4).join(', ')}${paths.length > 4 ? ', ...' : ''})`
      : '';
  const body = iface.xml.replace(/^<node>/, `<node name="${paths[0]}">`);
  return `<?xml version="1.0" encoding="UTF-8"?>
<!-- Introspected by dbus-codegen-ts from ${xmlCommentText(o.dest)} at ${xmlCommentText(paths[0] ?? '/')}${xmlCommentText(seenAt)}. -->
${body}`;
}

function at(file: string, message: string, severity: 'error' | 'warning' = 'error'): Diagnostic {
  return { severity, code: 'DBUS090', message, location: { file, line: 1, column: 1 } };
}

/** Connects, introspects, closes. */
export async function introspect(options: IntrospectOptions): Promise<IntrospectResult> {
  const address = options.address ?? busAddress(options.bus ?? 'session');
  let connection: Connection;
  try {
    connection = await connect(address, { timeoutMs: options.timeoutMs ?? 25_000 });
  } catch (e) {
    return {
      interfaces: [],
      visited: [],
      diagnostics: [at(address, `cannot connect: ${(e as Error).message}`)],
    };
  }
  try {
    return await introspectObjects(connection, options);
  } finally {
    await connection.close();
  }
}

/** All interfaces in one document (for `-o -`); a single one keeps its own document. */
export function oneDocument(interfaces: readonly IntrospectedInterface[], dest: string): string {
  if (interfaces.length === 1) return interfaces[0]!.xml;
  const bodies = interfaces.map((i) =>
    i.xml.slice(i.xml.indexOf('  <interface'), i.xml.lastIndexOf('</node>')),
  );
  return `<?xml version="1.0" encoding="UTF-8"?>
<!-- Introspected by dbus-codegen-ts from ${xmlCommentText(dest)}: ${interfaces.length} interfaces in one document (with -o DIR each file also names its object path). -->
<node>
${bodies.join('')}</node>
`;
}

function fileName(iface: string): string {
  return `${iface}.xml`;
}

/** Writes the files whose content changed; returns the names written. */
export function writeInterfaces(
  dir: string,
  interfaces: readonly IntrospectedInterface[],
): string[] {
  // Every file is checked before the first write: one that escapes `dir` writes nothing.
  const files = containedPaths(
    dir,
    interfaces.map((i) => fileName(i.name)),
  );
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const [n, i] of interfaces.entries()) {
    const file = files[n]!;
    let old: string | undefined;
    try {
      old = readFileSync(file, 'utf8');
    } catch {
      old = undefined;
    }
    if (old !== i.xml) {
      writeFileSync(file, i.xml);
      written.push(fileName(i.name));
    }
  }
  return written;
}

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
        const { reportDrift } = await import('../diff/drift.js');
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
