/**
 * Authorization hook support: the caller's uid from the bus
 * (org.freedesktop.DBus.GetConnectionUnixUser), cached per unique name and dropped when
 * that name leaves the bus (NameOwnerChanged).
 */
import type { Connection } from './connection.js';
import { ErrorNames } from './errors.js';
import { matchRule } from './signals.js';

/** What an {@link Authorizer} decides on: who calls what, and for property access which property. */
export interface AuthorizationRequest {
  /** The caller's unique bus name. */
  sender: string;
  /** The caller's uid, or undefined when the bus could not tell (e.g. tcp). */
  uid: number | undefined;
  path: string;
  /** The method's interface; `org.freedesktop.DBus.Properties` for property access. */
  interfaceName: string;
  /** The method; `Get`, `Set` or `GetAll` for property access. */
  member: string;
  /** For property access: the property's interface and name. */
  property?: { interfaceName: string; name: string };
}

/** Returns true to allow; false (or a rejected promise) answers AccessDenied. */
export type Authorizer = (req: AuthorizationRequest) => boolean | Promise<boolean>;

const CACHE = Symbol('dbus-codegen-ts.uidCache');
const BUS = 'org.freedesktop.DBus';

interface UidCache {
  readonly uids: Map<string, Promise<number | undefined>>;
  watching: Promise<void> | undefined;
}

function cacheOf(conn: Connection): UidCache {
  let c = conn.extensions.get(CACHE) as UidCache | undefined;
  if (c === undefined) {
    c = { uids: new Map(), watching: undefined };
    conn.extensions.set(CACHE, c);
  }
  return c;
}

function watch(conn: Connection, c: UidCache): Promise<void> {
  c.watching ??= (async () => {
    conn.onSignal((m) => {
      if (m.sender === BUS && m.member === 'NameOwnerChanged' && typeof m.body[0] === 'string') {
        c.uids.delete(m.body[0]);
      }
    }, 'sss');
    await conn.addMatch(matchRule({ sender: BUS, interfaceName: BUS, member: 'NameOwnerChanged' }));
  })();
  return c.watching;
}

/** The uid behind a unique name (cached); undefined when the bus does not know it. */
export async function uidOf(conn: Connection, sender: string): Promise<number | undefined> {
  const c = cacheOf(conn);
  let uid = c.uids.get(sender);
  if (uid === undefined) {
    await watch(conn, c).catch(() => undefined);
    const lookup: Promise<number | undefined> = conn
      .callBus('GetConnectionUnixUser', 's', [sender])
      .then(([u]) => u as number)
      .catch((err: unknown) => {
        // The name already left (its NameOwnerChanged may have come before this entry was
        // made): keep no entry, nothing would ever remove it. Unique names are not reused.
        if ((err as { type?: string }).type === ErrorNames.NameHasNoOwner) {
          if (c.uids.get(sender) === lookup) c.uids.delete(sender);
        }
        return undefined;
      });
    uid = lookup;
    c.uids.set(sender, uid);
  }
  return uid;
}

/** Entries in the uid cache. Test-only: not exported from the package (runtime/index.ts). */
export function cachedUidCount(conn: Connection): number {
  return cacheOf(conn).uids.size;
}
