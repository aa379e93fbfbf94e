/**
 * The dbus-daemon policy model: who owns each well-known name on a QEMU bus and who talks to
 * it, under one of the UID schemes of QEMU docs/interop/dbus.rst ("dbus-daemon policy").
 * `planPolicy` validates users and names and resolves a scheme into a {@link PolicyPlan};
 * emitters/policy.ts renders a plan as `<busconfig>` and decides nothing itself.
 * Dependency-free (spec/ only), so the `policy` command and the emitter both import it.
 */
import { busNameProblem } from './names.js';

/**
 * The UID schemes of QEMU docs/interop/dbus.rst: everything as one user, QEMU and all
 * helpers as two users, or one user per helper.
 */
export type PolicyScheme = 'same-uid' | 'two-uids' | 'per-helper';
/** Every {@link PolicyScheme}, in the order the CLI lists them. */
export const POLICY_SCHEMES: readonly PolicyScheme[] = ['same-uid', 'two-uids', 'per-helper'];

/** One well-known name on the bus and the users on each side of it. */
export interface PolicyName {
  readonly busName: string;
  /** Interfaces served under that name (for the comment only). */
  readonly interfaces: readonly string[];
  /** Users that may own (or queue for) the name and receive method calls sent to it. */
  readonly owners: readonly string[];
  /** Users that may send to the name and receive what it sends (replies, signals). */
  readonly clients: readonly string[];
}

/** A resolved scheme: everything the emitter renders, nothing left to decide. */
export interface PolicyPlan {
  readonly scheme: PolicyScheme;
  /** Every user that may connect at all, in a stable order. */
  readonly users: readonly string[];
  readonly names: readonly PolicyName[];
  /** Lines for the header comment (sources, regenerate command). */
  readonly header: readonly string[];
}

/** What the scheme resolution needs: interfaces with their bus names, and the users. */
export interface PolicyRequest {
  readonly scheme: PolicyScheme;
  /** The user QEMU runs as (the only user in `same-uid`). */
  readonly qemuUser: string;
  /** `two-uids`: exactly one user; `per-helper`: users with the bus names they own. */
  readonly helperUsers: readonly { readonly user: string; readonly busNames: readonly string[] }[];
  /** Bus name -> interfaces served under it. */
  readonly busNames: ReadonlyMap<string, readonly string[]>;
  /**
   * Names QEMU itself owns (e.g. `org.qemu` for `-display dbus`): QEMU owns them and
   * receives their calls; the helpers call them (two-uids: the helper user; per-helper:
   * the helper users that list the name). Default: none, every name is a helper's.
   */
  readonly qemuNames?: ReadonlySet<string>;
  readonly header?: readonly string[];
}

const USER_NAME_RE = /^[A-Za-z_][A-Za-z0-9_.-]*\$?$/;

/**
 * A user name as `useradd` accepts it (a trailing `$` for machine accounts); the one rule the
 * policy and the runtime's uid resolution share.
 */
export function isValidUserName(name: string): boolean {
  return USER_NAME_RE.test(name);
}

/** A dbus-daemon `user=` value: a user name or a numeric uid (never `*`). */
export function isValidPolicyUser(user: string): boolean {
  return user.length > 0 && user.length <= 256 && (/^[0-9]+$/.test(user) || isValidUserName(user));
}

/** A well-known bus name (dbus spec: 2+ elements, no leading digit, at most 255 bytes). */
export function isValidWellKnownName(name: string): boolean {
  return !name.startsWith(':') && busNameProblem(name) === undefined;
}

/**
 * Resolves a scheme into owners and clients per name: helpers own their names and QEMU
 * calls them; for `qemuNames` it is the other way round. Returns error messages (usage
 * errors) instead of throwing. Every helper name must end up with at least one owner.
 */
