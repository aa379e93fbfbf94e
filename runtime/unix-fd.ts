/**
 * A received unix file descriptor (`h`), owned by whoever holds the handle.
 *
 * Close rule: an fd in a method REPLY is the caller's: `close()` it (or `take()` the
 * number and close that yourself). An fd in the arguments of an incoming method call or
 * signal lives while the handler runs: the runtime closes it once the handler returns (for
 * a method, once its promise settles) unless the handler called `take()` or `dup()`. Fds
 * that no value refers to, or that arrive in a message nobody receives, are closed at once.
 * Every fd the runtime holds has close-on-exec set.
 *
 * Sending: an `h` argument is a `UnixFd` or a plain fd number; the runtime sends a
 * duplicate, so the caller keeps (and later closes) what it passed.
 */
import { requireNativeFd } from './transport/native.js';

/**
 * An owned unix file descriptor: what an `h` value arrives as, and one way to send one. See
 * the close rule above: `close()` it, `take()` the number, or let the runtime close it.
 */
export class UnixFd {
  #fd: number;
  #state: 'open' | 'closed' | 'taken' = 'open';

  /** Wraps `fd`, taking ownership of it (close() closes it). */
  constructor(fd: number) {
    if (!Number.isInteger(fd) || fd < 0) throw new RangeError(`not a file descriptor: ${fd}`);
    this.#fd = fd;
  }

  /** The fd number (still owned by this handle); throws once closed or taken. */
  get fd(): number {
    if (this.#state !== 'open') throw new Error(`this UnixFd was already ${this.#state}`);
    return this.#fd;
  }

  /** False once closed or taken. */
  get open(): boolean {
    return this.#state === 'open';
  }

  /** Detaches the fd: the caller now owns the number and must close it. */
  take(): number {
    const fd = this.fd;
    this.#state = 'taken';
    return fd;
  }

  /** A new handle on a duplicate (close-on-exec) of this fd; both must be closed. */
  dup(): UnixFd {
    return new UnixFd(requireNativeFd('UnixFd.dup').dup(this.fd));
  }

  /** Closes the fd; a second call does nothing. */
  close(): void {
    if (this.#state !== 'open') return;
    this.#state = 'closed';
    requireNativeFd('UnixFd.close').close(this.#fd);
  }

  [Symbol.dispose](): void {
    this.close();
  }

  toString(): string {
    return `UnixFd(${this.#state === 'open' ? this.#fd : this.#state})`;
  }
}

/** Closes every handle in `fds` that is still open (not taken, not closed). */
export function closeUntaken(fds: readonly UnixFd[] | undefined): void {
  if (fds === undefined) return;
  for (const f of fds) {
    try {
      f.close();
    } catch (err) {
      console.error(`dbus-codegen-ts: closing a received fd failed: ${String(err)}`);
    }
  }
}

/** The raw fd number of an `h` value to send (a UnixFd or a number). */
export function fdNumber(v: unknown): number {
  if (v instanceof UnixFd) return v.fd;
  return v as number;
}

/** Received handles given to their owner (a caller's reply): not closed by the runtime. */
const handedOver = new WeakSet<UnixFd>();

/** Marks every UnixFd inside a decoded value tree as the receiver's to close. */
export function handOverFdsIn(value: unknown, depth = 0): void {
  if (depth > 64 || value === null || typeof value !== 'object') return;
  if (value instanceof UnixFd) {
    handedOver.add(value);
    return;
  }
  if (ArrayBuffer.isView(value)) return;
  if (Array.isArray(value)) for (const v of value) handOverFdsIn(v, depth + 1);
  else if (value instanceof Map) for (const v of value.values()) handOverFdsIn(v, depth + 1);
  else for (const v of Object.values(value)) handOverFdsIn(v, depth + 1);
}

/**
 * The end of a received message's life: closes its fds that were neither handed over
 * nor taken (extra fds, unread bodies, handler arguments the handler did not take).
 */
export function releaseFds(fds: readonly UnixFd[] | undefined): void {
  if (fds === undefined) return;
  closeUntaken(fds.filter((f) => !handedOver.has(f)));
}

/** A connected pair of unix stream sockets (close-on-exec), e.g. one end for a peer. */
export function socketPair(): [UnixFd, UnixFd] {
  const [a, b] = requireNativeFd('socketPair').socketpair();
  return [new UnixFd(a), new UnixFd(b)];
}
