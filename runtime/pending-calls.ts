/**
 * A connection's calls waiting for a reply, by serial: each settles exactly once, with its
 * reply, an error reply (DBusError), `...Error.NoReply` when its timeout passes first, or the
 * reason the connection closed. A reply's body is decoded only when its signature is the one
 * the call expects (`MethodCall.replySignature`), and only while the call still waits: the
 * timeout keeps running during a long (sliced) decoding and ends it.
 */
import type { MethodCall } from './connection-options.js';
import { DBusError, ErrorNames } from './errors.js';
import { MessageType } from './transport/marshal.js';
import {
  DecodeAbandoned,
  errorText,
  type IncomingMessage,
  onBody,
  type RawMessage,
  withBody,
} from './transport/message.js';
import { WireLimitError } from './transport/wire-read.js';
import { handOverFdsIn } from './unix-fd.js';

/** Node's setTimeout limit (2^31 - 1 ms); longer timeouts are clamped to it. */
const MAX_TIMER_MS = 2_147_483_647;

interface Pending {
  resolve(msg: IncomingMessage): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout | undefined;
  replySignature: string | undefined;
}

function describeCall(m: MethodCall): string {
  return `${m.interfaceName ?? ''}${m.interfaceName ? '.' : ''}${m.member} on ${m.path}`;
}

export class PendingCalls {
  private readonly calls = new Map<number, Pending>();

  get size(): number {
    return this.calls.size;
  }

  /** Waits for the reply to `serial` (the call `m`) for `ms` (`Infinity`: forever). */
  add(
    serial: number,
    m: MethodCall,
    ms: number,
    resolve: (msg: IncomingMessage) => void,
    reject: (err: Error) => void,
  ): void {
    const entry: Pending = { resolve, reject, timer: undefined, replySignature: m.replySignature };
    if (Number.isFinite(ms)) {
      entry.timer = setTimeout(
        () => {
          if (this.calls.delete(serial)) {
            reject(
              new DBusError(ErrorNames.NoReply, `no reply to ${describeCall(m)} within ${ms} ms`),
            );
          }
        },
        Math.min(Math.max(ms, 0), MAX_TIMER_MS),
      );
    }
    this.calls.set(serial, entry);
  }

  /**
   * Settles the call a METHOD_RETURN or ERROR answers; replies nobody waits for are dropped
   * unread. A reply whose signature is not the expected one resolves with an empty body (not
   * decoded): the caller reports the mismatch. Returns a promise while a big body decodes.
   */
  settle(raw: RawMessage): void | Promise<void> {
    const serial = raw.replySerial;
    const p = serial === undefined ? undefined : this.calls.get(serial);
    if (serial === undefined || p === undefined) return;
    const waiting = () => this.calls.get(serial) === p;
    const take = (): boolean => {
      if (!waiting()) return false;
      this.calls.delete(serial);
      if (p.timer) clearTimeout(p.timer);
      return true;
    };
    if (raw.type === MessageType.ERROR) {
      if (take()) p.reject(new DBusError(raw.errorName ?? ErrorNames.Failed, errorText(raw)));
      return;
    }
    if (p.replySignature !== undefined && raw.signature !== p.replySignature) {
      if (take()) p.resolve(withBody(raw, []));
      return;
    }
    return onBody(
      raw,
      waiting,
      (body) => {
        if (!take()) return;
        // The fds in a reply are the caller's (the others are closed by the connection).
        if (raw.fds !== undefined) handOverFdsIn(body);
        p.resolve(withBody(raw, body));
      },
      (err) => {
        if (err instanceof DecodeAbandoned || !take()) return;
        const name =
          err instanceof WireLimitError ? ErrorNames.LimitsExceeded : ErrorNames.InvalidArgs;
        p.reject(new DBusError(name, `unreadable reply: ${(err as Error).message}`));
      },
    );
  }

  /** Rejects every waiting call with `reason` (the connection closed). */
  rejectAll(reason: Error): void {
    for (const [serial, p] of this.calls) {
      this.calls.delete(serial);
      if (p.timer) clearTimeout(p.timer);
      p.reject(reason);
    }
  }
}
