/**
 * Ready authorization hooks for skeletons (`SkeletonOptions.authorize`). The daemon policy
 * (`dbus-codegen-ts policy`) decides who may reach a name at all; these decide, inside the
 * service, which callers a given object answers. Both fail closed: an unknown uid is denied.
 *
 * @example
 * ```ts
 * new VMState1Skeleton(conn, handlers, props, { authorize: allowUids(['qemu']) });
 * ```
 */
import { execFileSync } from 'node:child_process';
import { isValidUserName } from '../../spec/policy.js';
import type { AuthorizationRequest, Authorizer } from '../auth.js';

/**
 * The uid of a user name (via `id -u`, so NSS users count), or the number itself.
 * Throws for an unknown user: a typo must not silently authorize nobody (or everybody).
 */
export function resolveUid(user: number | string): number {
  if (typeof user === 'number' || /^[0-9]+$/.test(user)) {
    const uid = Number(user);
    if (!Number.isSafeInteger(uid) || uid < 0 || uid > 0xffff_ffff) {
      throw new RangeError(`invalid uid ${String(user)}`);
    }
    return uid;
  }
  if (!isValidUserName(user)) throw new RangeError(`invalid user "${user}"`);
  let out: string;
  try {
    out = execFileSync('id', ['-u', '--', user], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  } catch {
    throw new RangeError(`unknown user "${user}"`);
  }
  return resolveUid(out.trim());
}

/** Options of {@link allowUids}. */
export interface AllowUidsOptions {
  /** Also allow the uid this process runs as (default false). */
  readonly includeSelf?: boolean;
}

/**
 * Allows callers whose uid (from the bus: GetConnectionUnixUser) is in the list; user
 * names are resolved once, now. Everyone else, and callers whose uid the bus cannot tell,
 * get `org.freedesktop.DBus.Error.AccessDenied` and the handler is never called.
 */
export function allowUids(
  users: Iterable<number | string>,
  options: AllowUidsOptions = {},
): Authorizer {
  const allowed = new Set<number>();
  for (const u of users) allowed.add(resolveUid(u));
  const self = process.getuid?.();
  if (options.includeSelf === true && self !== undefined) allowed.add(self);
  const authorize = (req: AuthorizationRequest): boolean =>
    req.uid !== undefined && allowed.has(req.uid);
  return Object.assign(authorize, { uids: [...allowed].sort((a, b) => a - b) });
}

/** Allows only when every authorizer allows (evaluated in order, stops at the first no). */
export function allOf(...authorizers: readonly Authorizer[]): Authorizer {
  return async (req) => {
    for (const a of authorizers) if ((await a(req)) !== true) return false;
    return true;
  };
}

/** Allows when any authorizer allows (in order, stops at the first yes). */
export function anyOf(...authorizers: readonly Authorizer[]): Authorizer {
  return async (req) => {
    for (const a of authorizers) if ((await a(req)) === true) return true;
    return false;
  };
}

/**
 * Applies `authorizer` to the listed members only (`Member` or `Interface.Member`;
 * property access is `org.freedesktop.DBus.Properties.Get|Set|GetAll`); others are allowed.
 */
export function forMembers(members: Iterable<string>, authorizer: Authorizer): Authorizer {
  const set = new Set(members);
  return (req) =>
    set.has(req.member) || set.has(`${req.interfaceName}.${req.member}`) ? authorizer(req) : true;
}
