/**
 * The skeleton authorization hook (`allowUids`) with callers under real uids, and what a
 * failing handler lets a peer see (no stack, no paths).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VMState1Proxy, VMState1Skeleton } from '../../generated/org.qemu.VMState1.js';
import { type Connection, connect, DBusError } from '../../runtime/index.js';
import { PrivateBus } from '../../runtime/private-bus.js';
import {
  allOf,
  allowUids,
  anyOf,
  forMembers,
  resolveUid,
} from '../../runtime/security/uid-policy.js';
import { ALL_GROUP, ensureUsers, gdbusCall, skipReason, USERS } from './security-support/users.js';

const skip = skipReason();
if (skip !== undefined) console.log(`security-hook (uid cases): skipped: ${skip}`);

const run = promisify(execFile);
const PATH = '/org/qemu/VMState1';
const IFACE = 'org.qemu.VMState1';
/** Daemon lets everyone in: the hook alone must refuse. */
const OPEN_POLICY = `<policy context="default">
  <allow user="*"/><allow send_destination="*"/><allow receive_sender="*"/><allow own="*"/>
</policy>`;

describe('allowUids (no bus)', () => {
  const req = (uid: number | undefined) => ({
    sender: ':1.1',
    uid,
    path: PATH,
    interfaceName: IFACE,
    member: 'Save',
  });

  it('allows listed uids only and fails closed on an unknown uid', () => {
    const a = allowUids([0, '1000']);
    expect(a(req(0))).toBe(true);
    expect(a(req(1000))).toBe(true);
    expect(a(req(1001))).toBe(false);
    expect(a(req(undefined))).toBe(false);
    expect(allowUids([])(req(0))).toBe(false);
  });

  it('resolves names once and refuses unknown or malformed users', () => {
    expect(resolveUid('root')).toBe(0);
    expect(() => resolveUid('no-such-user-dbuscg')).toThrow(/unknown user/);
    expect(() => resolveUid('-rf')).toThrow(/invalid user/);
    expect(() => resolveUid(-1)).toThrow(RangeError);
  });

  it('combines with allOf, anyOf and forMembers', async () => {
    const onlyRoot = allowUids([0]);
    const no = () => false;
    expect(await allOf(onlyRoot, no)(req(0))).toBe(false);
    expect(await anyOf(no, onlyRoot)(req(0))).toBe(true);
    const guarded = forMembers(['Load'], onlyRoot);
    expect(await guarded(req(5))).toBe(true); // Save is not guarded
    expect(await guarded({ ...req(5), member: 'Load' })).toBe(false);
    expect(await guarded({ ...req(0), member: `${IFACE}.Load` })).toBe(true);
  });
});

describe('skeleton errors reaching a peer', () => {
  let bus: PrivateBus;
  let server: Connection;
  let client: Connection;
  beforeAll(async () => {
    bus = await PrivateBus.start();
    server = await connect(bus.address);
    client = await connect(bus.address);
  });
  afterAll(async () => {
    await client?.close();
    await server?.close();
    await bus?.stop();
  });

  it('a handler throwing a plain Error gives Failed with no stack, path or line', async () => {
    new VMState1Skeleton(
      server,
      PATH,
      {
        save: () => {
          throw new Error(`secret at ${import.meta.url}`);
        },
        load: async () => {
          await Promise.resolve();
          throw new TypeError('boom');
        },
      },
      { id: 'x' },
    );
    const proxy = new VMState1Proxy(client, server.uniqueName, PATH);
    for (const call of [() => proxy.save(), () => proxy.load(new Uint8Array([1]))]) {
      const err = await call().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(DBusError);
      const { type, text } = err as DBusError;
      expect(type).toBe('org.freedesktop.DBus.Error.Failed');
      expect(text).not.toMatch(/\/|\\|:\d+:\d+|\bat\s|secret|boom|Error/);
    }
    // The same through an independent client.
    // The same through an independent client (async: the server lives in this process).
    const g = await run('gdbus', [
      'call',
      '--address',
      bus.address,
      '-d',
      server.uniqueName,
      '-o',
      PATH,
      '-m',
      `${IFACE}.Save`,
    ]).catch((e: { stderr: string }) => e.stderr);
    expect(g).toContain('org.freedesktop.DBus.Error.Failed');
    expect(g).not.toMatch(/\.ts|\.js|:\d+:\d+/);
  });
});

describe.skipIf(skip !== undefined)('allowUids on a skeleton, callers under real uids', () => {
  let bus: PrivateBus;
  let server: Connection;
  const calls: string[] = [];
  beforeAll(async () => {
    ensureUsers();
    bus = await PrivateBus.start({ policyXml: OPEN_POLICY, group: ALL_GROUP });
    server = await connect(bus.address);
    new VMState1Skeleton(
      server,
      PATH,
      {
        save: (ctx) => {
          calls.push(`save ${ctx.sender}`);
          return Buffer.from('state');
        },
        load: () => {
          calls.push('load');
        },
      },
      { id: 'guarded' },
      { authorize: allowUids([USERS.qemu]) },
    );
  });
  afterAll(async () => {
    await server?.close();
    await bus?.stop();
  });

  it('answers a listed uid', async () => {
    const r = await gdbusCall(USERS.qemu, bus.address, server.uniqueName, PATH, `${IFACE}.Save`);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('0x73, 0x74'); // "st"
    expect(calls).toHaveLength(1);
  });

  it.each([USERS.other, USERS.helper])(
    'denies %s with AccessDenied; the handler never runs',
    async (user) => {
      const before = calls.length;
      for (const [method, ...args] of [
        [`${IFACE}.Save`],
        [`${IFACE}.Load`, '[byte 1]'],
        ['org.freedesktop.DBus.Properties.GetAll', IFACE],
        ['org.freedesktop.DBus.Properties.Get', IFACE, 'Id'],
      ] as [string, ...string[]][]) {
        const r = await gdbusCall(user, bus.address, server.uniqueName, PATH, method, ...args);
        expect(r.code).not.toBe(0);
        expect(r.stderr).toContain('org.freedesktop.DBus.Error.AccessDenied');
        expect(r.stdout).toBe('');
      }
      expect(calls).toHaveLength(before);
    },
  );

  it('denies this process too unless includeSelf', async () => {
    const self = await connect(bus.address);
    try {
      const proxy = new VMState1Proxy(self, server.uniqueName, PATH);
      await expect(proxy.save()).rejects.toMatchObject({
        type: 'org.freedesktop.DBus.Error.AccessDenied',
      });
    } finally {
      await self.close();
    }
  });
});
