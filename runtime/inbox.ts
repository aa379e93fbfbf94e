/**
 * A connection's received messages, handled one at a time in arrival order. Handling a
 * message may take a while (a big body decoded in slices, the event loop running in
 * between); the messages behind it wait, so signals and replies are never reordered.
 * Small messages are handled synchronously, without a queue round trip.
 */
export class Inbox<T> {
  private readonly queue: T[] = [];
  private head = 0;
  private busy = false;

  constructor(private readonly handle: (item: T) => void | Promise<void>) {}

  push(item: T): void {
    if (this.busy) {
      this.queue.push(item);
      return;
    }
    const pending = this.run(item);
    if (pending !== undefined) void this.drain(pending);
  }

  private run(item: T): Promise<void> | undefined {
    try {
      const r = this.handle(item);
      return r instanceof Promise ? r : undefined;
    } catch (err) {
      console.error(`dbus-codegen-ts: handling a received message failed: ${String(err)}`);
      return undefined;
    }
  }

  private async drain(first: Promise<void>): Promise<void> {
    this.busy = true;
    let pending: Promise<void> | undefined = first;
    for (;;) {
      if (pending !== undefined) {
        await pending.catch((err: unknown) => {
          console.error(`dbus-codegen-ts: handling a received message failed: ${String(err)}`);
        });
      }
      if (this.head >= this.queue.length) break;
      const item = this.queue[this.head]!;
      this.queue[this.head++] = undefined as T;
      if (this.head > 1024 && this.head * 2 > this.queue.length) {
        this.queue.splice(0, this.head);
        this.head = 0;
      }
      pending = this.run(item);
    }
    this.queue.length = 0;
    this.head = 0;
    this.busy = false;
  }
}
