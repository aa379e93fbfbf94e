/**
 * Byte-level helpers for the dbus-vmstate blob and migration-stream tests: hand-built
 * big-endian fields (independent of encodeBlob) and capturing the BlobError a parser throws.
 */
import { expect } from 'vitest';
import { BlobError } from '../../vmstate/blob.js';

/** `n` as 4 big-endian bytes, as QEMU writes counts and lengths. */
export function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

/** The BlobError `fn` throws (asserting that it is one); fails when `fn` returns. */
export function faultOf(fn: () => unknown): BlobError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(BlobError);
    return err as BlobError;
  }
  throw new Error('expected a BlobError');
}
