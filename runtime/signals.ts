/**
 * Signal subscriptions: each adds one match rule on the bus (AddMatch) and removes it on
 * unsubscribe (RemoveMatch), so N subscribe/unsubscribe cycles leave no rule behind (the
 * leak dbus-next 0.10.2's ProxyObject has). Signals are filtered locally too, because one
 * connection receives everything that any of its rules matched. A sender given as a
 * well-known name is resolved to its unique name (GetNameOwner, then NameOwnerChanged).
 */
import type { Connection, IncomingMessage, Unsubscribe } from './connection.js';
import { ErrorNames } from './errors.js';

/** Which signals a subscription receives; an absent field matches anything. */
export interface SignalFilter {
  /** Unique or well-known name of the emitter; any sender when absent. */
  readonly sender?: string | undefined;
  readonly path?: string | undefined;
  readonly interfaceName?: string | undefined;
  readonly member?: string | undefined;
  /** First argument must be this string (e.g. PropertiesChanged's interface name). */
  readonly arg0?: string | undefined;
}

const BUS_NAME = 'org.freedesktop.DBus';

function quote(value: string): string {
  // Match-rule values: an apostrophe is written as '\'' (close, escaped quote, reopen).
  return `'${value.replace(/'/g, "'\\''")}'`;
}

/** The match rule string for a filter (`type='signal',sender='...',...`). */
export function matchRule(f: SignalFilter): string {
  const parts = ["type='signal'"];
  if (f.sender !== undefined) parts.push(`sender=${quote(f.sender)}`);
  if (f.path !== undefined) parts.push(`path=${quote(f.path)}`);
  if (f.interfaceName !== undefined) parts.push(`interface=${quote(f.interfaceName)}`);
  if (f.member !== undefined) parts.push(`member=${quote(f.member)}`);
  if (f.arg0 !== undefined) parts.push(`arg0=${quote(f.arg0)}`);
  return parts.join(',');
}

/** Tracks the unique-name owner of one well-known name while someone needs it. */
class OwnerWatch {
  owner: string | undefined;
  users = 0;
  ready: Promise<void> | undefined;
  private stop: (() => void) | undefined;
  private readonly rule: string;

  constructor(
    private readonly conn: Connection,
    readonly name: string,
  ) {
    this.rule = matchRule({
      sender: BUS_NAME,
      interfaceName: BUS_NAME,
      member: 'NameOwnerChanged',
      arg0: name,
    });
  }

  start(): Promise<void> {
    this.stop = this.conn.onSignal((m) => {
      if (m.sender === BUS_NAME && m.member === 'NameOwnerChanged' && m.body[0] === this.name) {
        const next = m.body[2];
        this.owner = typeof next === 'string' && next !== '' ? next : undefined;
      }
    }, 'sss');
    this.ready = (async () => {
      await this.conn.addMatch(this.rule);
      try {
        const [owner] = await this.conn.callBus('GetNameOwner', 's', [this.name]);
        this.owner = owner as string;
      } catch (err) {
        if ((err as { type?: string }).type !== ErrorNames.NameHasNoOwner) throw err;
      }
    })();
    return this.ready;
  }

  async end(): Promise<void> {
    this.stop?.();
    await this.conn.removeMatch(this.rule).catch(() => undefined);
  }
}

const WATCHES = Symbol('dbus-codegen-ts.ownerWatches');
const RULES = Symbol('dbus-codegen-ts.matchRules');

interface RuleUse {
  users: number;
  added: Promise<void>;
}

/**
 * Adds a match rule, shared by reference count: identical subscriptions cost the daemon one
 * rule, and the rule is removed when the last of them unsubscribes.
 */
async function retainRule(conn: Connection, rule: string): Promise<void> {
  let rules = conn.extensions.get(RULES) as Map<string, RuleUse> | undefined;
  if (rules === undefined) {
    rules = new Map();
    conn.extensions.set(RULES, rules);
  }
  let use = rules.get(rule);
  if (use === undefined) {
    const all = rules;
    use = { users: 0, added: conn.addMatch(rule) };
    all.set(rule, use);
    use.added.catch(() => all.delete(rule));
  }
  use.users++;
  try {
    await use.added;
  } catch (err) {
    use.users--;
    throw err;
  }
}

async function releaseRule(conn: Connection, rule: string): Promise<void> {
  const rules = conn.extensions.get(RULES) as Map<string, RuleUse> | undefined;
  const use = rules?.get(rule);
  if (use === undefined || --use.users > 0) return;
  rules!.delete(rule);
  if (!conn.closed) await conn.removeMatch(rule).catch(() => undefined);
}

function watches(conn: Connection): Map<string, OwnerWatch> {
  let m = conn.extensions.get(WATCHES) as Map<string, OwnerWatch> | undefined;
  if (m === undefined) {
    m = new Map();
    conn.extensions.set(WATCHES, m);
  }
  return m;
}

async function acquireWatch(conn: Connection, name: string): Promise<OwnerWatch> {
  const all = watches(conn);
  let w = all.get(name);
  if (w === undefined) {
    w = new OwnerWatch(conn, name);
    all.set(name, w);
    w.users++;
    try {
      await w.start();
    } catch (err) {
      all.delete(name);
      await w.end();
      throw err;
    }
    return w;
  }
  w.users++;
  await w.ready;
  return w;
}

async function releaseWatch(conn: Connection, w: OwnerWatch): Promise<void> {
  if (--w.users > 0) return;
  watches(conn).delete(w.name);
  await w.end();
}

function needsOwnerWatch(sender: string | undefined): sender is string {
  return sender !== undefined && !sender.startsWith(':') && sender !== BUS_NAME;
}

/**
 * Subscribes to signals matching `filter`; resolves once the match rule is in place.
 * The returned function removes the listener and the rule. With `signature`, only signals
 * with that body signature are decoded and passed on.
 */
export async function subscribeSignal(
  conn: Connection,
  filter: SignalFilter,
  listener: (msg: IncomingMessage) => void,
  signature?: string,
): Promise<Unsubscribe> {
  // A peer-to-peer link has one sender and no names: the sender filter does not apply.
  if (conn.peer && filter.sender !== undefined) filter = { ...filter, sender: undefined };
  const watch = needsOwnerWatch(filter.sender)
    ? await acquireWatch(conn, filter.sender)
    : undefined;
  const rule = matchRule(filter);
  const accepts = (m: IncomingMessage): boolean => {
    if (filter.path !== undefined && m.path !== filter.path) return false;
    if (filter.interfaceName !== undefined && m.interfaceName !== filter.interfaceName)
      return false;
    if (filter.member !== undefined && m.member !== filter.member) return false;
    if (filter.arg0 !== undefined && m.body[0] !== filter.arg0) return false;
    if (watch !== undefined) return watch.owner !== undefined && m.sender === watch.owner;
    return filter.sender === undefined || m.sender === filter.sender;
  };
  const stop = conn.onSignal((m) => {
    if (accepts(m)) listener(m);
  }, signature);
  try {
    await retainRule(conn, rule);
  } catch (err) {
    stop();
    if (watch) await releaseWatch(conn, watch);
    throw err;
  }
  let done = false;
  return async () => {
    if (done) return;
    done = true;
    stop();
    await releaseRule(conn, rule);
    if (watch) await releaseWatch(conn, watch);
  };
}
