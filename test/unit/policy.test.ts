/**
 * The policy plan (spec/policy.ts), its emitter and the `policy` command without a daemon:
 * scheme resolution, the rules each scheme writes, errors, determinism.
 * test/integration/security-policy proves the same documents against a real dbus-daemon and
 * real uids.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { afterAll, describe, expect, it } from 'vitest';
import { runPolicy } from '../../cli/commands/policy.js';
import { renderPolicy } from '../../emitters/policy.js';
import { isValidPolicyUser, type PolicyRequest, planPolicy } from '../../spec/policy.js';

const VM = 'org.qemu.VMState1';
const names = (...n: string[]) => new Map(n.map((x) => [x, [x]]));

function render(req: PolicyRequest): string {
  const plan = planPolicy(req);
  if ('errors' in plan) throw new Error(plan.errors.join('; '));
  return renderPolicy(plan);
}

/** The rules inside `<policy user="U">`. */
function userRules(xml: string, user: string): string[] {
  const m = new RegExp(`<policy user="${user}">\\n([\\s\\S]*?)\\n  </policy>`).exec(xml);
  return m?.[1]?.split('\n').map((l) => l.trim()) ?? [];
}

describe('planPolicy + renderPolicy', () => {
  const twoUids: PolicyRequest = {
    scheme: 'two-uids',
    qemuUser: 'qemu',
    helperUsers: [{ user: 'helper', busNames: [] }],
    busNames: names(VM),
  };

  it('two-uids: the helper owns and receives calls, qemu sends and hears from the name', () => {
    const xml = render(twoUids);
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(userRules(xml, 'helper')).toEqual([
      `<allow own="${VM}"/>`,
      '<allow receive_type="method_call"/>',
      '<allow send_type="signal"/>',
    ]);
    expect(userRules(xml, 'qemu')).toEqual([
      `<allow send_destination="${VM}"/>`,
      `<allow receive_sender="${VM}"/>`,
    ]);
    const dflt = /<policy context="default">([\s\S]*?)<\/policy>/.exec(xml)?.[1] ?? '';
    expect(dflt).toContain('<allow user="qemu"/>');
    expect(dflt).toContain('<allow user="helper"/>');
    expect(dflt).not.toMatch(/user="\*"|own=|eavesdrop|send_destination="\*"/);
    expect(dflt).toContain('<allow receive_sender="org.freedesktop.DBus"/>');
    expect(dflt).toContain('send_interface="org.freedesktop.DBus.Monitoring"');
  });

  it('same-uid: one user has every right, nobody else is named', () => {
    const xml = render({
      scheme: 'same-uid',
      qemuUser: '1000',
      helperUsers: [],
      busNames: names(VM),
    });
    expect(userRules(xml, '1000')).toEqual([
      `<allow own="${VM}"/>`,
      '<allow receive_type="method_call"/>',
      '<allow send_type="signal"/>',
      `<allow send_destination="${VM}"/>`,
      `<allow receive_sender="${VM}"/>`,
    ]);
    expect(xml.match(/<allow user=/g)).toHaveLength(1);
  });

  it('per-helper: each helper owns only its names; helpers never send to names', () => {
    const xml = render({
      scheme: 'per-helper',
      qemuUser: 'qemu',
      helperUsers: [
        { user: 'a', busNames: [VM] },
        { user: 'b', busNames: ['org.example.B1', 'org.example.C1'] },
      ],
      busNames: names('org.example.C1', VM, 'org.example.B1'),
    });
    expect(userRules(xml, 'a').filter((r) => r.includes('own='))).toEqual([`<allow own="${VM}"/>`]);
    expect(userRules(xml, 'b').filter((r) => r.includes('own='))).toEqual([
      '<allow own="org.example.B1"/>',
      '<allow own="org.example.C1"/>',
    ]);
    for (const u of ['a', 'b']) expect(userRules(xml, u).join()).not.toContain('send_destination');
    expect(userRules(xml, 'qemu').filter((r) => r.includes('send_destination'))).toHaveLength(3);
  });

  it('names QEMU owns: QEMU owns and receives calls, the helpers that deal with them call', () => {
    const two = render({
      ...twoUids,
      busNames: names('org.qemu', VM),
      qemuNames: new Set(['org.qemu']),
    });
    expect(userRules(two, 'qemu')).toEqual([
      '<allow own="org.qemu"/>',
      '<allow receive_type="method_call"/>',
      '<allow send_type="signal"/>',
      `<allow send_destination="${VM}"/>`,
      `<allow receive_sender="${VM}"/>`,
    ]);
    expect(userRules(two, 'helper')).toContain('<allow send_destination="org.qemu"/>');
    const per = render({
      scheme: 'per-helper',
      qemuUser: 'qemu',
      helperUsers: [
        { user: 'ui', busNames: ['org.qemu'] },
        { user: 'vm', busNames: [VM] },
      ],
      busNames: names('org.qemu', VM),
      qemuNames: new Set(['org.qemu']),
    });
    expect(userRules(per, 'ui')).toEqual([
      '<allow send_destination="org.qemu"/>',
      '<allow receive_sender="org.qemu"/>',
    ]);
    expect(userRules(per, 'vm').join()).not.toContain('org.qemu"');
    const bad = planPolicy({ ...twoUids, qemuNames: new Set(['org.nope']) });
    expect('errors' in bad && bad.errors.join()).toMatch(/--qemu-owns org.nope/);
  });

  it('is deterministic whatever the input order', () => {
    const a = render({ ...twoUids, busNames: names('org.b.B1', 'org.a.A1') });
    const b = render({ ...twoUids, busNames: names('org.a.A1', 'org.b.B1') });
    expect(a).toBe(b);
  });

  it.each([
    [{ ...twoUids, helperUsers: [] }, /exactly one --helper-user/],
    [{ ...twoUids, helperUsers: [{ user: 'qemu', busNames: [] }] }, /must differ/],
    [{ ...twoUids, helperUsers: [{ user: 'h', busNames: [VM] }] }, /takes no "=name"/],
    [{ ...twoUids, qemuUser: '*' }, /invalid user "\*"/],
    [{ ...twoUids, qemuUser: 'a"b' }, /invalid user/],
    [{ ...twoUids, busNames: names('nodots') }, /invalid well-known bus name/],
    [{ ...twoUids, busNames: new Map() }, /no interfaces/],
    [{ ...twoUids, scheme: 'same-uid' }, /drop --helper-user/],
    [{ ...twoUids, scheme: 'per-helper' }, /needs "=NAME/],
    [
      { ...twoUids, scheme: 'per-helper', helperUsers: [{ user: 'h', busNames: ['org.x.Y'] }] },
      /no interface in the input has bus name "org.x.Y"/,
    ],
  ] as [PolicyRequest, RegExp][])('refuses a bad request (%#)', (req, re) => {
    const plan = planPolicy(req);
    expect('errors' in plan && plan.errors.join('\n')).toMatch(re);
  });

  it('accepts user names and uids, never patterns', () => {
    for (const u of ['qemu', 'libvirt-qemu', '107', '_x', 'machine$']) {
      expect(isValidPolicyUser(u)).toBe(true);
    }
    for (const u of ['', '*', 'a b', '-x', 'a/b', '<x>']) expect(isValidPolicyUser(u)).toBe(false);
  });
});

describe('policy command (runPolicy)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'policy-unit-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, body: string): string => {
    const p = join(dir, name);
    writeFileSync(p, `<node>${body}</node>`);
    return p;
  };
  const vm = file('vm.xml', `<interface name="${VM}"><method name="Save"/></interface>`);
  const multi = file(
    'multi.xml',
    '<interface name="org.freedesktop.DBus.Introspectable"><method name="Introspect">' +
      '<arg type="s" direction="out"/></method></interface>' +
      '<interface name="org.example.Thing1"><annotation name="org.dbus_codegen_ts.BusName" ' +
      'value="org.example.Things"/></interface><interface name="org.example.Other1"/>',
  );

  it('prints a policy naming the interface name as bus name, with a header', () => {
    const r = runPolicy([vm], { scheme: 'two-uids', qemuUser: 'qemu', helperUser: ['helper'] });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain(`<allow own="${VM}"/>`);
    expect(r.stdout).toContain(`Source: ${vm}`);
    expect(r.stdout).toMatch(/Regenerate: dbus-codegen-ts policy .* - -scheme two-uids/);
    expect(XMLValidator.validate(r.stdout)).toBe(true);
  });

  it('takes bus names from the annotation and --bus-name, skips standard interfaces', () => {
    const r = runPolicy([multi], {
      scheme: 'two-uids',
      qemuUser: 'qemu',
      helperUser: ['helper'],
      busName: ['org.example.Other1=org.example.Others'],
    });
    expect(r.exitCode).toBe(0);
    const owns = [...r.stdout.matchAll(/own="([^"]+)"/g)].map((m) => m[1]);
    expect(owns).toEqual(['org.example.Others', 'org.example.Things']);
  });

  it('--annotate sets the bus name annotation from the command line', () => {
    const r = runPolicy([vm], {
      scheme: 'same-uid',
      qemuUser: 'qemu',
      annotations: [
        {
          target: VM,
          name: 'org.dbus_codegen_ts.BusName',
          value: 'org.example.Vm',
          location: { file: '<command line>', line: 1, column: 1 },
        },
      ],
    });
    expect(r.stderr).toBe('');
    expect([...r.stdout.matchAll(/own="([^"]+)"/g)].map((m) => m[1])).toEqual(['org.example.Vm']);
    expect(r.stdout).toContain(
      '- -annotate org.qemu.VMState1 org.dbus_codegen_ts.BusName org.example.Vm',
    );
  });

  it('--interface restricts the names', () => {
    const r = runPolicy([multi], {
      scheme: 'same-uid',
      qemuUser: 'qemu',
      interface: ['org.example.Other1'],
    });
    expect([...r.stdout.matchAll(/own="([^"]+)"/g)].map((m) => m[1])).toEqual([
      'org.example.Other1',
    ]);
  });

  it('exit 1 with located diagnostics for broken XML, 2 for usage errors', () => {
    const bad = file('bad.xml', '<interface name="x"><method name="1"/></interface>');
    const r1 = runPolicy([bad], { scheme: 'same-uid', qemuUser: 'q' });
    expect(r1.exitCode).toBe(1);
    expect(r1.stderr).toMatch(/bad\.xml:1:\d+: error DBUS/);
    const r2 = runPolicy([vm], {
      scheme: 'per-helper',
      qemuUser: 'q',
      helperUser: ['h=org.nope.X'],
    });
    expect(r2.exitCode).toBe(2);
    expect(r2.stderr).toMatch(/no interface in the input has bus name "org.nope.X"/);
    const r3 = runPolicy([join(dir, 'missing.xml')], { scheme: 'same-uid', qemuUser: 'q' });
    expect(r3.exitCode).toBe(1);
    expect(r3.stderr).toMatch(/missing\.xml:1:1: error DBUS090: cannot read input/);
    expect(r3.stderr).not.toMatch(/\n\s+at /);
    const r4 = runPolicy([vm], { scheme: 'same-uid', qemuUser: 'q', busName: [`${VM}=:1.2`] });
    expect(r4.exitCode).toBe(2);
  });
});
