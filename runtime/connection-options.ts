/**
 * The shapes a {@link Connection} is driven with: connect and call options (with the
 * default timeout and the header flags the call options set), the outgoing method calls and
 * signals it sends, and its callback types. connection.ts re-exports all of it.
 */

import { MessageFlag } from './transport/marshal.js';
import type { IncomingMessage, MessageHeader } from './transport/message.js';

/** libdbus / GDBus / sd-bus default method-call timeout. */
export const DEFAULT_TIMEOUT_MS = 25_000;

/** Options of {@link connect}. */
export interface ConnectOptions {
  /** Socket, authentication and Hello, per address (ms, default 25 000). */
  readonly timeoutMs?: number;
  /** Default timeout of method calls on this connection (ms, default 25 000; Infinity: none). */
  readonly callTimeoutMs?: number;
  /** SASL mechanisms (default EXTERNAL on unix sockets, ANONYMOUS on tcp). */
  readonly authMethods?: readonly string[];
  /**
   * Largest message this connection sends (bytes, default 128 MiB, the protocol limit).
   * A bus drops a client that exceeds its own `max_message_size` (dbus-daemon's built-in
   * default is 32 MiB): set this to the bus's limit to get a LimitsExceeded error instead.
   */
  readonly maxMessageBytes?: number;
}

/** Per-call options: timeout and the header flags a caller may set. */
export interface CallOptions {
  /** Reply timeout in ms (default: the connection's, 25 s). `Infinity` waits forever. */
  readonly timeoutMs?: number;
  /** NO_AUTO_START: do not activate a service for the destination. */
  readonly noAutoStart?: boolean;
  /** ALLOW_INTERACTIVE_AUTHORIZATION (0x4): the caller can wait for a polkit prompt. */
  readonly allowInteractiveAuthorization?: boolean;
}

/** A method call to send; `signature` and `body` together, or neither. */
export interface MethodCall {
  readonly destination?: string | undefined;
  readonly path: string;
  readonly interfaceName?: string | undefined;
  readonly member: string;
  readonly signature?: string | undefined;
  readonly body?: readonly unknown[] | undefined;
  /**
   * The reply signature the caller expects. A reply with another signature is not decoded
   * (it resolves with an empty body and the caller reports the mismatch), so a peer's
   * unexpected body costs nothing. Absent: any reply body is decoded (within the limits).
   */
  readonly replySignature?: string | undefined;
}

/** A signal to emit. */
export interface SignalMessage {
  readonly path: string;
  readonly interfaceName: string;
  readonly member: string;
  readonly signature?: string | undefined;
  readonly body?: readonly unknown[] | undefined;
  /** Unicast signal (rare); broadcast when absent. */
  readonly destination?: string | undefined;
}

/** Removes a subscription (and its match rule when no other subscription needs it). */
export type Unsubscribe = () => Promise<void>;
/**
 * Receives every incoming method call; the object server installs one per connection.
 * The call's unix fds that the handler did not take are closed when it returns (or when
 * its promise settles).
 */
export type MethodCallHandler = (msg: IncomingMessage) => void | Promise<void>;
/**
 * The body signature the method-call handler expects for a call with this header, or
 * undefined when it will refuse the call anyway (unknown object or method). Only a call whose
 * signature matches has its body decoded; the others reach the handler with an empty body.
 */
export type ExpectedSignature = (header: MessageHeader) => string | undefined;

/** The header flags a method call gets from its options. */
export function flagsOf(options: CallOptions | undefined): number {
  let flags = 0;
  if (options?.noAutoStart) flags |= MessageFlag.NO_AUTO_START;
  if (options?.allowInteractiveAuthorization) flags |= MessageFlag.ALLOW_INTERACTIVE_AUTHORIZATION;
  return flags;
}
