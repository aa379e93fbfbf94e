/**
 * The object server: one per connection, installed as its method-call handler. It routes
 * calls by path, interface and member to exported skeletons and owns the standard
 * interfaces: Properties (Get/Set/GetAll), Introspectable (from the descriptors' XML plus
 * child nodes) and Peer. Error names follow the reference daemon (dbus-rules.md §7).
 */
import { uidOf } from './auth.js';
import type { Connection, IncomingMessage } from './connection.js';
import type { InterfaceDescriptor, MethodDescriptor, PropertyDescriptor } from './descriptor.js';
import { DBusError, ErrorNames, ValidationError } from './errors.js';
import { introspectionXml } from './introspection.js';
import { handlePeer, PEER } from './peer.js';
import { checkValue, issuePath, validateArgs } from './validate.js';
import { Variant } from './variant.js';

export const PROPERTIES = 'org.freedesktop.DBus.Properties';
export const INTROSPECTABLE = 'org.freedesktop.DBus.Introspectable';

export interface CallContext {
  readonly sender: string;
  readonly path: string;
  readonly interfaceName: string;
  readonly member: string;
  readonly noReplyExpected: boolean;
}

/** What a skeleton registers: descriptor plus closures into its private state. */
export interface ExportEntry {
  readonly descriptor: InterfaceDescriptor;
  readonly path: string;
  readonly authorize?:
    | ((req: import('./auth.js').AuthorizationRequest) => boolean | Promise<boolean>)
    | undefined;
  invoke(
    method: MethodDescriptor,
    args: readonly unknown[],
    ctx: CallContext,
  ): Promise<readonly unknown[]>;
  read(prop: PropertyDescriptor): unknown;
  write(prop: PropertyDescriptor, value: unknown, ctx: CallContext): Promise<void>;
}

const STANDARD = new Set([PEER, INTROSPECTABLE, PROPERTIES]);

const SERVERS = Symbol('dbus-codegen-ts.objectServer');

export class ObjectServer {
  private readonly objects = new Map<string, Map<string, ExportEntry>>();

