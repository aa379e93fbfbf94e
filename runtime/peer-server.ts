/**
 * A peer-to-peer D-Bus server: listens on a unix address and runs the server side of the
 * handshake (EXTERNAL, our uid or `allowUids`, with one GUID for the server) on every
 * client, handing each authenticated connection to `onConnection`.
 *
 * Bounds: at most `maxPending` clients authenticate at once (more are closed on accept),
 * each within `timeoutMs`; a client that fails is closed and logged.
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Connection, ConnectOptions } from './connection.js';
import { DBusError, ErrorNames } from './errors.js';
import { acceptPeer } from './peer-connection.js';
import { escapeValue, parseAddresses } from './transport/address.js';
import { type NativeWatcher, READABLE, requireNativeFd } from './transport/native.js';
import type { SaslServerOptions } from './transport/sasl.js';

/** Options of {@link listenPeer}. */
export interface PeerServerOptions extends ConnectOptions, SaslServerOptions {
  /** Clients authenticating at the same time (default 16). */
  readonly maxPending?: number;
}

/** A listening peer-to-peer server; `close()` stops accepting (connections stay open). */
export interface PeerServer {
  /** The address clients connect to (`unix:path=...` or `unix:abstract=...`). */
  readonly address: string;
  readonly guid: string;
  close(): void;
}

/**
 * Listens on `unix:path=P`, `unix:abstract=N` or `unix:dir=D` (a fresh socket in D) and
 * calls `onConnection` with each authenticated peer connection.
 *
 * @example
 * ```ts
 * const server = listenPeer('unix:dir=/tmp', (conn) => exportVMState1(conn, path, h, props));
 * const client = await connectPeer({ address: server.address });
 * ```
 */
export function listenPeer(
  address: string,
  onConnection: (conn: Connection) => void,
  options: PeerServerOptions = {},
): PeerServer {
  const native = requireNativeFd('listenPeer');
  const a = parseAddresses(address)[0]!;
  const dir = a.params.get('dir');
  let path = a.params.get('path');
  const abstract = a.params.get('abstract');
  if (dir !== undefined) path = join(dir, `dbus-${randomBytes(8).toString('hex')}`);
  if (a.transport !== 'unix' || (path === undefined && abstract === undefined)) {
    throw new DBusError(
      ErrorNames.BadAddress,
      `"${a.text}": listen on unix:path=, dir= or abstract=`,
    );
  }
  const fd = native.listenUnix((path ?? abstract)!, path === undefined);
  const guid = options.guid ?? randomBytes(16).toString('hex');
  const maxPending = options.maxPending ?? 16;
  let pending = 0;
  let closed = false;
  const onReadable = () => {
    for (;;) {
      let c: number;
      try {
        c = native.accept(fd);
      } catch (err) {
        console.error(`dbus-codegen-ts: peer server accept failed: ${String(err)}`);
        return;
      }
      if (c < 0) return;
      if (pending >= maxPending) {
        native.close(c);
        continue;
      }
      pending++;
      acceptPeer({ fd: c }, { ...options, guid })
        .then(onConnection, (err: unknown) => {
          console.warn(`dbus-codegen-ts: a peer did not authenticate: ${String(err)}`);
        })
        .finally(() => {
          pending--;
        });
    }
  };
  const watcher: NativeWatcher = native.watch(fd, onReadable);
  native.watchEvents(watcher, READABLE);
  return {
    address:
      path !== undefined
        ? `unix:path=${escapeValue(path)}`
        : `unix:abstract=${escapeValue(abstract!)}`,
    guid,
    close() {
      if (closed) return;
      closed = true;
      native.unwatch(watcher);
      native.close(fd);
      if (path !== undefined) rmSync(path, { force: true });
    },
  };
}
