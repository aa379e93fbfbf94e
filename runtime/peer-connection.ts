/**
 * Peer-to-peer D-Bus connections: no bus in between, so no Hello, no names, no match
 * rules; proxies and skeletons work on them unchanged (pass an empty destination).
 * `connectPeer` authenticates as the client, `acceptPeer` as the server (EXTERNAL: the
 * peer's uid from SO_PEERCRED must be allowed, our uid by default). Both run on the
 * native fd transport, so unix fds pass both ways once the two sides agree.
 */
import { Connection, type ConnectOptions, DEFAULT_TIMEOUT_MS } from './connection.js';
import { DBusError, ErrorNames } from './errors.js';
import { parseAddresses } from './transport/address.js';
import { FdTransport } from './transport/fd-transport.js';
import { requireNativeFd } from './transport/native.js';
import type { SaslServerOptions } from './transport/sasl.js';

export type { SaslServerOptions } from './transport/sasl.js';

/** Where a peer connection runs: a connected socket fd (now owned by the connection), or a
 * `unix:path=` / `unix:abstract=` address to connect to. */
export type PeerEndpoint = { readonly fd: number } | { readonly address: string };

function endpointFd(what: string, e: PeerEndpoint): { fd: number; label: string } {
  const native = requireNativeFd(what);
  if ('fd' in e) return { fd: e.fd, label: `fd:${e.fd}` };
  const a = parseAddresses(e.address)[0]!;
  const path = a.params.get('path');
  const abstract = a.params.get('abstract');
  if (a.transport !== 'unix' || (path === undefined && abstract === undefined)) {
    throw new DBusError(ErrorNames.BadAddress, `"${a.text}": a peer needs unix:path= or abstract=`);
  }
  return { fd: native.connectUnix((path ?? abstract)!, path === undefined), label: a.text };
}

/**
 * Opens a peer-to-peer connection as the authenticating client (as QEMU's display
 * listener expects on the socketpair end it was given).
 *
 * @example
 * ```ts
 * const [mine, theirs] = socketPair();
 * await console.registerListener(theirs); // the peer gets the other end
 * const conn = await connectPeer({ fd: mine.take() });
 * ```
 */
export async function connectPeer(
  endpoint: PeerEndpoint,
  options: ConnectOptions = {},
): Promise<Connection> {
  const { fd, label } = endpointFd('connectPeer', endpoint);
  const t = await FdTransport.open(
    requireNativeFd('connectPeer'),
    fd,
    label,
    { client: true },
    options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  );
  return Connection.overPeer(t, options);
}

/** Opens a peer-to-peer connection on a connected socket fd as the authenticating server. */
export async function acceptPeer(
  endpoint: { readonly fd: number },
  options: ConnectOptions & SaslServerOptions = {},
): Promise<Connection> {
  const native = requireNativeFd('acceptPeer');
  const t = await FdTransport.open(
    native,
    endpoint.fd,
    `fd:${endpoint.fd}`,
    { client: false, server: options },
    options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  );
  return Connection.overPeer(t, options);
}
