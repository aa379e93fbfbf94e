/**
 * How API changes are shown: one located line per change (`new.xml:12:5: wire-breaking: out
 * signature of Save changed ay -> a(say)`), a summary, a version-bump suggestion per versioned
 * interface with wire-breaking changes, or all of it as JSON.
 */
import type { ApiChange, Verdict } from './compare.js';

export function formatChange(c: ApiChange): string {
  const { file, line, column } = c.location;
  return `${file}:${line}:${column}: ${c.verdict}: ${c.message}`;
}

export type Counts = Record<Verdict, number>;

export function countVerdicts(changes: readonly ApiChange[]): Counts {
  const counts: Counts = { 'wire-breaking': 0, 'source-breaking': 0, compatible: 0 };
  for (const c of changes) counts[c.verdict]++;
  return counts;
}

/** `3 changes: 1 wire-breaking, 0 source-breaking, 2 compatible`, or `no API changes`. */
export function summaryLine(changes: readonly ApiChange[]): string {
  if (changes.length === 0) return 'no API changes';
  const c = countVerdicts(changes);
  return `${changes.length} change${changes.length === 1 ? '' : 's'}: ${c['wire-breaking']} wire-breaking, ${c['source-breaking']} source-breaking, ${c.compatible} compatible`;
}

/**
 * The next version of a versioned interface name: the last element ending in a number gets
 * it incremented (`org.qemu.VMState1` -> `org.qemu.VMState2`, `org.qemu.Display1.VM` ->
 * `org.qemu.Display2.VM`); undefined when no element carries a version.
 */
export function nextVersion(name: string): string | undefined {
  const parts = name.split('.');
  for (let i = parts.length - 1; i >= 0; i--) {
    const m = /^(.*?)(\d+)$/.exec(parts[i]!);
    if (m !== null && m[1] !== '') {
      parts[i] = `${m[1]}${BigInt(m[2]!) + 1n}`;
      return parts.join('.');
    }
  }
  return undefined;
}

/** The guidelines' advice for each versioned interface with wire-breaking changes. */
export function versionSuggestions(changes: readonly ApiChange[]): string[] {
  const breaking = new Map<string, number>();
  for (const c of changes) {
    if (c.verdict === 'wire-breaking' && c.kind !== 'interface-removed')
      breaking.set(c.interface, (breaking.get(c.interface) ?? 0) + 1);
  }
  const out: string[] = [];
  for (const [iface, n] of [...breaking].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const next = nextVersion(iface);
    if (next === undefined) continue;
    out.push(
      `${iface}: ${n} wire-breaking change${n === 1 ? '' : 's'} to a versioned interface; publish ${next} and keep serving ${iface} for existing peers (D-Bus API design guidelines: interface versioning)`,
    );
  }
  return out;
}

export interface JsonReport {
  readonly changes: readonly (Omit<ApiChange, 'location'> & {
    file: string;
    line: number;
    column: number;
  })[];
  readonly summary: Counts & { readonly total: number };
  readonly suggestions: readonly string[];
}

export function jsonReport(changes: readonly ApiChange[]): JsonReport {
  return {
    changes: changes.map(({ location, ...c }) => ({
      ...c,
      file: location.file,
      line: location.line,
      column: location.column,
    })),
    summary: { ...countVerdicts(changes), total: changes.length },
    suggestions: versionSuggestions(changes),
  };
}

/** The worst verdict a `--fail-on` level counts. */
export function fails(
  changes: readonly ApiChange[],
  level: 'wire' | 'source' | undefined,
): boolean {
  if (level === undefined) return false;
  return changes.some(
    (c) => c.verdict === 'wire-breaking' || (level === 'source' && c.verdict === 'source-breaking'),
  );
}

/** One line for `generate`: `API: 1 wire-breaking, 0 source-breaking, 2 compatible (wire-breaking: ...)`. */
export function moduleSummary(changes: readonly ApiChange[]): string {
  const c = countVerdicts(changes);
  const worst =
    changes.find((x) => x.verdict === 'wire-breaking') ??
    changes.find((x) => x.verdict === 'source-breaking') ??
    changes[0];
  const counts = `${c['wire-breaking']} wire-breaking, ${c['source-breaking']} source-breaking, ${c.compatible} compatible`;
  return worst === undefined
    ? 'API unchanged'
    : `API: ${counts} (${worst.verdict}: ${worst.message})`;
}
