/**
 * SHA-256 with `node:crypto` loaded on first use. Loading it costs 6-8 ms of a process start
 * (Node 20; ~14 ms on Node 24), more than the whole no-change run has to spare, and the CLI's
 * stat cache (cli/stat-cache.ts) answers that run without hashing anything: so build/ modules on
 * the quick start's path import hashing from here, never `node:crypto` at the top.
 */
import { createRequire } from 'node:module';

type Crypto = typeof import('node:crypto');
let crypto: Crypto | undefined;

/** A SHA-256 hash object, as `crypto.createHash('sha256')` (the module is loaded once, here). */
export function createSha256(): import('node:crypto').Hash {
  crypto ??= createRequire(import.meta.url)('node:crypto') as Crypto;
  return crypto.createHash('sha256');
}
