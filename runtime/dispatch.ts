/**
 * A connection's received messages to their receivers: replies and errors to the pending
 * call (pending-calls.ts), signals to the listeners that expect their signature, method calls
 * to the object server's handler. A body is decoded only when its signature is the one its
 * receiver expects, so an unexpected body is never built; fds nobody kept are closed once a
 * message is handled.
 */
import type { ExpectedSignature, MethodCallHandler } from './connection-options.js';
import { ErrorNames } from './errors.js';
import type { PendingCalls } from './pending-calls.js';
import { MessageType } from './transport/marshal.js';
import {
  type IncomingMessage,
  type MessageHeader,
  onBody,
  type RawMessage,
  withBody,
} from './transport/message.js';
import { WireLimitError } from './transport/wire-read.js';
import { releaseFds } from './unix-fd.js';

/** What the dispatcher needs from its connection. */
export interface DispatchHost {
  /** True once the connection is closed: bodies still being decoded are dropped. */
  readonly closed: boolean;
  /** Sends an error reply (unless the caller set NO_REPLY_EXPECTED). */
  replyError(call: MessageHeader, errorName: string, text: string): void;
}

interface SignalListener {
  readonly listener: (msg: IncomingMessage) => void;
  readonly signature: string | undefined;
}

/** Hands each received message to its receiver (one per connection). */
export class Dispatcher {
  private readonly signalListeners = new Set<SignalListener>();
  private methodCallHandler: MethodCallHandler | undefined;
  private expectedSignature: ExpectedSignature | undefined;

  constructor(
    private readonly host: DispatchHost,
    private readonly pending: PendingCalls,
  ) {}

  /** See {@link Connection.onSignal}. */
  onSignal(listener: (msg: IncomingMessage) => void, signature?: string): () => void {
    const entry: SignalListener = { listener, signature };
    this.signalListeners.add(entry);
    return () => this.signalListeners.delete(entry);
  }

  /** See {@link Connection.setMethodCallHandler}. */
  setMethodCallHandler(handler: MethodCallHandler | undefined, expects?: ExpectedSignature): void {
    this.methodCallHandler = handler;
    this.expectedSignature = expects;
  }

  /** Drops every signal listener (the connection closed). */
  clearSignalListeners(): void {
    this.signalListeners.clear();
  }

  /** Handles one message; its fds nobody kept are closed once that is done. */
  receive(raw: RawMessage): void | Promise<void> {
    const done = this.receiveByType(raw);
    if (raw.fds === undefined || raw.type === MessageType.METHOD_CALL) return done;
    if (done instanceof Promise) return done.finally(() => releaseFds(raw.fds));
    releaseFds(raw.fds);
  }

  private receiveByType(raw: RawMessage): void | Promise<void> {
    switch (raw.type) {
      case MessageType.METHOD_RETURN:
      case MessageType.ERROR:
        return this.pending.settle(raw);
      case MessageType.SIGNAL:
        return this.receiveSignal(raw);
      case MessageType.METHOD_CALL:
        return this.receiveCall(raw);
      default:
        releaseFds(raw.fds);
        return; // unknown message types are ignored (spec)
    }
  }

  private receiveSignal(raw: RawMessage): void | Promise<void> {
    const wanted: SignalListener[] = [];
    for (const l of this.signalListeners) {
      if (l.signature === undefined || l.signature === raw.signature) wanted.push(l);
    }
    if (wanted.length === 0) return;
    return onBody(
      raw,
      () => !this.host.closed,
      (body) => {
        const msg = withBody(raw, body);
        for (const l of wanted) {
          try {
            l.listener(msg);
          } catch (err) {
            console.error(`dbus-codegen-ts: signal listener failed: ${String(err)}`);
          }
        }
      },
      () => undefined, // an unreadable signal is dropped
    );
  }

  private receiveCall(raw: RawMessage): void | Promise<void> {
    const handler = this.methodCallHandler;
    if (handler === undefined) {
      releaseFds(raw.fds);
      this.host.replyError(raw, ErrorNames.UnknownObject, `no object at path ${raw.path ?? ''}`);
      return;
    }
    // The handler runs concurrently with later messages; its fds are released when it ends.
    const run = (msg: IncomingMessage) => {
      let done: void | Promise<void>;
      try {
        done = handler(msg);
      } catch (err) {
        releaseFds(raw.fds);
        throw err;
      }
      if (done instanceof Promise) void done.finally(() => releaseFds(raw.fds));
      else releaseFds(raw.fds);
    };
    const expected = this.expectedSignature ? this.expectedSignature(raw) : raw.signature;
    if (expected !== raw.signature) {
      run(withBody(raw, []));
      return;
    }
    return onBody(
      raw,
      () => !this.host.closed,
      (body) => run(withBody(raw, body)),
      (err) => {
        releaseFds(raw.fds);
        if (this.host.closed) return;
        const limit = err instanceof WireLimitError;
        this.host.replyError(
          raw,
          limit ? ErrorNames.LimitsExceeded : ErrorNames.InvalidArgs,
          `the call body could not be read: ${(err as Error).message}`,
        );
      },
    );
  }
}
