/**
 * Design-guideline lint: the D-Bus API Design Guidelines (dbus.freedesktop.org, "D-Bus API Design
 * Guidelines") as
 * warnings on the checked model. `check` decides what is legal; lint says what is wise. Every
 * finding is a located {@link Diagnostic} with a stable code (DBUS1xx), so it can be silenced
 * per code (`disable`) or turned into errors (`strict`).
 *
 * @example
 * ```ts
 * const findings = lint(model.documents, { owners: ['com.example'], busNames: ['com.example.Helper1'] });
 * for (const d of findings) console.error(formatDiagnostic(d));
 * ```
 */

import type { Document, Interface, Location, Node } from '../spec/model.js';
import { STANDARD_INTERFACES } from '../spec/names.js';
import { type Code, type Diagnostic, sortDiagnostics } from './diagnostics.js';
import type { LintContext } from './lint/context.js';
import {
  lintAccessorMethod,
  lintArgDocs,
  lintBooleanArg,
  lintChangeSignal,
  lintDeprecation,
  lintDocs,
} from './lint/rules-api.js';
import {
  lintArgName,
  lintBusName,
  lintInterfaceName,
  lintMemberName,
  lintNodePath,
  ownedBy,
} from './lint/rules-names.js';

/** Options of {@link lint}. */
export interface LintOptions {
  /** Report findings as errors (a CI gate) instead of warnings. Default: `false`. */
  readonly strict?: boolean;
  /** Well-known bus names the service owns or clients call, checked for a version. Default: none. */
  readonly busNames?: readonly string[];
  /** Where `busNames` came from, for their diagnostics. Default: `<command line>:1:1`. */
  readonly busNameLocation?: Location;
  /**
   * Name prefixes this project owns. Only QEMU itself may define new `org.qemu.*` names, so
   * QEMU passes `org.qemu`; a helper that merely implements org.qemu.VMState1 passes nothing.
   * Default: none.
   */
  readonly owners?: readonly string[];
  /** Codes to skip, e.g. `['DBUS115']`. Default: none. */
  readonly disable?: readonly string[];
  /** Also lint the standard org.freedesktop.DBus.* interfaces (the spec's, not yours). Default: `false`. */
  readonly includeStandard?: boolean;
}

/** Every lint code with a one-line summary: what `--list` prints and the README documents. */
export const LINT_CODES: readonly Code[] = [
  'DBUS101',
  'DBUS102',
  'DBUS103',
  'DBUS104',
  'DBUS105',
  'DBUS106',
  'DBUS107',
  'DBUS108',
  'DBUS109',
  'DBUS110',
  'DBUS111',
  'DBUS112',
  'DBUS113',
  'DBUS114',
  'DBUS115',
];

const COMMAND_LINE: Location = { file: '<command line>', line: 1, column: 1 };

/** Lints checked documents; returns sorted diagnostics (warnings, or errors when `strict`). */
export function lint(documents: readonly Document[], options: LintOptions = {}): Diagnostic[] {
  const out: Diagnostic[] = [];
  const disabled = new Set(options.disable ?? []);
  const owners = options.owners ?? [];
  const severity = options.strict ? 'error' : 'warning';
  const seen = new Set<string>();
  const ctx: LintContext = {
    report(code, message, location) {
      if (disabled.has(code)) return;
      // One interface in several inputs is linted once per place: dedupe identical findings.
      const key = `${location.file}:${location.line}:${location.column}:${code}:${message}`;
      if (seen.has(key)) return;
      seen.add(key);
      out.push({ severity, code, message, location });
    },
    owns: (prefix) => ownedBy(owners, prefix),
    busNameLocation: options.busNameLocation ?? COMMAND_LINE,
  };
  for (const name of options.busNames ?? []) lintBusName(ctx, name);
  for (const doc of documents) lintNode(ctx, doc.root, options.includeStandard ?? false);
  return sortDiagnostics(out);
}

function lintNode(ctx: LintContext, node: Node, includeStandard: boolean): void {
  const own = node.interfaces.filter((i) => includeStandard || !STANDARD_INTERFACES.has(i.name));
  lintNodePath(ctx, { ...node, interfaces: own });
  for (const iface of own) lintInterface(ctx, iface);
  for (const child of node.children) lintNode(ctx, child, includeStandard);
}

function lintInterface(ctx: LintContext, iface: Interface): void {
  lintInterfaceName(ctx, iface);
  lintDocs(ctx, 'interface', iface.name, iface);
  lintDeprecation(ctx, iface.name, iface);
  for (const method of iface.methods) {
    const full = `${iface.name}.${method.name}()`; // the --annotate target syntax
    lintMemberName(ctx, 'method', full, method);
    lintDocs(ctx, 'method', full, method);
    lintDeprecation(ctx, full, method);
    lintAccessorMethod(ctx, iface, method);
    const args = [...method.inArgs, ...method.outArgs];
    args.forEach((arg, i) => {
      lintArgName(ctx, `method "${full}"`, arg, i);
      lintArgDocs(ctx, `method "${full}"`, full, arg);
      lintBooleanArg(ctx, `method "${full}"`, arg);
    });
  }
  for (const signal of iface.signals) {
    const full = `${iface.name}::${signal.name}`;
    lintMemberName(ctx, 'signal', full, signal);
    lintDocs(ctx, 'signal', full, signal);
    lintDeprecation(ctx, full, signal);
    lintChangeSignal(ctx, iface, signal);
    signal.args.forEach((arg, i) => {
      lintArgName(ctx, `signal "${full}"`, arg, i);
      lintArgDocs(ctx, `signal "${full}"`, full, arg);
    });
  }
  for (const prop of iface.properties) {
    const full = `${iface.name}:${prop.name}`;
    lintMemberName(ctx, 'property', full, prop);
    lintDocs(ctx, 'property', full, prop);
    lintDeprecation(ctx, full, prop);
  }
}
