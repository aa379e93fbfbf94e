/**
 * A connection's calls waiting for a reply, by serial: each settles exactly once, with its
 * reply, an error reply (DBusError), `...Error.NoReply` when its timeout passes first, or the
 * reason the connection closed.
 */
import type { MethodCall } from './connection-options.js';
import { DBusError, ErrorNames } from './errors.js';
import type { IncomingMessage } from './transport/dbus-next.js';
import { MessageType } from './transport/marshal.js';

/** Node's setTimeout limit (2^31 - 1 ms); longer timeouts are clamped to it. */
const MAX_TIMER_MS = 2_147_483_647;

interface Pending {
  resolve(msg: IncomingMessage): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout | undefined;
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
    const entry: Pending = { resolve, reject, timer: undefined };
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

  /** Settles the call a METHOD_RETURN or ERROR answers; replies nobody waits for are dropped. */
  settle(msg: IncomingMessage): void {
    const p = msg.replySerial === undefined ? undefined : this.calls.get(msg.replySerial);
    if (p === undefined) return;
    this.calls.delete(msg.replySerial!);
    if (p.timer) clearTimeout(p.timer);
    if (msg.type === MessageType.ERROR) {
      const text = typeof msg.body[0] === 'string' ? msg.body[0] : '';
      p.reject(new DBusError(msg.errorName ?? ErrorNames.Failed, text));
    } else if (msg.bodyError !== undefined) {
      p.reject(new DBusError(ErrorNames.InvalidArgs, `unreadable reply: ${msg.bodyError}`));
    } else {
      p.resolve(msg);
    }
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
