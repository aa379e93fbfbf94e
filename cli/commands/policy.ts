/**
 * `dbus-codegen-ts policy <xml...> --scheme same-uid|two-uids|per-helper --qemu-user U
 *  [--helper-user V[=NAME[,NAME]]]... [--bus-name IFACE=NAME]... [--qemu-owns NAME]...
 *  [--interface IFACE]... [-o FILE]`
 *
 * Prints a complete dbus-daemon `<busconfig>` for the well-known names that serve the
 * interfaces of the given XML, under one of the UID schemes of QEMU's docs/interop/dbus.rst.
 *
 * An interface's bus name is, in order: `--bus-name IFACE=NAME`; the interface annotation
 * `org.dbus_codegen_ts.BusName`; the interface name itself (org.qemu.VMState1 -> the name
 * org.qemu.VMState1, which is what dbus-vmstate helpers own). Standard
 * `org.freedesktop.DBus.*` interfaces are skipped: every peer implements them.
 *
 * Helpers own the names and QEMU calls them (dbus-vmstate), unless `--qemu-owns NAME` says
 * QEMU owns that name (`org.qemu` of `-display dbus`): then the helpers call it. In
 * per-helper, `--helper-user V=NAME,...` lists the names V deals with: owns a helper name,
 * calls a QEMU name.
 */
import { writeFileSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { type InputOptions, loadInputs } from '../../build/inputs.js';
import { shellQuote } from '../../build/shell.js';
import { renderPolicy } from '../../emitters/policy.js';
import type { CheckedInterface } from '../../generator/check.js';
import { formatDiagnostic, hasErrors } from '../../generator/diagnostics.js';
import { busNameProblem, STANDARD_INTERFACES } from '../../spec/names.js';
import { POLICY_SCHEMES, type PolicyScheme, planPolicy } from '../../spec/policy.js';
import { addInputOptions, addRepeatable, type CliContext } from './input-options.js';

/** Interface annotation naming the well-known bus name that serves the interface. */
export const BUS_NAME_ANNOTATION = 'org.dbus_codegen_ts.BusName';

export interface PolicyCommandOptions extends InputOptions {
  readonly scheme: PolicyScheme;
  readonly qemuUser: string;
  readonly helperUser?: readonly string[];
  readonly busName?: readonly string[];
  /** Bus names QEMU owns (its clients are the helpers), e.g. `org.qemu` for -display dbus. */
  readonly qemuOwns?: readonly string[];
  /** Only these interfaces (default: every interface of the input). */
  readonly interface?: readonly string[];
  readonly output?: string;
}

export interface CommandResult {
  /** 0 ok, 1 diagnostics in the input, 2 usage error. */
  readonly exitCode: 0 | 1 | 2;
  readonly stdout: string;
  readonly stderr: string;
}

function splitPair(raw: string, flag: string, errors: string[]): [string, string] | undefined {
  const eq = raw.indexOf('=');
  if (eq <= 0 || eq === raw.length - 1) {
    errors.push(`${flag} ${raw}: expected KEY=VALUE`);
    return undefined;
  }
  return [raw.slice(0, eq), raw.slice(eq + 1)];
}

/** Bus name -> interfaces served under it; unknown `--bus-name` interfaces are errors. */
export function busNamesOf(
  interfaces: readonly CheckedInterface[],
  overrides: ReadonlyMap<string, string>,
  only: readonly string[],
  errors: string[],
): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const known = new Set(interfaces.map((i) => i.iface.name));
  for (const iface of overrides.keys()) {
    if (!known.has(iface)) errors.push(`--bus-name ${iface}=...: no such interface in the input`);
  }
  for (const iface of only) {
    if (!known.has(iface)) errors.push(`--interface ${iface}: no such interface in the input`);
  }
  for (const { iface } of interfaces) {
    if (STANDARD_INTERFACES.has(iface.name)) continue;
    if (only.length > 0 && !only.includes(iface.name)) continue;
    const annotated = iface.annotations.find((a) => a.name === BUS_NAME_ANNOTATION)?.value;
    const name = overrides.get(iface.name) ?? annotated ?? iface.name;
    const problem = busNameProblem(name);
    if (problem !== undefined || name.startsWith(':')) {
      errors.push(`bus name "${name}" of ${iface.name}: ${problem ?? 'not a well-known name'}`);
      continue;
    }
    out.set(name, [...(out.get(name) ?? []), iface.name]);
  }
  return out;
}

