/**
 * dbus-daemon policy for a QEMU bus (QEMU docs/interop/dbus.rst, "dbus-daemon policy").
 * A plan (spec/policy.ts: `planPolicy` validates the users and resolves the UID scheme) says
 * who owns which well-known name and who talks to it; `renderPolicy` only turns it into a complete `<busconfig>` document that a daemon config can `<include>` and that is
 * sufficient on its own: with it, a config holding only `<listen>` and
 * `<auth>EXTERNAL</auth>` works.
 *
 * Facts of dbus-daemon 1.14 this relies on (each is exercised by test/integration):
 * - with no `<policy>`, everything is denied, even the bus driver's reply to Hello, so the
 *   default context must allow talking to the bus driver and requested replies;
 * - a uid that no `<allow user="..."/>` names cannot even connect;
 * - receiving is denied by default too: an owner needs `receive_type="method_call"`;
 * - `send_destination` / `receive_sender` match any connection that owns or is queued for
 *   the name, so QEMU may address helpers by unique name (dbus-vmstate does).
 */
import type { PolicyPlan } from '../spec/policy.js';
import { busconfigDocument, escapeXml } from '../spec/xml.js';

const DRIVER = 'org.freedesktop.DBus';
/** Bus driver interfaces every connected peer may call. Monitoring, Debug.Stats and
 * UpdateActivationEnvironment stay denied (not listed, or denied below). */
const DRIVER_INTERFACES = [
  'org.freedesktop.DBus',
  'org.freedesktop.DBus.Introspectable',
  'org.freedesktop.DBus.Peer',
  'org.freedesktop.DBus.Properties',
];

function defaultContext(users: readonly string[]): string[] {
  const a = (attrs: string): string => `    <allow ${attrs}/>`;
  return [
    '  <!-- Everyone: deny unless allowed below. Only these users may connect at all. -->',
    '  <policy context="default">',
    ...users.map((u) => a(`user="${escapeXml(u)}"`)),
    '    <!-- The bus driver: Hello, RequestName, ListQueuedOwners, AddMatch... -->',
    ...DRIVER_INTERFACES.map((i) => a(`send_destination="${DRIVER}" send_interface="${i}"`)),
    `    <deny send_destination="${DRIVER}" send_interface="${DRIVER}" send_member="UpdateActivationEnvironment"/>`,
    `    <deny send_destination="${DRIVER}" send_interface="org.freedesktop.DBus.Monitoring"/>`,
    `    <deny send_destination="${DRIVER}" send_interface="org.freedesktop.DBus.Debug.Stats"/>`,
    a(`receive_sender="${DRIVER}"`),
    '    <!-- Replies to calls that were allowed (requested replies only). -->',
    a('send_type="method_return"'),
    a('send_type="error"'),
    a('receive_type="method_return"'),
    a('receive_type="error"'),
    '  </policy>',
  ];
}

/** Per-user rules: owners own and receive calls, clients send to and hear from the name. */
function userContexts(plan: PolicyPlan): string[] {
  const out: string[] = [];
  for (const user of plan.users) {
    const owns = plan.names.filter((n) => n.owners.includes(user));
    const talksTo = plan.names.filter((n) => n.clients.includes(user));
    const lines: string[] = [];
    for (const n of owns) {
      lines.push(`    <allow own="${escapeXml(n.busName)}"/>`);
    }
    if (owns.length > 0) {
      // Only peers whose send rules name this user's names can reach it, so accepting
      // every method call here widens nothing; signals are only heard by peers whose
      // receive rules name the sender.
      lines.push('    <allow receive_type="method_call"/>');
      lines.push('    <allow send_type="signal"/>');
    }
    for (const n of talksTo) {
      lines.push(`    <allow send_destination="${escapeXml(n.busName)}"/>`);
      lines.push(`    <allow receive_sender="${escapeXml(n.busName)}"/>`);
    }
    out.push(`  <policy user="${escapeXml(user)}">`, ...lines, '  </policy>');
  }
  return out;
}

function nameSummary(plan: PolicyPlan): string[] {
  return plan.names.map(
    (n) =>
      `       ${n.busName} (${n.interfaces.join(', ')}): owned by ${n.owners.join(', ')}; ` +
      `called by ${n.clients.join(', ')}`,
  );
}

/** The complete `<busconfig>` document, deterministic for a given plan. */
export function renderPolicy(plan: PolicyPlan): string {
  const head = [
    `  dbus-daemon policy, scheme ${plan.scheme} (QEMU docs/interop/dbus.rst).`,
    ...plan.header.map((h) => `  ${h}`),
    '  Names:',
    ...nameSummary(plan),
    '  Every other user: may not connect; nothing else is allowed.',
    ...(plan.header.some((h) => h.includes('--'))
      ? ["  ('- -' stands for two hyphens, which an XML comment cannot hold.)"]
      : []),
  ];
  return busconfigDocument([...defaultContext(plan.users), ...userContexts(plan)], head.join('\n'));
}