export function planPolicy(req: PolicyRequest): PolicyPlan | { readonly errors: string[] } {
  const errors: string[] = [];
  const checkUser = (u: string): void => {
    if (!isValidPolicyUser(u)) errors.push(`invalid user "${u}" (a user name or a numeric uid)`);
  };
  checkUser(req.qemuUser);
  for (const h of req.helperUsers) checkUser(h.user);
  for (const n of req.busNames.keys()) {
    if (!isValidWellKnownName(n)) errors.push(`invalid well-known bus name "${n}"`);
  }
  if (req.busNames.size === 0) errors.push('no interfaces: nothing to write a policy for');
  const qemuNames = req.qemuNames ?? new Set<string>();
  for (const n of qemuNames) {
    if (!req.busNames.has(n))
      errors.push(`--qemu-owns ${n}: no interface in the input has that bus name`);
  }
  const helperNames = new Map([...req.busNames].filter(([n]) => !qemuNames.has(n)));
  const ownersOf = resolveOwners({ ...req, busNames: helperNames }, qemuNames, errors);
  if (errors.length > 0) return { errors };
  const names: PolicyName[] = [...req.busNames.keys()].sort().map((busName) => ({
    busName,
    interfaces: [...(req.busNames.get(busName) ?? [])].sort(),
    ...(qemuNames.has(busName)
      ? { owners: [req.qemuUser], clients: callersOfQemu(req, busName) }
      : { owners: ownersOf(busName), clients: [req.qemuUser] }),
  }));
  const users = unique([req.qemuUser, ...names.flatMap((n) => [...n.owners, ...n.clients])]);
  return { scheme: req.scheme, users, names, header: req.header ?? [] };
}

/** Who may call a name QEMU owns: everyone in same-uid/two-uids, listed helpers otherwise. */
function callersOfQemu(req: PolicyRequest, busName: string): string[] {
  if (req.scheme === 'same-uid') return [req.qemuUser];
  if (req.scheme === 'two-uids') return req.helperUsers.map((h) => h.user);
  return req.helperUsers.filter((h) => h.busNames.includes(busName)).map((h) => h.user);
}

function resolveOwners(
  req: PolicyRequest,
  qemuNames: ReadonlySet<string>,
  errors: string[],
): (busName: string) => string[] {
  switch (req.scheme) {
    case 'same-uid':
      for (const h of req.helperUsers) {
        if (h.user !== req.qemuUser) {
          errors.push(`scheme same-uid runs everything as "${req.qemuUser}": drop --helper-user`);
        }
      }
      return () => [req.qemuUser];
    case 'two-uids': {
      const only = req.helperUsers[0];
      if (req.helperUsers.length !== 1 || only === undefined) {
        errors.push('scheme two-uids needs exactly one --helper-user');
        return () => [];
      }
      if (only.busNames.length > 0) {
        errors.push('scheme two-uids: --helper-user takes no "=name" (one user owns every name)');
      }
      if (only.user === req.qemuUser) {
        errors.push('scheme two-uids: the helper user must differ from the QEMU user');
      }
      return () => [only.user];
    }
    case 'per-helper': {
      const owners = new Map<string, string[]>();
      if (req.helperUsers.length === 0) errors.push('scheme per-helper needs --helper-user U=NAME');
      for (const h of req.helperUsers) {
        if (h.user === req.qemuUser) {
          errors.push(`scheme per-helper: helper user "${h.user}" is the QEMU user`);
        }
        if (h.busNames.length === 0) {
          errors.push(`scheme per-helper: --helper-user ${h.user} needs "=NAME[,NAME...]"`);
        }
        for (const n of h.busNames) {
          if (qemuNames.has(n)) continue; // a name QEMU owns: this helper calls it
          if (!req.busNames.has(n)) {
            errors.push(
              `--helper-user ${h.user}=${n}: no interface in the input has bus name "${n}"`,
            );
          }
          owners.set(n, unique([...(owners.get(n) ?? []), h.user]));
        }
      }
      for (const n of req.busNames.keys()) {
        if (!owners.has(n)) errors.push(`scheme per-helper: no --helper-user owns "${n}"`);
      }
      return (n) => owners.get(n) ?? [];
    }
    default: {
      const never: never = req.scheme;
      errors.push(`unknown scheme ${String(never)}`);
      return () => [];
    }
  }
}

function unique(xs: readonly string[]): string[] {
  return [...new Set(xs)];
}
