/**
 * What the net transport (dbus-next.ts) and the fd transport (fd-transport.ts) share once
 * the handshake is through: the framer, the header check that drops an invalid message
 * (logged) and keeps the connection, the listener lists, the first failure, and an orderly
 * close() that resolves once the socket is gone. Each subclass owns its socket.
 */
import { MessageFramer } from './framer.js';
import { parseMessage } from './header.js';
import type { RawMessage } from './message.js';
import { WireError } from './wire-read.js';

export abstract class FramedTransport {
  closed = false;
  protected readonly messageListeners: ((msg: RawMessage) => void)[] = [];
  protected readonly closeListeners: ((err?: Error) => void)[] = [];
  /** The first error that ended the connection, handed to the close listeners. */
  protected failure: Error | undefined;
  protected readonly framer = new MessageFramer((frame) => this.dispatch(frame));

  /** Handles one complete frame from the framer; an exception ends the connection. */
  protected abstract dispatch(frame: Buffer): void;
  /** Tears the socket down now (after a failure). */
  protected abstract destroySocket(): void;
  /** Starts an orderly end of the socket; the close listeners run once it is gone. */
  protected abstract endSocket(): void;

  /**
   * The frame's message; undefined for an unknown message type (ignored, as the spec says)
   * or an invalid header. An invalid one is dropped (logged), since it was framed and the
   * next message starts where it ends, unless `beforeDrop` throws to end the connection.
   */
  protected parseOrDrop(
    frame: Buffer,
    beforeDrop?: (err: WireError) => void,
  ): RawMessage | undefined {
    try {
      return parseMessage(frame);
    } catch (err) {
      if (!(err instanceof WireError)) throw err;
      beforeDrop?.(err);
      console.warn(`dbus-codegen-ts: dropped an invalid message: ${err.message}`);
      return undefined;
    }
  }

  /** Feeds bytes to the framer; an exception means the stream cannot be framed any more. */
  protected pushSafely(data: Buffer): void {
    try {
      this.framer.push(data);
    } catch (err) {
      this.fail(err);
    }
  }

  /** A reader exception (malformed or fd-carrying message) ends the connection. */
  fail(err: unknown): void {
    this.failure ??= err instanceof Error ? err : new Error(String(err));
    this.destroySocket();
  }

  onMessage(listener: (msg: RawMessage) => void): void {
    this.messageListeners.push(listener);
  }

  onClose(listener: (err?: Error) => void): void {
    this.closeListeners.push(listener);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    const gone = new Promise<void>((resolve) => this.closeListeners.push(() => resolve()));
    this.endSocket();
    await gone;
  }
}