/** The whole command without process I/O (tests call this). */
export function runPolicy(
  files: readonly string[],
  opts: PolicyCommandOptions,
  cwd = process.cwd(),
): CommandResult {
  const usage: string[] = [];
  const overrides = new Map<string, string>();
  for (const b of opts.busName ?? []) {
    const kv = splitPair(b, '--bus-name', usage);
    if (kv) overrides.set(kv[0], kv[1]);
  }
  const helperUsers = (opts.helperUser ?? []).map((h) => {
    const eq = h.indexOf('=');
    if (eq < 0) return { user: h, busNames: [] };
    return {
      user: h.slice(0, eq),
      busNames: h
        .slice(eq + 1)
        .split(',')
        .filter(Boolean),
    };
  });
  if (usage.length > 0) return fail(2, usage);
  const loaded = loadInputs(files, opts, cwd);
  const diagText = loaded.diagnostics.map((d) => `${formatDiagnostic(d)}\n`).join('');
  if (hasErrors(loaded.diagnostics)) return { exitCode: 1, stdout: '', stderr: diagText };
  const checked = loaded.result;
  const busNames = busNamesOf(checked.interfaces, overrides, opts.interface ?? [], usage);
  if (usage.length > 0) return fail(2, usage, diagText);
  const flag = (name: string, values: readonly string[] = []): string[] =>
    values.flatMap((v) => [name, v]);
  const argv = [
    'policy',
    ...files,
    ...flag('--scheme', [opts.scheme]),
    ...flag('--qemu-user', [opts.qemuUser]),
    ...flag('--helper-user', opts.helperUser),
    ...flag('--bus-name', opts.busName),
    ...flag('--interface', opts.interface),
    ...flag('--qemu-owns', opts.qemuOwns),
    ...flag('--define', opts.define),
    ...flag('--overlay', opts.overlay),
    ...(opts.annotations ?? []).flatMap((a) => ['--annotate', a.target, a.name, a.value]),
  ];
  const plan = planPolicy({
    scheme: opts.scheme,
    qemuUser: opts.qemuUser,
    helperUsers,
    busNames,
    qemuNames: new Set(opts.qemuOwns ?? []),
    header: [
      `Source: ${loaded.files.join(' ')}`,
      `Regenerate: dbus-codegen-ts ${argv.map(shellQuote).join(' ')}`,
    ],
  });
  if ('errors' in plan) return fail(2, plan.errors, diagText);
  return { exitCode: 0, stdout: renderPolicy(plan), stderr: diagText };
}

function fail(exitCode: 1 | 2, messages: readonly string[], prefix = ''): CommandResult {
  return {
    exitCode,
    stdout: '',
    stderr: prefix + messages.map((m) => `dbus-codegen-ts policy: ${m}\n`).join(''),
  };
}

export function register(program: Command, cli: CliContext): void {
  const cmd = program
    .command('policy')
    .description(
      'print a dbus-daemon <busconfig> policy for the bus names of the interfaces, under a ' +
        'UID scheme of QEMU docs/interop/dbus.rst (default deny for everyone else)',
    )
    .argument('[xml...]', "introspection XML files (default: the config file's inputs)")
    .addOption(
      new Option('--scheme <scheme>', 'same-uid | two-uids | per-helper')
        .choices([...POLICY_SCHEMES])
        .makeOptionMandatory(),
    )
    .requiredOption('--qemu-user <user>', 'user (name or uid) QEMU runs as; calls the helpers');
  addRepeatable(cmd, {
    '--helper-user <user[=name,...]>':
      'helper user; per-helper: with the bus names it owns (repeatable)',
    '--bus-name <iface=name>': 'bus name serving an interface (repeatable)',
    '--qemu-owns <name>':
      'a bus name QEMU owns and the helpers call, e.g. org.qemu for -display dbus (repeatable)',
    '--interface <name>': 'only these interfaces (repeatable; default: all)',
  }).option('-o, --output <file>', 'write the policy to a file instead of stdout');
  addInputOptions(cmd).action((files: string[], opts: PolicyCommandOptions) => {
    const result = runPolicy(files, { ...opts, annotations: cli.annotations });
    if (result.stderr) process.stderr.write(result.stderr);
    if (result.exitCode === 0) {
      if (opts.output !== undefined) writeFileSync(opts.output, result.stdout);
      else process.stdout.write(result.stdout);
    }
    process.exitCode = result.exitCode;
  });
}
