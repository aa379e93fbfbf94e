/**
 * Test helpers around PrivateBus: a private dbus-daemon plus connections that are all
 * closed (and the daemon stopped) by one `stop()`.
 */
import { type Connection, connect } from '../../runtime/connection.js';
import { PrivateBus, type PrivateBusOptions } from '../../runtime/private-bus.js';

export interface TestBus {
  readonly bus: PrivateBus;
  readonly address: string;
  /** A new connection, closed by stop(). */
  connect(): Promise<Connection>;
  /** Closes every connection from connect(), then stops the daemon. */
  stop(): Promise<void>;
}

export async function startTestBus(options: PrivateBusOptions = {}): Promise<TestBus> {
  const bus = await PrivateBus.start(options);
  const conns: Connection[] = [];
  return {
    bus,
    address: bus.address,
    async connect() {
      const c = await connect(bus.address);
      conns.push(c);
      return c;
    },
    async stop() {
      await Promise.allSettled(conns.map((c) => c.close()));
      await bus.stop();
    },
  };
}

export interface TestPeers {
  readonly tb: TestBus;
  /** Connected first: exports objects, replies. */
  readonly server: Connection;
  readonly client: Connection;
}

/** A test bus with two connections on it, `server` then `client`; `tb.stop()` ends all. */
export async function startPeers(options: PrivateBusOptions = {}): Promise<TestPeers> {
  const tb = await startTestBus(options);
  const server = await tb.connect();
  const client = await tb.connect();
  return { tb, server, client };
}

/** Number of match rules the daemon holds for `uniqueName` (Debug.Stats must be enabled). */
export async function matchRuleCount(observer: Connection, uniqueName: string): Promise<number> {
  const [stats] = await observer
    .call({
      destination: 'org.freedesktop.DBus',
      path: '/org/freedesktop/DBus',
      interfaceName: 'org.freedesktop.DBus.Debug.Stats',
      member: 'GetConnectionStats',
      signature: 's',
      body: [uniqueName],
    })
    .then((r) => r.body);
  const v = (stats as Record<string, { value: unknown }>)['MatchRules'];
  return Number(v?.value);
}
