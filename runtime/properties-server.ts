/**
 * The server side of org.freedesktop.DBus.Properties for the object server: Get, Set and
 * GetAll on exported skeletons, each property access put to the skeleton's authorizer, and
 * the empty interface name (any interface at the path). Error names are the ones the reference
 * implementation answers with (UnknownInterface, UnknownProperty, PropertyReadOnly, ...).
 */
import { allowed, authorize } from './authorize-call.js';
import { type CallContext, callContext, type ExportEntry } from './call-context.js';
import type { Connection, IncomingMessage } from './connection.js';
import type { PropertyDescriptor } from './descriptor.js';
import { DBusError, ErrorNames } from './errors.js';
import { INTROSPECTABLE } from './introspection.js';
import { PEER } from './peer.js';
import { checkValue, issuePath } from './validate.js';
import { Variant } from './variant.js';

export const PROPERTIES = 'org.freedesktop.DBus.Properties';
/** The in-signatures of the Properties methods. */
export const PROPERTY_CALLS: Readonly<Record<string, string>> = {
  Get: 'ss',
  GetAll: 's',
  Set: 'ssv',
};

const STANDARD = new Set([PEER, INTROSPECTABLE, PROPERTIES]);

/** Answers a Properties call on the object whose interfaces are `ifaces`. */
export async function handleProperties(
  conn: Connection,
  msg: IncomingMessage,
  ifaces: Map<string, ExportEntry>,
): Promise<void> {
  const path = msg.path ?? '/';
  const want = PROPERTY_CALLS[msg.member ?? ''];
  if (want === undefined)
    throw new DBusError(ErrorNames.UnknownMethod, `no method ${msg.member} in ${PROPERTIES}`);
  if (msg.signature !== want) {
    throw new DBusError(
      ErrorNames.InvalidArgs,
      `Call to ${PROPERTIES}.${msg.member} has wrong args (${msg.signature}, expected ${want})`,
    );
  }
  const ifaceName = msg.body[0] as string;
  const ctx = callContext(msg, path, PROPERTIES, msg.member!);
  if (ifaceName === '') return anyInterface(conn, msg, ifaces, ctx);
  const entry = ifaces.get(ifaceName);
  if (entry === undefined) {
    if (STANDARD.has(ifaceName)) {
      if (msg.member === 'GetAll') return conn.reply(msg, 'a{sv}', [{}]);
      throw new DBusError(
        ErrorNames.UnknownProperty,
        `no property ${String(msg.body[1])} in ${ifaceName}`,
      );
    }
    throw new DBusError(ErrorNames.UnknownInterface, `no interface ${ifaceName} at ${path}`);
  }
  if (msg.member === 'GetAll') {
    await authorize(conn, entry, ctx);
    return conn.reply(msg, 'a{sv}', [await readable(conn, [entry], ctx)]);
  }
  const name = msg.body[1] as string;
  const p = entry.descriptor.properties.find((x) => x.name === name);
  if (p === undefined)
    throw new DBusError(ErrorNames.UnknownProperty, `no property ${name} in ${ifaceName}`);
  return property(conn, msg, entry, p, ctx);
}

/**
 * Properties call with interface_name "" (the specification allows an empty interface name
 * and leaves a name clash to the service): Get/Set use the first
 * interface exported at the path that has the property; GetAll merges every interface's
 * readable properties (the first interface wins a name clash).
 */
async function anyInterface(
  conn: Connection,
  msg: IncomingMessage,
  ifaces: Map<string, ExportEntry>,
  ctx: CallContext,
): Promise<void> {
  const entries = [...ifaces.values()];
  if (msg.member === 'GetAll') {
    const allowedEntries: ExportEntry[] = [];
    for (const e of entries) if (await allowed(conn, e, ctx)) allowedEntries.push(e);
    return conn.reply(msg, 'a{sv}', [await readable(conn, allowedEntries, ctx)]);
  }
  const name = msg.body[1] as string;
  for (const e of entries) {
    const p = e.descriptor.properties.find((x) => x.name === name);
    if (p !== undefined) return property(conn, msg, e, p, ctx);
  }
  throw new DBusError(ErrorNames.UnknownProperty, `no property ${name} at ${ctx.path}`);
}

/**
 * GetAll's dict: the readable properties the caller may read (each one is put to the
 * authorizer, as Get would be; denied ones are left out, as the specification asks of GetAll for properties the
 * caller may not access).
 */
async function readable(
  conn: Connection,
  entries: readonly ExportEntry[],
  ctx: CallContext,
): Promise<Record<string, Variant>> {
  const all: Record<string, Variant> = {};
  for (const e of entries) {
    for (const p of e.descriptor.properties) {
      if (p.access === 'write' || Object.hasOwn(all, p.name)) continue;
      const property = { interfaceName: e.descriptor.name, name: p.name };
      if (!(await allowed(conn, e, ctx, property))) continue;
      const v = readChecked(e, p);
      if (v !== undefined) all[p.name] = v;
    }
  }
  return all;
}

/** Properties.Get or Set of one property. */
async function property(
  conn: Connection,
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
    await authorize(conn, entry, ctx, property);
    const v = readChecked(entry, p);
    if (v === undefined)
      throw new DBusError(ErrorNames.Failed, `property ${name} has no valid value`);
    return conn.reply(msg, 'v', [v]);
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
  await authorize(conn, entry, ctx, property);
  await entry.write(p, v.value, ctx);
  conn.reply(msg);
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
