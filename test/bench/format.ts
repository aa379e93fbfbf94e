/** Shared helpers for the BENCH lines: one format, medians, ratios. */

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function fmt(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Math.abs(n) >= 100) return n.toFixed(0);
  if (Math.abs(n) >= 1) return n.toFixed(2);
  return n.toPrecision(3);
}

/** Prints `BENCH <name> ours=… anchor=… ratio=… goal=<=…` and returns whether the goal held. */
export function benchLine(
  name: string,
  ours: number,
  anchor: number,
  unit: string,
  goal: number,
  note = '',
): boolean {
  const ratio = ours / anchor;
  const ok = ratio <= goal;
  console.log(
    `BENCH ${name} ours=${fmt(ours)}${unit} anchor=${fmt(anchor)}${unit} ratio=${ratio.toFixed(3)} goal=<=${goal}${note ? ` # ${note}` : ''}`,
  );
  return ok;
}
