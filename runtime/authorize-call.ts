/**
 * Puts one call (or one property access) to the authorizer of the skeleton it reaches, with
 * the caller's uid; shared by method dispatch (object-server.ts) and properties-server.ts.
 */
import { uidOf } from './auth.js';
import type { CallContext, ExportEntry } from './call-context.js';
import type { Connection } from './connection.js';
import { DBusError, ErrorNames } from './errors.js';

/** The property a Properties call is about, as the authorizer sees it. */
export interface PropertyRef {
  interfaceName: string;
  name: string;
}

/** Throws AccessDenied unless the skeleton's authorizer allows the call. */
export async function authorize(
  conn: Connection,
  entry: ExportEntry,
  ctx: CallContext,
  property?: PropertyRef,
): Promise<void> {
  if (!(await allowed(conn, entry, ctx, property))) {
    throw new DBusError(
      ErrorNames.AccessDenied,
      `${ctx.interfaceName}.${ctx.member} is not allowed for ${ctx.sender}`,
    );
  }
}

/** Whether the skeleton's authorizer allows the call; an authorizer that throws denies it. */
export async function allowed(
  conn: Connection,
  entry: ExportEntry,
  ctx: CallContext,
  property?: PropertyRef,
): Promise<boolean> {
  if (entry.authorize === undefined) return true;
  const uid = await uidOf(conn, ctx.sender);
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
