/**
 * The emitted dbus-daemon policy, proven with real processes under real uids (issue 5):
 * an unauthorised peer is refused by the daemon itself.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PolicyCommandOptions, runPolicy } from '../../cli/commands/policy.js';
import { PrivateBus } from '../../runtime/private-bus.js';
import { deferred, within } from '../support/events.js';
import {
  ALL_GROUP,
  ensureUsers,
  gdbusCall,
  killGroup,
  type Owner,
  readableWorkdir,
  skipReason,
  spawnAs,
  startOwner,
  USERS,
  VM_GROUP,
} from './security-support/users.js';

const skip = skipReason();
if (skip !== undefined) console.log(`security-policy: skipped: ${skip}`);

const VMSTATE = 'org.qemu.VMState1';
const B_NAME = 'org.example.HelperB1';
const PATH = '/org/qemu/VMState1';
const VMSTATE_XML = fileURLToPath(
  new URL('../../interfaces/org.qemu.VMState1.xml', import.meta.url),
);

/** The policy through the real command, over the corpus XML (plus a test interface). */
function policy(
  dir: string,
  opts: Omit<PolicyCommandOptions, 'scheme'> & Pick<PolicyCommandOptions, 'scheme'>,
  withB = false,
): string {
  const files = [VMSTATE_XML];
  if (withB) {
    files.push(join(dir, 'helper-b.xml'));
    writeFileSync(
      files[1]!,
      `<node><interface name="${B_NAME}"><method name="Save"/></interface></node>`,
    );
  }
  const r = runPolicy(files, opts);
  if (r.exitCode !== 0) throw new Error(r.stderr);
  return r.stdout;
}

