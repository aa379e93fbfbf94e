/**
 * Rules across the members of one interface: calls are routed
 * by (interface, member) and, in practice, the in-signature, so two methods with one name and
 * one in-signature cannot be told apart (error), while one name with different in-signatures
 * is an overload some bindings (Qt/KDE) produce: legal, but flagged. A method and a signal
 * may share a name (login1 `Lock`). Property names must be unique.
 */

import type { Location, Method, Property, Signal } from '../spec/model.js';
import type { Diagnostics } from './diagnostics.js';

function where(at: Location): string {
  return `line ${at.line}:${at.column}`;
}

export function checkMembers(
  interfaceName: string,
  methods: readonly Method[],
  signals: readonly Signal[],
  properties: readonly Property[],
  diags: Diagnostics,
): void {
  overloads(
    interfaceName,
    'method',
    methods.map((m) => ({ name: m.name, sig: m.inSignature, location: m.location })),
    diags,
  );
  overloads(
    interfaceName,
    'signal',
    signals.map((s) => ({ name: s.name, sig: s.signature, location: s.location })),
    diags,
  );
  const seen = new Map<string, Property>();
  for (const p of properties) {
    const first = seen.get(p.name);
    if (first === undefined) seen.set(p.name, p);
    else {
      diags.error(
        'DBUS054',
        `property "${p.name}" of interface "${interfaceName}" is already declared at ${where(first.location)}`,
        p.location,
      );
    }
  }
}

interface Entry {
  readonly name: string;
  readonly sig: string;
  readonly location: Location;
}

function overloads(
  interfaceName: string,
  kind: 'method' | 'signal',
  entries: readonly Entry[],
  diags: Diagnostics,
): void {
  const byName = new Map<string, Entry[]>();
  for (const e of entries) {
    const list = byName.get(e.name);
    if (list === undefined) {
      byName.set(e.name, [e]);
      continue;
    }
    const same = list.find((f) => f.sig === e.sig);
    const what = kind === 'method' ? 'in-signature' : 'signature';
    if (same !== undefined) {
      diags.error(
        kind === 'method' ? 'DBUS050' : 'DBUS052',
        `${kind} "${e.name}" of interface "${interfaceName}" with ${what} "${e.sig}" is already declared at ${where(same.location)}; callers could not tell them apart`,
        e.location,
      );
    } else {
      diags.warning(
        kind === 'method' ? 'DBUS051' : 'DBUS053',
        `${kind} "${e.name}" of interface "${interfaceName}" is overloaded (also at ${where(list[0]!.location)}, ${what} "${list[0]!.sig}" vs "${e.sig}"); each overload gets its own TypeScript name`,
        e.location,
      );
    }
    list.push(e);
  }
}
