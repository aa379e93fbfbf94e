/**
 * Loads our N-API addon (native/fdpass.c): the syscalls that Node's `net` lacks for unix
 * fd passing (sendmsg/recvmsg with SCM_RIGHTS, socketpair, abstract-socket connect,
 * SO_PEERCRED) plus a libuv poll watcher. It is optional: `npm run build` compiles it when
 * a C toolchain is there and warns otherwise. Without it every connection still works
 * through Node's `net`, except that `h` values, peer-to-peer connections on an fd and
 * `unix:abstract=` addresses on Node 20 fail with {@link UnixFdUnsupportedError}.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { UnixFdUnsupportedError } from '../errors.js';

/** The addon's functions (see native/fdpass.c for each one's contract). */
export interface NativeFd {
  socketpair(): [number, number];
  connectUnix(name: string, abstract: boolean): number;
  listenUnix(name: string, abstract: boolean): number;
  /** A connected fd, or -1 when no connection waits. */
  accept(fd: number): number;
  setNonBlocking(fd: number): void;
  /** Bytes sent, or -1 when the socket is full (EAGAIN). */
  sendmsg(fd: number, data: Uint8Array, offset: number, fds: readonly number[]): number;
  /** null when nothing is there (EAGAIN); an empty `data` at end of stream. */
  recvmsg(fd: number, max: number): { data: Buffer; fds: number[] } | null;
  close(fd: number): void;
  dup(fd: number): number;
  peerUid(fd: number): number;
  watch(fd: number, onEvents: (events: number) => void): NativeWatcher;
  watchEvents(w: NativeWatcher, events: number): void;
  watchRef(w: NativeWatcher, ref: boolean): void;
  unwatch(w: NativeWatcher): void;
}
/** An opaque uv_poll_t handle. */
export type NativeWatcher = { readonly __watcher: unique symbol };

export const READABLE = 1;
export const WRITABLE = 2;

let loaded: NativeFd | undefined;
let failure: string | undefined;

function candidates(): string[] {
  // DBUS_CODEGEN_TS_NATIVE: a path to the addon, or "none" to run without it.
  const env = process.env['DBUS_CODEGEN_TS_NATIVE'];
  const rel = [
    '../../native/build/Release/fdpass.node',
    '../../../native/build/Release/fdpass.node',
  ];
  const found = rel.map((r) => fileURLToPath(new URL(r, import.meta.url)));
  return env ? [env, ...found] : found;
}

/** The addon, or undefined when it was not built (the reason is in {@link nativeFailure}). */
export function nativeFd(): NativeFd | undefined {
  if (loaded !== undefined || failure !== undefined) return loaded;
  if (process.env['DBUS_CODEGEN_TS_NATIVE'] === 'none') {
    failure = 'disabled by DBUS_CODEGEN_TS_NATIVE=none';
    return undefined;
  }
  const require = createRequire(import.meta.url);
  const tried: string[] = [];
  for (const file of candidates()) {
    if (!existsSync(file)) {
      tried.push(`${file}: not found`);
      continue;
    }
    try {
      loaded = require(file) as NativeFd;
      return loaded;
    } catch (err) {
      tried.push(`${file}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  failure = tried.join('; ');
  return undefined;
}

/** Why the addon is not loaded ('' when it is). */
export function nativeFailure(): string {
  nativeFd();
  return failure ?? '';
}

/** The addon; throws {@link UnixFdUnsupportedError} (saying how to build it) without it. */
export function requireNativeFd(what: string): NativeFd {
  const n = nativeFd();
  if (n === undefined) throw new UnixFdUnsupportedError(what, failure);
  return n;
}
