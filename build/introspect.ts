/**
 * Asks a live service for its interfaces (org.freedesktop.DBus.Introspectable.Introspect,
 * through our own generated proxy), optionally walking child nodes, and returns one complete
 * XML document per interface, ready for `generate`. Every reply goes through the same checks
 * as XML files, so what is written is what `generate` accepts. The standard
 * org.freedesktop.DBus.* interfaces (Peer, Introspectable, Properties, ...) are dropped unless
 * `keepStandard`; the bus's own `org.freedesktop.DBus` is kept. The data behind
 * `dbus-codegen-ts introspect`; api/introspect.ts loads it lazily (it loads dbus-next).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { IntrospectableProxy } from '../generated/org.freedesktop.DBus.Introspectable.js';
import { check } from '../generator/check.js';
import { type Code, type Diagnostic, UsageError } from '../generator/diagnostics.js';
import { type Connection, connect, DBusError } from '../runtime/index.js';
import type { Interface, Node } from '../spec/model.js';
import { xmlCommentText } from '../spec/xml.js';
import { containedPaths, outputNameProblem } from './output-path.js';

/** Where to introspect and how far to walk; see `introspect()`. */
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

/** One interface a service serves, as a complete XML document ready for `generate`. */
export interface IntrospectedInterface {
  readonly name: string;
  /** Every path it was found at, in visiting order. */
  readonly paths: readonly string[];
  /** A complete document, ready for `generate`. */
  readonly xml: string;
}

/** What `introspect()` found: the interfaces, the objects visited, and located problems. */
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
