/**
 * Errors of the VMState runtime. Every error that concerns one helper names it (its Id,
 * and its unique bus name when known), because the person reading the message has to
 * find that helper among several on the VM's bus.
 */

/** What went wrong, machine-readable. */
export type VMStateErrorCode =
  /** A helper Id is empty, longer than 255 bytes, or not a valid D-Bus string. */
  | 'invalid-id'
  /** Two helpers (or two blob entries) share one Id. */
  | 'duplicate-id'
  /** Ids from the id-list that no helper on the bus has. */
  | 'missing-id'
  /** A blob entry has no helper on the bus. */
  | 'unknown-id'
  /** Save returned more than 1 MiB, or a blob entry claims more. */
  | 'too-large'
  /** A Save or Load call failed (D-Bus error, helper gone, helper threw). */
  | 'call-failed'
  /** A Save or Load call got no reply in time. */
  | 'timeout'
  /** Reading a helper's `Id` property failed. */
  | 'no-id'
  /** The blob or migration stream is malformed (see {@link BlobError}). */
  | 'bad-blob';

export interface VMStateErrorOptions {
  /** The helper's Id, when known. */
  readonly helperId?: string;
  /** The helper's unique bus name (`:1.42`), when known. */
  readonly busName?: string;
  readonly cause?: unknown;
}

/**
 * Every failure of the migrator or a helper: `code` says what kind, `helperId` and `busName`
 * which helper when one is at fault, `cause` the underlying error.
 */
export class VMStateError extends Error {
  override readonly name: string = 'VMStateError';
  readonly helperId: string | undefined;
  readonly busName: string | undefined;

  constructor(
    readonly code: VMStateErrorCode,
    message: string,
    options: VMStateErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.helperId = options.helperId;
    this.busName = options.busName;
  }
}

/** `helper "idA" (:1.42)`, the way errors name a helper. */
export function describeHelper(id: string | undefined, busName?: string): string {
  const who = id === undefined ? 'helper' : `helper ${JSON.stringify(id)}`;
  return busName === undefined ? who : `${who} (${busName})`;
}
