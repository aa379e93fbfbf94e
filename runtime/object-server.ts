/**
 * The object server: one per connection, installed as its method-call handler. It keeps
 * the exported skeletons by path and interface, routes calls by path, interface and member
 * to them, and answers the standard interfaces: Introspectable (from the descriptors' XML
 * plus child nodes) and Peer here, Properties in properties-server.ts. Error names are
 * the ones the reference implementation answers with (UnknownObject, UnknownMethod, ...).
 */
import { authorize } from './authorize-call.js';
import { callContext, type ExportEntry } from './call-context.js';
import type { Connection, IncomingMessage, MessageHeader } from './connection.js';
import type { MethodDescriptor } from './descriptor.js';
import { DBusError, ErrorNames, ValidationError } from './errors.js';
import { INTROSPECTABLE, introspectionXml } from './introspection.js';
import { handlePeer, PEER } from './peer.js';
import { handleProperties, PROPERTIES, PROPERTY_CALLS } from './properties-server.js';
import { validateArgs } from './validate.js';

export type { CallContext, ExportEntry } from './call-context.js';
export { INTROSPECTABLE } from './introspection.js';
export { PROPERTIES } from './properties-server.js';

const SERVERS = Symbol('dbus-codegen-ts.objectServer');

/**
 * The per-connection dispatcher skeletons register with: routes incoming calls by path and
 * interface, answers Introspect (with child nodes) and Peer, and UnknownObject /
 * UnknownMethod otherwise. One per connection, made on first use by `ObjectServer.for`.
 */
export class ObjectServer {
  private readonly objects = new Map<string, Map<string, ExportEntry>>();

  private constructor(private readonly conn: Connection) {
    conn.setMethodCallHandler(
      (msg) => this.handle(msg),
      (h) => this.expects(h),
    );
  }

  /** The connection's object server (created on first use). */
  static for(conn: Connection): ObjectServer {
    let s = conn.extensions.get(SERVERS) as ObjectServer | undefined;
    if (s === undefined) {
      s = new ObjectServer(conn);
      conn.extensions.set(SERVERS, s);
    }
    return s;
  }

  add(entry: ExportEntry): void {
    let ifaces = this.objects.get(entry.path);
    if (ifaces === undefined) {
      ifaces = new Map();
      this.objects.set(entry.path, ifaces);
    }
    if (ifaces.has(entry.descriptor.name)) {
      throw new Error(`${entry.descriptor.name} is already exported at ${entry.path}`);
    }
    ifaces.set(entry.descriptor.name, entry);
  }

  remove(entry: ExportEntry): void {
    const ifaces = this.objects.get(entry.path);
    if (ifaces?.get(entry.descriptor.name) !== entry) return;
    ifaces.delete(entry.descriptor.name);
    if (ifaces.size === 0) this.objects.delete(entry.path);
  }

  /** Direct children of `path` that are exported or lead to exported objects. */
  children(path: string): string[] {
    const prefix = path === '/' ? '/' : `${path}/`;
    const names = new Set<string>();
    for (const p of this.objects.keys()) {
      if (p !== path && p.startsWith(prefix)) names.add(p.slice(prefix.length).split('/')[0]!);
    }
    return [...names].sort();
  }

  introspect(path: string): string | undefined {
    const ifaces = this.objects.get(path);
    const kids = this.children(path);
    if (ifaces === undefined && kids.length === 0 && path !== '/') return undefined;
    const xmls = ifaces ? [...ifaces.values()].map((e) => e.descriptor) : undefined;
    return introspectionXml(xmls, kids);
  }

  /**
   * The signature a call's body must have to be decoded: the method's in-signature (or a
   * standard interface's), undefined when the call will be refused whatever its body.
   */
  private expects(h: MessageHeader): string | undefined {
    if (h.interfaceName === PEER) return '';
    if (h.interfaceName === INTROSPECTABLE && h.member === 'Introspect') return '';
    const ifaces = this.objects.get(h.path ?? '/');
    if (ifaces === undefined) return undefined;
    if (h.interfaceName === PROPERTIES) return PROPERTY_CALLS[h.member ?? ''];
    return findMethod(ifaces, h)?.method.inSignature;
  }

