/**
 * Our own typings for the part of dbus-next 0.10.2 the transport uses (its shipped
 * `types.d.ts` has errors and does not cover these modules). Only
 * runtime/transport/dbus-next.ts imports them.
 */

/** A message as dbus-next's reader produces it, after `messageToJsFmt`. */
interface DbusNextRawMessage {
  serial: number;
  type: number;
  flags: number;
  path?: string;
  interface?: string;
  member?: string;
  errorName?: string;
  replySerial?: number;
  destination?: string;
  sender?: string;
  signature?: string;
  body?: unknown[];
}

interface DbusNextReadableStream {
  on(event: 'readable', listener: () => void): unknown;
  removeListener(event: 'readable', listener: () => void): unknown;
  read(size?: number): Buffer | null;
  write(data: string | Uint8Array): unknown;
  emit(event: 'error', err: unknown): boolean;
  supportsUnixFd?: boolean;
}

declare module 'dbus-next/lib/handshake.js' {
  function clientHandshake(
    stream: DbusNextReadableStream,
    opts: { authMethods?: readonly string[] },
    cb: (err: unknown, guid?: string) => void,
  ): void;
  export default clientHandshake;
}

declare module 'dbus-next/lib/message.js' {
  const message: {
    unmarshalMessages(
      stream: DbusNextReadableStream,
      onMessage: (msg: DbusNextRawMessage) => void,
      opts: object,
    ): void;
    /** One whole message (the benchmarks' anchor for our reader). */
    unmarshall(buf: Buffer, opts?: object): DbusNextRawMessage;
  };
  export default message;
}

declare module 'dbus-next/lib/marshall-compat.js' {
  const compat: {
    messageToJsFmt(msg: DbusNextRawMessage): DbusNextRawMessage;
    marshallMessage(msg: object): [Buffer, number[]];
  };
  export default compat;
}
