/**
 * PrivateBus: a private dbus-daemon per VM, its directory, its config, its lifetime (no
 * orphan survives the parent, even a SIGKILLed one).
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../runtime/connection.js';
import { PrivateBus } from '../../runtime/private-bus.js';
import { makeTempDir, removeDir } from '../support/temp-dir.js';
import {
  ensureUsers,
  gdbusCallArgs,
  processGone,
  skipReason,
  USERS,
  VM_GROUP,
} from './security-support/users.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const hasDaemon = (() => {
  try {
    execFileSync('dbus-daemon', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!hasDaemon) console.log('private-bus: skipped: dbus-daemon not installed');
const uidSkip = skipReason();
if (hasDaemon && uidSkip !== undefined) console.log(`private-bus (uid cases): skipped: ${uidSkip}`);

function gdbusGetId(address: string, asUser?: string): string {
  const argv = gdbusCallArgs(
    address,
    'org.freedesktop.DBus',
    '/org/freedesktop/DBus',
    'org.freedesktop.DBus.GetId',
  );
  return asUser === undefined
    ? execFileSync('gdbus', argv, { encoding: 'utf8' })
    : execFileSync('runuser', ['-u', asUser, '--', 'gdbus', ...argv], {
        encoding: 'utf8',
        stdio: 'pipe',
      });
}

async function until(check: () => boolean, timeoutMs = 5000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 25));
  }
  return true;
}

interface ChildInfo {
  pid: number;
  supervisorPid: number;
  dir: string;
}

function startChild(mode: 'idle' | 'exit'): Promise<{ info: ChildInfo; kill: () => void }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(HERE, 'private-bus-child.mts'), mode],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0)
        resolve({
          info: JSON.parse(out.slice(0, nl)) as ChildInfo,
          kill: () => child.kill('SIGKILL'),
        });
    });
    child.once('exit', (code) => {
      if (!out.includes('\n')) reject(new Error(`child exited ${code} before reporting`));
    });
  });
}

describe.skipIf(!hasDaemon)('PrivateBus', () => {
  const buses: PrivateBus[] = [];
  afterEach(async () => {
    await Promise.all(buses.splice(0).map((b) => b.stop()));
  });

  it('listens on a unix socket in a fresh 0700 directory and answers', async () => {
    const bus = await PrivateBus.start();
    buses.push(bus);
    expect(bus.address).toBe(`unix:path=${bus.socketPath}`);
    expect(dirname(bus.socketPath)).toBe(bus.dir);
    expect(statSync(bus.dir).mode & 0o777).toBe(0o700);
    expect(statSync(bus.dir).uid).toBe(process.getuid?.());
    expect(gdbusGetId(bus.address)).toMatch(/^\('[0-9a-f]{32}',\)/);
  });

  it('writes a config with EXTERNAL auth only, no TCP, no activation, and limits', async () => {
    const bus = await PrivateBus.start({ limits: { max_connections_per_user: 7 } });
    buses.push(bus);
    const conf = readFileSync(join(bus.dir, 'bus.conf'), 'utf8');
    expect(conf.match(/<auth>/g)).toEqual(['<auth>']);
    expect(conf).toContain('<auth>EXTERNAL</auth>');
    expect(conf.match(/<listen>/g)).toEqual(['<listen>']);
    expect(conf).not.toMatch(/tcp:|servicedir|allow_anonymous|eavesdrop/);
    expect(conf).toContain('<limit name="max_connections_per_user">7</limit>');
    expect(conf).toContain('<limit name="reply_timeout">');
  });

  it('stop terminates the daemon and removes its directory; twice is fine', async () => {
    const bus = await PrivateBus.start();
    const pid = bus.pid!;
    await bus.stop();
    await bus.stop();
    expect(existsSync(bus.dir)).toBe(false);
    expect(await until(() => processGone(pid))).toBe(true);
  });

  it('if the daemon dies on its own, the supervisor removes the directory; stop still works', async () => {
    const bus = await PrivateBus.start();
    process.kill(bus.pid!, 'SIGKILL');
    expect(await until(() => !existsSync(bus.dir))).toBe(true);
    expect(await until(() => processGone(bus.supervisorPid!))).toBe(true);
    await bus.stop();
  });

  it('a broken config fails start with the daemon message and leaves nothing behind', async () => {
    const parentDir = makeTempDir('private-bus-test-');
    try {
      await expect(
        PrivateBus.start({ parentDir, policyXml: '<policy context="nonsense">' }),
      ).rejects.toThrow(/dbus-daemon exited before listening/);
      expect(readdirSync(parentDir)).toEqual([]);
    } finally {
      removeDir(parentDir);
    }
  });

  it.each(['idle', 'exit'] as const)('no orphan survives the parent (%s)', async (mode) => {
    const { info, kill } = await startChild(mode);
    expect(processGone(info.pid)).toBe(false);
    if (mode === 'idle') kill(); // SIGKILL: no exit handler runs in the parent
    expect(await until(() => processGone(info.pid))).toBe(true);
    expect(await until(() => processGone(info.supervisorPid))).toBe(true);
    expect(await until(() => !existsSync(info.dir))).toBe(true);
  });

  describe.skipIf(uidSkip !== undefined)('with a shared group and a daemon user', () => {
    beforeAll(() => {
      ensureUsers();
    });

    it('the directory is ours, group-traversable (0750), and the group reaches the bus', async () => {
      const bus = await PrivateBus.start({ group: VM_GROUP, user: USERS.helper });
      buses.push(bus);
      const st = statSync(bus.dir);
      expect(st.mode & 0o777).toBe(0o750);
      expect(st.gid).toBe(
        Number(execFileSync('getent', ['group', VM_GROUP], { encoding: 'utf8' }).split(':')[2]),
      );
      const status = readFileSync(`/proc/${bus.pid}/status`, 'utf8');
      const uid = execFileSync('id', ['-u', USERS.helper], { encoding: 'utf8' }).trim();
      expect(status).toMatch(new RegExp(`^Uid:\\s+${uid}\\s`, 'm'));
      // Default policy = one UID: the daemon's own user may connect, a group member may not.
      expect(gdbusGetId(bus.address, USERS.helper)).toMatch(/^\('/);
      expect(() => gdbusGetId(bus.address, USERS.qemu)).toThrow();
      expect(() => gdbusGetId(bus.address, USERS.other)).toThrow();
    });

    it('a group-writable directory (0770) gets the sticky bit', async () => {
      const bus = await PrivateBus.start({ group: VM_GROUP, dirMode: 0o770 });
      buses.push(bus);
      expect(statSync(bus.dir).mode & 0o7777).toBe(0o1770);
      const r = spawnSync(
        'runuser',
        ['-u', USERS.qemu, '--', 'mv', bus.socketPath, `${bus.socketPath}.x`],
        {
          encoding: 'utf8',
        },
      );
      expect(r.status).not.toBe(0); // a group member cannot move the socket away
      expect(existsSync(bus.socketPath)).toBe(true);
    });

    it('refuses a group mode without a group', async () => {
      await expect(PrivateBus.start({ dirMode: 0o770 })).rejects.toThrow(/needs a group/);
    });
  });
});

describe('PrivateBus in a directory whose path needs escaping', () => {
  it('listens, answers and hands out an address clients can use', async () => {
    const parent = makeTempDir('odd-bus-dir-');
    const odd = join(parent, 'a b&<c>,d;e=f%g');
    mkdirSync(odd);
    try {
      const b = await PrivateBus.start({ parentDir: odd });
      try {
        const c = await connect(b.address);
        expect(c.uniqueName).toMatch(/^:1\./);
        await c.close();
      } finally {
        await b.stop();
      }
    } finally {
      removeDir(parent);
    }
  });
});
