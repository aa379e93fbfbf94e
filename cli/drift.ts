/**
 * Drift: how a running service differs from the XML its bindings came from
 * (`dbus-codegen-ts introspect --compare DIR`). The XML is the old side, the live
 * introspection the new one, with diff's classification (generator/diff/compare.ts): a member
 * the bindings have and the service lacks is wire-breaking for a client ("missing on the
 * service"); one the service has beyond the XML is compatible. Docs and plain annotations are
 * not compared (introspection data rarely carries them). An interface of DIR served at no
 * visited object is listed as absent, without a verdict: it may be one the service never
 * serves (a listener the client implements) or one it lacks (older version).
 */

import type { IntrospectResult } from '../build/introspect.js';
import { check } from '../generator/check.js';
import { type Code, type Diagnostic, formatDiagnostic } from '../generator/diagnostics.js';
import { type ApiChange, compareInterfaces } from '../generator/diff/compare.js';
import { readSide } from '../generator/diff/load.js';
import { fails, formatChange, jsonReport, summaryLine } from '../generator/diff/report.js';
import type { Interface, Location } from '../spec/model.js';

export interface Absent {
  readonly interface: string;
  readonly location: Location;
}

export interface Drift {
  readonly changes: readonly ApiChange[];
  readonly absent: readonly Absent[];
  readonly diagnostics: readonly Diagnostic[];
}

const DRIFT_WORDS: Readonly<Record<string, (m: string) => string>> = {
  'member-removed': (m) => m.replace(/ removed$/, ' missing on the service'),
  'member-added': (m) => m.replace(/ added$/, ' served, not in the XML'),
  'interface-added': (m) => m.replace(/ added$/, ' served, not in the XML'),
};

/** Compares the XML's interfaces with what `live` found. */
export function compareLive(
  expected: readonly Interface[],
  live: IntrospectResult,
  dest: string,
): Drift {
  const served: Interface[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const i of live.interfaces) {
    const r = check([{ file: `${dest}:${i.paths[0] ?? '/'}`, text: i.xml }]);
    diagnostics.push(...r.diagnostics);
    served.push(...r.interfaces.map((x) => x.iface));
  }
  const servedNames = new Set(served.map((i) => i.name));
  const present = expected.filter((i) => servedNames.has(i.name));
  const changes = compareInterfaces(present, served, { docs: false, annotations: false }).map(
    (c) => ({ ...c, message: DRIFT_WORDS[c.kind]?.(c.message) ?? c.message }),
  );
  const absent = expected
    .filter((i) => !servedNames.has(i.name))
    .map((i) => ({ interface: i.name, location: i.location }));
  return { changes, absent, diagnostics };
}

export function formatAbsent(a: Absent, objects: number): string {
  const { file, line, column } = a.location;
  return `${file}:${line}:${column}: absent: interface ${a.interface} is served at none of the ${objects} visited objects`;
}

export interface DriftReportOptions {
  readonly json?: boolean;
  readonly failOn?: 'wire' | 'source';
  readonly relax?: readonly Code[];
}

/**
 * `introspect --compare DIR`: reads DIR's XML, compares, prints one located line per change and
 * per absent interface plus a summary (or JSON); returns the exit code (1 on input errors or
 * when `failOn` finds a change that bad).
 */
export function reportDrift(
  dir: string,
  live: IntrospectResult,
  dest: string,
  o: DriftReportOptions,
  write: (s: string) => void = (s) => process.stdout.write(s),
): number {
  const side = readSide([dir], { relax: o.relax ?? [] });
  const errors = side.diagnostics.filter((d) => d.severity === 'error');
  for (const d of errors) process.stderr.write(`${formatDiagnostic(d)}\n`);
  if (errors.length > 0) return 1;
  const drift = compareLive(side.interfaces, live, dest);
  const objects = live.visited.length;
  if (o.json === true) {
    const absent = drift.absent.map((a) => ({ interface: a.interface, ...a.location }));
    write(`${JSON.stringify({ ...jsonReport(drift.changes), absent, objects }, null, 2)}\n`);
  } else {
    for (const c of drift.changes) write(`${formatChange(c)}\n`);
    for (const a of drift.absent) write(`${formatAbsent(a, objects)}\n`);
    write(
      `${dest}: ${summaryLine(drift.changes)} against ${dir}; ${drift.absent.length} interface(s) of ${dir} not served\n`,
    );
  }
  return fails(drift.changes, o.failOn) ? 1 : 0;
}