  private handle(msg: IncomingMessage): Promise<void> {
    return this.route(msg).catch((err: unknown) => this.fail(msg, err));
  }

  /** Sends an error for `err`: typed D-Bus errors as they are, anything else as Failed. */
  private fail(msg: IncomingMessage, err: unknown): void {
    if (this.conn.closed) return;
    const what = `${msg.interfaceName ?? ''}.${msg.member ?? ''}`;
    try {
      if (err instanceof DBusError) {
        this.conn.replyError(msg, err.type, err.text);
        return;
      }
      console.error(`dbus-codegen-ts: ${what} on ${msg.path ?? ''} failed:`, err);
      const why =
        err instanceof ValidationError ? 'the service produced an invalid reply' : 'internal error';
      this.conn.replyError(msg, ErrorNames.Failed, `${what} failed: ${why}`);
    } catch (sendErr) {
      console.error(`dbus-codegen-ts: could not send the error for ${what}:`, sendErr);
    }
  }

  private async route(msg: IncomingMessage): Promise<void> {
    const path = msg.path ?? '/';
    if (handlePeer(this.conn, msg)) return;
    if (msg.interfaceName === INTROSPECTABLE && msg.member === 'Introspect') {
      const xml = this.introspect(path);
      if (xml === undefined)
        throw new DBusError(ErrorNames.UnknownObject, `no object at path ${path}`);
      this.conn.reply(msg, 's', [xml]);
      return;
    }
    const ifaces = this.objects.get(path);
    if (ifaces === undefined)
      throw new DBusError(ErrorNames.UnknownObject, `no object at path ${path}`);
    if (msg.interfaceName === PROPERTIES) return handleProperties(this.conn, msg, ifaces);
    const found = findMethod(ifaces, msg);
    if (found === undefined && msg.interfaceName !== undefined && !ifaces.has(msg.interfaceName)) {
      if (msg.interfaceName === INTROSPECTABLE) {
        throw new DBusError(
          ErrorNames.UnknownMethod,
          `no method ${msg.member} in ${INTROSPECTABLE}`,
        );
      }
      throw new DBusError(
        ErrorNames.UnknownInterface,
        `no interface ${msg.interfaceName} at ${path}`,
      );
    }
    if (found === undefined) {
      throw new DBusError(
        ErrorNames.UnknownMethod,
        `no method ${msg.member} in ${msg.interfaceName ?? 'any interface'} at ${path}`,
      );
    }
    const { entry, method } = found;
    const iface = entry.descriptor.name;
    if (msg.signature !== method.inSignature) {
      throw new DBusError(
        ErrorNames.InvalidArgs,
        `Call to ${iface}.${method.name} has wrong args (${msg.signature}, expected ${method.inSignature})`,
      );
    }
    invalidArgs(() => validateArgs(iface, method.name, method.inArgs, msg.body));
    const ctx = callContext(msg, path, iface, method.name);
    await authorize(this.conn, entry, ctx);
    const out = await entry.invoke(method, msg.body, ctx);
    validateArgs(iface, method.name, method.outArgs, out, 'reply');
    this.conn.reply(msg, method.outSignature, out);
  }
}

/** The exported method a call names (any interface when the call names none). */
function findMethod(
  ifaces: Map<string, ExportEntry>,
  h: MessageHeader,
): { entry: ExportEntry; method: MethodDescriptor } | undefined {
  const entries = h.interfaceName === undefined ? ifaces.values() : [ifaces.get(h.interfaceName)];
  for (const entry of entries) {
    const method = entry?.descriptor.methods.find((m) => m.name === h.member);
    if (entry !== undefined && method !== undefined) return { entry, method };
  }
  return undefined;
}

function invalidArgs(check: () => void): void {
  try {
    check();
  } catch (err) {
    if (err instanceof ValidationError) throw new DBusError(ErrorNames.InvalidArgs, err.message);
    throw err;
  }
}
