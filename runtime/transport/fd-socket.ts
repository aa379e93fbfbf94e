/**
 * A non-blocking unix stream socket driven by the native addon: reads with recvmsg (bytes
 * plus the fds that came with them), writes with sendmsg (fds attached to the first byte of
 * the message they belong to), readiness from a uv_poll watcher. Node's net.Socket cannot
 * be used here: its reads would swallow the SCM_RIGHTS control data.
 *
 * Bounds: one wakeup reads at most READS_PER_WAKEUP chunks of CHUNK_BYTES (the poll is
 * level-triggered: the rest comes on the next turn of the event loop). The write queue is
 * unbounded like net.Socket's; the messages in it were built by our own code.
 */
import { type NativeFd, type NativeWatcher, READABLE, WRITABLE } from './native.js';

const CHUNK_BYTES = 256 * 1024;
const READS_PER_WAKEUP = 16;

interface Pending {
  readonly data: Uint8Array;
  offset: number;
  /** Our duplicates of the fds to send; closed once the kernel has them (or on close). */
  fds: number[];
}

export class FdSocket {
  private readonly watcher: NativeWatcher;
  private readonly queue: Pending[] = [];
  private destroyed = false;
  private ending = false;
  private failure: Error | undefined;
  private readonly closeListeners: ((err?: Error) => void)[] = [];
  /** Receives every chunk read, with the fds that came with it (ours to close). */
  onData: (data: Buffer, fds: number[]) => void = (_d, fds) => this.closeFds(fds);

  /** Takes ownership of `fd` (a connected unix stream socket). */
  constructor(
    private readonly native: NativeFd,
    readonly fd: number,
  ) {
    native.setNonBlocking(fd);
    this.watcher = native.watch(fd, (events) => this.onEvents(events));
    native.watchEvents(this.watcher, READABLE);
  }

  get closed(): boolean {
    return this.destroyed;
  }

  onClose(listener: (err?: Error) => void): void {
    this.closeListeners.push(listener);
  }

  private onEvents(events: number): void {
    if (this.destroyed) return;
    if (events & WRITABLE) this.flush();
    if (events & READABLE) this.readSome();
  }

  private readSome(): void {
    for (let i = 0; i < READS_PER_WAKEUP && !this.destroyed; i++) {
      let got: { data: Buffer; fds: number[] } | null;
      try {
        got = this.native.recvmsg(this.fd, CHUNK_BYTES);
      } catch (err) {
        this.destroy(err as Error);
        return;
      }
      if (got === null) return;
      if (got.data.length === 0) {
        this.closeFds(got.fds);
        this.destroy();
        return;
      }
      try {
        this.onData(got.data, got.fds);
      } catch (err) {
        this.destroy(err as Error); // the stream cannot be read on consistently
        return;
      }
    }
  }

  /** Queues `data` with duplicates of `fds` (the caller keeps its own). */
  write(data: Uint8Array, fds: readonly number[] = []): void {
    const dups: number[] = [];
    try {
      for (const f of fds) dups.push(this.native.dup(f));
    } catch (err) {
      this.closeFds(dups);
      throw err;
    }
    this.queue.push({ data, offset: 0, fds: dups });
    if (this.queue.length === 1) this.flush();
  }

  private flush(): void {
    while (this.queue.length > 0 && !this.destroyed) {
      const p = this.queue[0]!;
      let n: number;
      try {
        n = this.native.sendmsg(this.fd, p.data, p.offset, p.fds);
      } catch (err) {
        this.destroy(err as Error);
        return;
      }
      if (n < 0) {
        this.native.watchEvents(this.watcher, READABLE | WRITABLE);
        return;
      }
      // The fds went with the first byte sent; the kernel holds them now.
      this.closeFds(p.fds);
      p.fds = [];
      p.offset += n;
      if (p.offset >= p.data.length) this.queue.shift();
    }
    if (this.destroyed) return;
    this.native.watchEvents(this.watcher, READABLE);
    if (this.ending) this.destroy();
  }

  /** Closes once the queued bytes are written (at most `graceMs` later). */
  end(graceMs = 1000): void {
    if (this.destroyed) return;
    if (this.queue.length === 0) {
      this.destroy();
      return;
    }
    this.ending = true;
    setTimeout(() => this.destroy(), graceMs).unref();
  }

  destroy(err?: Error): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.failure ??= err;
    this.native.unwatch(this.watcher);
    for (const p of this.queue) this.closeFds(p.fds);
    this.queue.length = 0;
    try {
      this.native.close(this.fd);
    } catch {
      // already gone: nothing to release
    }
    for (const l of this.closeListeners) l(this.failure);
  }

  closeFds(fds: readonly number[]): void {
    for (const f of fds) {
      try {
        this.native.close(f);
      } catch {
        // closing is best effort here: the fd is not ours to report on
      }
    }
  }
}