  private constructor(private readonly conn: Connection) {
    conn.setMethodCallHandler((msg) => this.handle(msg));
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

  private handle(msg: IncomingMessage): void {
    this.route(msg).catch((err: unknown) => this.fail(msg, err));
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
    if (msg.interfaceName === PROPERTIES) return this.properties(msg, ifaces);
    let entry: ExportEntry | undefined;
    let method: MethodDescriptor | undefined;
    if (msg.interfaceName === undefined) {
      for (const e of ifaces.values()) {
        method = e.descriptor.methods.find((m) => m.name === msg.member);
        if (method) {
          entry = e;
          break;
        }
      }
    } else {
      entry = ifaces.get(msg.interfaceName);
      if (entry === undefined) {
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
      method = entry.descriptor.methods.find((m) => m.name === msg.member);
    }
    if (entry === undefined || method === undefined) {
      throw new DBusError(
        ErrorNames.UnknownMethod,
        `no method ${msg.member} in ${msg.interfaceName ?? 'any interface'} at ${path}`,
      );
    }
    const iface = entry.descriptor.name;
    if (msg.signature !== method.inSignature) {
      throw new DBusError(
        ErrorNames.InvalidArgs,
        `Call to ${iface}.${method.name} has wrong args (${msg.signature}, expected ${method.inSignature})`,
      );
    }
    invalidArgs(() => validateArgs(iface, method.name, method.inArgs, msg.body));
    const ctx = context(msg, path, iface, method.name);
    await this.authorize(entry, ctx);
    const out = await entry.invoke(method, msg.body, ctx);
    validateArgs(iface, method.name, method.outArgs, out, 'reply');
    this.conn.reply(msg, method.outSignature, out);
  }

  /** Throws AccessDenied unless the skeleton's authorizer allows the call. */
  private async authorize(
    entry: ExportEntry,
    ctx: CallContext,
    property?: { interfaceName: string; name: string },
  ): Promise<void> {
    if (!(await this.allowed(entry, ctx, property))) {
      throw new DBusError(
        ErrorNames.AccessDenied,
        `${ctx.interfaceName}.${ctx.member} is not allowed for ${ctx.sender}`,
      );
    }
  }

  private async allowed(
    entry: ExportEntry,
    ctx: CallContext,
    property?: { interfaceName: string; name: string },
  ): Promise<boolean> {
    if (entry.authorize === undefined) return true;
    const uid = await uidOf(this.conn, ctx.sender);
    try {
      const ok = await entry.authorize({
        sender: ctx.sender,
        uid,
        path: ctx.path,
        interfaceName: ctx.interfaceName,
        member: ctx.member,
        ...(property ? { property } : {}),
      });
      return ok === true;
    } catch (err) {
      if (err instanceof DBusError) throw err;
      console.error('dbus-codegen-ts: authorizer failed:', err);
      return false;
    }
  }

  /**
   * GetAll's dict: the readable properties the caller may read (each one is put to the
   * authorizer, as Get would be; denied ones are left out, spec L4331-L4341).
   */
  private async readable(
    entries: readonly ExportEntry[],
    ctx: CallContext,
  ): Promise<Record<string, Variant>> {
    const all: Record<string, Variant> = {};
    for (const e of entries) {
      for (const p of e.descriptor.properties) {
        if (p.access === 'write' || Object.hasOwn(all, p.name)) continue;
        const property = { interfaceName: e.descriptor.name, name: p.name };
        if (!(await this.allowed(e, ctx, property))) continue;
        const v = readChecked(e, p);
        if (v !== undefined) all[p.name] = v;
      }
    }
    return all;
  }

  private async properties(msg: IncomingMessage, ifaces: Map<string, ExportEntry>): Promise<void> {
    const path = msg.path ?? '/';
    const sigs: Record<string, string> = { Get: 'ss', GetAll: 's', Set: 'ssv' };
    const want = sigs[msg.member ?? ''];
    if (want === undefined)
      throw new DBusError(ErrorNames.UnknownMethod, `no method ${msg.member} in ${PROPERTIES}`);
    if (msg.signature !== want) {
      throw new DBusError(
        ErrorNames.InvalidArgs,
        `Call to ${PROPERTIES}.${msg.member} has wrong args (${msg.signature}, expected ${want})`,
      );
    }
    const ifaceName = msg.body[0] as string;
    const ctx = context(msg, path, PROPERTIES, msg.member!);
    if (ifaceName === '') return this.anyInterface(msg, ifaces, ctx);
    const entry = ifaces.get(ifaceName);
    if (entry === undefined) {
      if (STANDARD.has(ifaceName)) {
        if (msg.member === 'GetAll') return this.conn.reply(msg, 'a{sv}', [{}]);
        throw new DBusError(
          ErrorNames.UnknownProperty,
          `no property ${String(msg.body[1])} in ${ifaceName}`,
        );
      }
      throw new DBusError(ErrorNames.UnknownInterface, `no interface ${ifaceName} at ${path}`);
    }
    if (msg.member === 'GetAll') {
      await this.authorize(entry, ctx);
      return this.conn.reply(msg, 'a{sv}', [await this.readable([entry], ctx)]);
    }
    const name = msg.body[1] as string;
    const p = entry.descriptor.properties.find((x) => x.name === name);
    if (p === undefined)
      throw new DBusError(ErrorNames.UnknownProperty, `no property ${name} in ${ifaceName}`);
    return this.property(msg, entry, p, ctx);
  }

  /**
   * Properties call with interface_name "" (spec L4324-L4330): Get/Set use the first
   * interface exported at the path that has the property; GetAll merges every interface's
   * readable properties (the first interface wins a name clash).
   */
  private async anyInterface(
    msg: IncomingMessage,
    ifaces: Map<string, ExportEntry>,
    ctx: CallContext,
  ): Promise<void> {
    const entries = [...ifaces.values()];
    if (msg.member === 'GetAll') {
      const allowed: ExportEntry[] = [];
      for (const e of entries) if (await this.allowed(e, ctx)) allowed.push(e);
      return this.conn.reply(msg, 'a{sv}', [await this.readable(allowed, ctx)]);
    }
    const name = msg.body[1] as string;
    for (const e of entries) {
      const p = e.descriptor.properties.find((x) => x.name === name);
      if (p !== undefined) return this.property(msg, e, p, ctx);
    }
    throw new DBusError(ErrorNames.UnknownProperty, `no property ${name} at ${ctx.path}`);
  }

  /** Properties.Get or Set of one property. */
  private async property(
    msg: IncomingMessage,
    entry: ExportEntry,
    p: PropertyDescriptor,
    ctx: CallContext,
  ): Promise<void> {
    const name = p.name;
    const property = { interfaceName: entry.descriptor.name, name };
    if (msg.member === 'Get') {
      if (p.access === 'write')
        throw new DBusError(ErrorNames.AccessDenied, `property ${name} is write-only`);
      await this.authorize(entry, ctx, property);
      const v = readChecked(entry, p);
      if (v === undefined)
        throw new DBusError(ErrorNames.Failed, `property ${name} has no valid value`);
      return this.conn.reply(msg, 'v', [v]);
    }
    if (p.access === 'read')
      throw new DBusError(ErrorNames.PropertyReadOnly, `property ${name} is read-only`);
    const v = msg.body[2] as Variant;
    if (v.signature !== p.type) {
      throw new DBusError(
        ErrorNames.InvalidArgs,
        `property ${name} has type "${p.type}", got "${v.signature}"`,
      );
    }
    const bad = checkValue(p.type, v.value);
    if (bad !== undefined) {
      throw new DBusError(
        ErrorNames.InvalidArgs,
        `${issuePath(name, bad)} (${bad.signature}): ${bad.reason}`,
      );
    }
    await this.authorize(entry, ctx, property);
    await entry.write(p, v.value, ctx);
    this.conn.reply(msg);
  }
}

function context(
  msg: IncomingMessage,
  path: string,
  interfaceName: string,
  member: string,
): CallContext {
  return {
    sender: msg.sender ?? '',
    path,
    interfaceName,
    member,
    noReplyExpected: (msg.flags & 1) !== 0,
  };
}

function invalidArgs(check: () => void): void {
  try {
    check();
  } catch (err) {
    if (err instanceof ValidationError) throw new DBusError(ErrorNames.InvalidArgs, err.message);
    throw err;
  }
}

/** A property value as a Variant, or undefined (logged) when unset or invalid. */
function readChecked(entry: ExportEntry, p: PropertyDescriptor): Variant | undefined {
  const value = entry.read(p);
  if (value === undefined) return undefined;
  const bad = checkValue(p.type, value);
  if (bad !== undefined) {
    console.error(
      `dbus-codegen-ts: property ${entry.descriptor.name}.${p.name} holds an invalid value: ${bad.reason}`,
    );
    return undefined;
  }
  return new Variant(p.type, value);
}