describe.skipIf(skip !== undefined)('dbus-daemon policy with real uids', () => {
  let work: ReturnType<typeof readableWorkdir>;
  const owners: Owner[] = [];
  const buses: PrivateBus[] = [];
  const own = async (
    ...a: Parameters<typeof startOwner> extends [string, ...infer R] ? R : never
  ) => {
    const o = await startOwner(work.owner, ...a);
    owners.push(o);
    return o;
  };
  const bus = async (policyXml: string, group = ALL_GROUP) => {
    const b = await PrivateBus.start({ policyXml, group });
    buses.push(b);
    return b;
  };

  beforeAll(() => {
    ensureUsers();
    work = readableWorkdir();
  });
  afterAll(async () => {
    await Promise.all(owners.map((o) => o.stop()));
    await Promise.all(buses.map((b) => b.stop()));
    work?.remove();
  });

  describe('two-uids', () => {
    let address: string;
    beforeAll(async () => {
      const xml = policy(work.dir, {
        scheme: 'two-uids',
        qemuUser: USERS.qemu,
        helperUser: [USERS.helper],
      });
      address = (await bus(xml)).address;
    });

    it('the helper user owns the name and the qemu user calls Save', async () => {
      const helper = await own(USERS.helper, address, VMSTATE, 'helperA');
      expect(helper.first).toBe('ready 1');
      const r = await gdbusCall(USERS.qemu, address, VMSTATE, PATH, `${VMSTATE}.Save`);
      expect(r.stderr).toBe('');
      expect(r.stdout).toContain('0x68, 0x65'); // "he" of helperA
      const all = await gdbusCall(
        USERS.qemu,
        address,
        VMSTATE,
        PATH,
        'org.freedesktop.DBus.Properties.GetAll',
        VMSTATE,
      );
      expect(all.stdout).toContain("'Id': <'helperA'>");
    });

    it('a second helper under the helper user queues, and qemu reaches it by unique name', async () => {
      const second = await own(USERS.helper, address, VMSTATE, 'helperB');
      expect(second.first).toBe('ready 2'); // IN_QUEUE
      const q = await gdbusCall(
        USERS.qemu,
        address,
        'org.freedesktop.DBus',
        '/org/freedesktop/DBus',
        'org.freedesktop.DBus.ListQueuedOwners',
        VMSTATE,
      );
      const unique = [...q.stdout.matchAll(/':1\.[0-9]+'/g)].map((m) => m[0].slice(1, -1));
      expect(unique).toHaveLength(2);
      const r = await gdbusCall(USERS.qemu, address, unique[1]!, PATH, `${VMSTATE}.Save`);
      expect(r.stdout).toContain('0x68, 0x65');
    });

    it('a third user can reach the socket but the daemon refuses it', async () => {
      const r = await gdbusCall(USERS.other, address, VMSTATE, PATH, `${VMSTATE}.Save`);
      expect(r.code).not.toBe(0);
      expect(r.stdout).toBe('');
      const o = await own(USERS.other, address, VMSTATE, 'evil');
      expect(o.first).toMatch(/^connect-error /);
    });

    it('the qemu user cannot own the helper name; the helper cannot call itself', async () => {
      const o = await own(USERS.qemu, address, VMSTATE, 'fake');
      expect(o.first).toBe('own-error org.freedesktop.DBus.Error.AccessDenied');
      const r = await gdbusCall(USERS.helper, address, VMSTATE, PATH, `${VMSTATE}.Save`);
      expect(r.stderr).toContain('AccessDenied');
    });
  });

  describe('per-helper', () => {
    let address: string;
    let a: Owner;
    let b: Owner;
    beforeAll(async () => {
      const xml = policy(
        work.dir,
        {
          scheme: 'per-helper',
          qemuUser: USERS.qemu,
          helperUser: [`${USERS.helper}=${VMSTATE}`, `${USERS.helperB}=${B_NAME}`],
        },
        true,
      );
      address = (await bus(xml)).address;
      a = await own(USERS.helper, address, VMSTATE, 'A', true);
      b = await own(USERS.helperB, address, B_NAME, 'B');
    });

    it('each helper owns its own name; qemu calls both', async () => {
      expect(a.first).toBe('ready 1');
      expect(b.first).toBe('ready 1');
      for (const dest of [VMSTATE, B_NAME]) {
        const r = await gdbusCall(USERS.qemu, address, dest, PATH, `${VMSTATE}.Save`);
        expect(r.stderr).toBe('');
      }
    });

    it("helper A's user cannot own helper B's name", async () => {
      const o = await own(USERS.helper, address, B_NAME, 'A2');
      expect(o.first).toBe('own-error org.freedesktop.DBus.Error.AccessDenied');
    });

    it("B's signals reach qemu, which may hear B, and not helper A", async () => {
      expect(await a.waitFor(/^spy-signals /)).toBe('spy-signals ok'); // a plain match is fine
      const monitor = spawnAs(
        USERS.qemu,
        ['gdbus', 'monitor', '--address', address, '--dest', B_NAME],
        ['ignore', 'pipe', 'ignore'],
      );
      let seen = '';
      const printed = (re: RegExp) => {
        const d = deferred();
        const check = () => {
          if (re.test(seen)) d.resolve();
        };
        monitor.stdout?.on('data', check);
        check();
        return d.promise;
      };
      monitor.stdout?.on('data', (d: Buffer) => {
        seen += d.toString();
      });
      try {
        // gdbus sends its AddMatch before the GetNameOwner whose answer it prints as "is owned
        // by": once that line is out, the bus has the match rule.
        await within(printed(/is owned by/), 'gdbus monitor watching B');
        const r = await gdbusCall(USERS.qemu, address, B_NAME, PATH, `${VMSTATE}.Load`, '[byte 2]');
        expect(r.stderr).toBe('');
        await within(printed(/PropertiesChanged/), "B's PropertiesChanged at the monitor").catch(
          () => undefined,
        );
        expect(seen).toContain('PropertiesChanged');
        expect(a.lines.filter((l) => l.includes('PropertiesChanged'))).toEqual([]);
      } finally {
        killGroup(monitor, 'SIGTERM');
      }
    });

    it("helper A cannot call helper B, nor eavesdrop on B's calls", async () => {
      const r = await gdbusCall(USERS.helper, address, B_NAME, PATH, `${VMSTATE}.Save`);
      expect(r.stderr).toContain('AccessDenied');
      expect(await a.waitFor(/^spy-match /)).not.toBe('spy-match ok');
      expect(await a.waitFor(/^spy-monitor /)).not.toBe('spy-monitor ok');
      await gdbusCall(USERS.qemu, address, B_NAME, PATH, `${VMSTATE}.Load`, '[byte 1]');
      await b.waitFor(/^msg method-call org\.qemu\.VMState1\.Load/);
      expect(a.lines.filter((l) => l.includes('Load'))).toEqual([]);
    });
  });

  describe('same-uid', () => {
    it('one user owns and calls; others are refused', async () => {
      const xml = policy(work.dir, { scheme: 'same-uid', qemuUser: USERS.qemu });
      const { address } = await bus(xml);
      expect((await own(USERS.qemu, address, VMSTATE, 'self')).first).toBe('ready 1');
      const r = await gdbusCall(USERS.qemu, address, VMSTATE, PATH, `${VMSTATE}.Save`);
      expect(r.stderr).toBe('');
      expect((await own(USERS.helper, address, VMSTATE, 'x')).first).toMatch(/^connect-error/);
    });
  });

  it('the document is sufficient alone: listen + EXTERNAL + include', async () => {
    const xml = policy(work.dir, {
      scheme: 'two-uids',
      qemuUser: USERS.qemu,
      helperUser: [USERS.helper],
    });
    writeFileSync(join(work.dir, 'policy.conf'), xml, { mode: 0o644 });
    const sock = join(work.dir, 'bare.sock');
    writeFileSync(
      join(work.dir, 'bare.conf'),
      `<busconfig><listen>unix:path=${sock}</listen><auth>EXTERNAL</auth>` +
        `<include>${join(work.dir, 'policy.conf')}</include></busconfig>`,
    );
    const daemon = spawn(
      'dbus-daemon',
      ['--nofork', '--print-address=1', `--config-file=${join(work.dir, 'bare.conf')}`],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    );
    try {
      const address = await new Promise<string>((resolve, reject) => {
        daemon.stdout.once('data', (d: Buffer) => resolve(d.toString().trim()));
        daemon.once('exit', (c) => reject(new Error(`dbus-daemon exited ${c}`)));
      });
      const helper = await own(USERS.helper, address, VMSTATE, 'bare');
      expect(helper.first).toBe('ready 1');
      const r = await gdbusCall(USERS.qemu, address, VMSTATE, PATH, `${VMSTATE}.Save`);
      expect(r.stderr).toBe('');
      expect((await own(USERS.other, address, VMSTATE, 'x')).first).toMatch(/^connect-error/);
      await helper.stop();
    } finally {
      daemon.kill('SIGTERM');
    }
  });

  it('the bus directory keeps users outside the VM group away from the socket', async () => {
    const xml = policy(work.dir, {
      scheme: 'two-uids',
      qemuUser: USERS.qemu,
      helperUser: [USERS.helper],
    });
    const b = await bus(xml, VM_GROUP);
    const o = await own(USERS.other, b.address, VMSTATE, 'x');
    expect(o.first).toMatch(/^connect-error .*(Permission denied|EACCES)/i);
    expect((await own(USERS.helper, b.address, VMSTATE, 'ok')).first).toBe('ready 1');
  });
});
