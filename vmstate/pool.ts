/**
 * Runs `fn` over `items` with at most `limit` calls in flight. On the first rejection no
 * further item is started; the calls already in flight are waited for (each has its own
 * timeout), then the first error is thrown. So when this settles, nothing is still running,
 * and `onDone` has seen every call that succeeded.
 */
export async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
  onDone?: (result: R, item: T) => void,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < items.length) {
      const i = next++;
      try {
        results[i] = await fn(items[i]!, i);
        onDone?.(results[i]!, items[i]!);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  // NaN, 0, negatives and fractions below 1 mean one at a time (a NaN bound used to start
  // no worker at all and return holes).
  const bound = Number.isFinite(limit) ? Math.floor(limit) : limit > 0 ? items.length : 1;
  const n = Math.max(1, Math.min(bound, items.length));
  await Promise.all(Array.from({ length: n }, worker));
  if (failure !== undefined) throw failure.error;
  return results;
}
