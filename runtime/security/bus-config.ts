/**
 * The config a private VM bus runs with (QEMU docs/interop/dbus.rst: a QEMU bus is private
 * to one VM). One unix socket, EXTERNAL auth only, no TCP, no service activation, the
 * policy, and limits sized for a handful of cooperating processes.
 */
import { busconfigDocument, escapeXml } from '../../spec/xml.js';
import { escapeValue } from '../transport/address.js';

/** dbus-daemon `<limit name="...">` values. */
export interface BusLimits {
  readonly max_message_size: number;
  readonly max_incoming_bytes: number;
  readonly max_outgoing_bytes: number;
  readonly max_message_unix_fds: number;
  readonly max_incoming_unix_fds: number;
  readonly max_outgoing_unix_fds: number;
  readonly max_completed_connections: number;
  readonly max_incomplete_connections: number;
  readonly max_connections_per_user: number;
  readonly max_names_per_connection: number;
  readonly max_match_rules_per_connection: number;
  readonly max_replies_per_connection: number;
  readonly auth_timeout: number;
  readonly pending_fd_timeout: number;
  readonly reply_timeout: number;
}

/**
 * Defaults: far below the session bus (which allows ~1 GB queued per connection and 100k
 * connections), far above what one VM needs. dbus-vmstate caps one helper's state at
 * 1 MiB; `-display dbus` passes at most a few fds per message. `reply_timeout` (ms) makes a
 * call to a peer that never answers fail with NoReply instead of hanging forever.
 */
export const DEFAULT_BUS_LIMITS: BusLimits = {
  max_message_size: 32 * 1024 * 1024,
  max_incoming_bytes: 128 * 1024 * 1024,
  max_outgoing_bytes: 128 * 1024 * 1024,
  max_message_unix_fds: 16,
  max_incoming_unix_fds: 256,
  max_outgoing_unix_fds: 256,
  max_completed_connections: 64,
  max_incomplete_connections: 16,
  max_connections_per_user: 32,
  max_names_per_connection: 32,
  max_match_rules_per_connection: 512,
  max_replies_per_connection: 8192,
  auth_timeout: 5_000,
  pending_fd_timeout: 15_000,
  reply_timeout: 120_000,
};

/**
 * Default policy when the caller gives none: the one-UID scheme. Only the daemon's own uid
 * can connect (dbus-daemon's rule when no `<allow user>` names another), and it may do
 * anything except eavesdrop.
 */
export const SAME_UID_POLICY = `  <policy context="default">
    <allow send_destination="*"/>
    <allow receive_sender="*"/>
    <allow own="*"/>
  </policy>`;

export interface BusConfigInput {
  readonly socketPath: string;
  /** Inline `<policy>` elements, or '' when the policy comes by `includeFile`. */
  readonly policyXml: string;
  /** A complete `<busconfig>` policy document to `<include>` (absolute path). */
  readonly includeFile?: string;
  /** `<user>`: the daemon drops to this user after opening its socket (needs root). */
  readonly user?: string;
  readonly limits?: Partial<BusLimits>;
  readonly extra?: string;
}

/** The daemon config text. */
export function privateBusConfigText(input: BusConfigInput): string {
  const limits = { ...DEFAULT_BUS_LIMITS, ...input.limits };
  const limitLines = Object.entries(limits).map(
    ([name, value]) => `  <limit name="${escapeXml(name)}">${Math.trunc(Number(value))}</limit>`,
  );
  return busconfigDocument([
    '  <type>session</type>',
    ...(input.user !== undefined ? [`  <user>${escapeXml(input.user)}</user>`] : []),
    // A D-Bus address first (%XX for bytes outside [-0-9A-Za-z_/.\*]), then XML text.
    `  <listen>unix:path=${escapeXml(escapeValue(input.socketPath))}</listen>`,
    '  <auth>EXTERNAL</auth>',
    ...limitLines,
    input.policyXml,
    ...(input.includeFile !== undefined
      ? [`  <include>${escapeXml(input.includeFile)}</include>`]
      : []),
    input.extra ?? '',
  ]);
}
