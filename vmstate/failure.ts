/** Turns a failed Save/Load/Id call into a {@link VMStateError} that names the helper. */
import { describeHelper, VMStateError, type VMStateErrorCode } from './errors.js';

const GONE = new Set([
  'org.freedesktop.DBus.Error.ServiceUnknown',
  'org.freedesktop.DBus.Error.NameHasNoOwner',
  'org.freedesktop.DBus.Error.Disconnected',
]);

export function callFailure(
  err: unknown,
  what: string,
  id: string | undefined,
  busName: string,
  timeoutMs: number,
  started: number,
  code: VMStateErrorCode = 'call-failed',
): VMStateError {
  const who = describeHelper(id, busName);
  const opts = { ...(id === undefined ? {} : { helperId: id }), busName, cause: err };
  const type =
    typeof err === 'object' && err !== null ? (err as { type?: unknown }).type : undefined;
  const text = err instanceof Error ? err.message : String(err);
  const elapsed = performance.now() - started;
  if (
    type === 'org.freedesktop.DBus.Error.NoReply' ||
    type === 'org.freedesktop.DBus.Error.Timeout'
  ) {
    // NoReply is both "timed out" (ours: "... within N ms") and "recipient disconnected".
    if (!/disconnect/i.test(text) && (/within \d+ ms/.test(text) || elapsed >= timeoutMs * 0.95)) {
      return new VMStateError(
        'timeout',
        `${who}: ${what} got no reply within ${timeoutMs} ms`,
        opts,
      );
    }
    return new VMStateError(code, `${who} left the bus during ${what} (${text})`, opts);
  }
  if (typeof type === 'string' && GONE.has(type)) {
    return new VMStateError(code, `${who} left the bus before ${what} (${text})`, opts);
  }
  return new VMStateError(code, `${who}: ${what} failed: ${text}`, opts);
}
