/**
 * Migration end to end under the two-uids scheme of QEMU docs/interop/dbus.rst: our
 * helpers (`dbus-vmstate serve`) run as the helper user, our migrator (`dbus-vmstate save`
 * / `load`) as the QEMU user, on private buses whose policy comes from `dbus-codegen-ts
 * policy`. Everyone else is refused by the daemon.
 */
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrivateBus } from '../../runtime/private-bus.js';
import { bundleFor } from './security-support/bundle.js';
import {
  ensureUsers,
  killGroup,
  readableWorkdir,
  runAs,
  skipReason,
  USERS,
} from './security-support/users.js';
import {
  userDir as ownedDir,
  serveAs,
  startTwoUidsBus,
  writeOwned,
} from './security-support/vmstate.js';

const skip = skipReason();
if (skip !== undefined) console.log(`security-migration: skipped: ${skip}`);

const CLI = fileURLToPath(new URL('../../vmstate/cli.ts', import.meta.url));

describe.skipIf(skip !== undefined)('migration under two-uids', () => {
  let work: ReturnType<typeof readableWorkdir>;
  let cli: string;
  let uids: Record<string, number>;
  const buses: PrivateBus[] = [];
  const helpers: ChildProcess[] = [];

  const userDir = (name: string, user: string): string => ownedDir(work.dir, name, uids[user]!);

  const startBus = async (): Promise<PrivateBus> => {
    const bus = await startTwoUidsBus();
    buses.push(bus);
    return bus;
  };

  const serve = (address: string, id: string, stateFile: string, incoming: boolean) => {
    const h = serveAs(USERS.helper, cli, address, id, stateFile, incoming);
    helpers.push(h.child);
    return h;
  };

  beforeAll(async () => {
    uids = ensureUsers();
    work = readableWorkdir();
    cli = await bundleFor(CLI, work.dir, 'dbus-vmstate');
  });
  afterAll(async () => {
    for (const h of helpers) killGroup(h, 'SIGTERM');
    await Promise.all(buses.map((b) => b.stop()));
    work?.remove();
  });

  it('saves as the qemu user from helpers of the helper user, and loads on a second bus', async () => {
    const helperSrc = userDir('helper-src', USERS.helper);
    const helperDst = userDir('helper-dst', USERS.helper);
    const qemuDir = userDir('qemu', USERS.qemu);
    const states = { alpha: Buffer.from('state of alpha\n'), beta: Buffer.alloc(70_000, 7) };
    for (const [id, data] of Object.entries(states)) {
      writeOwned(join(helperSrc, id), data, uids[USERS.helper]!);
    }
    const src = await startBus();
    const dst = await startBus();
    for (const id of Object.keys(states)) {
      await serve(src.address, id, join(helperSrc, id), false).ready;
    }
    const incoming = Object.keys(states).map((id) =>
      serve(dst.address, id, join(helperDst, id), true),
    );
    await Promise.all(incoming.map((h) => h.ready));

    const blob = join(qemuDir, 'vmstate.blob');
    const saved = await runAs(USERS.qemu, [
      'node',
      cli,
      'save',
      '--address',
      src.address,
      '-o',
      blob,
    ]);
    expect(saved.stderr).toBe('');
    expect(saved.code).toBe(0);
    expect(saved.stdout).toContain('saved 2 helpers');

    const loaded = await runAs(USERS.qemu, ['node', cli, 'load', '--address', dst.address, blob]);
    expect(loaded.stderr).toBe('');
    expect(loaded.code).toBe(0);
    expect(loaded.stdout).toContain('loaded 2 helpers');
    for (const [id, data] of Object.entries(states)) {
      expect(readFileSync(join(helperDst, id)).equals(data)).toBe(true);
    }
  });

  it('a third user cannot list, save or load; the qemu user cannot pose as a helper', async () => {
    const bus = await startBus();
    const listed = await runAs(USERS.other, ['node', cli, 'list', '--address', bus.address]);
    expect(listed.code).toBe(1);
    const qemuDir = userDir('qemu-fake', USERS.qemu);
    const f = join(qemuDir, 'state');
    writeOwned(f, 'x', uids[USERS.qemu]!);
    // `timeout`: a serve that failed to own the name may linger (its connection stays open).
    const posing = await runAs(USERS.qemu, [
      'timeout',
      '-s',
      'KILL',
      '10',
      'node',
      cli,
      'serve',
      '--address',
      bus.address,
      '--id',
      'fake',
      '--state-file',
      f,
    ]);
    expect(posing.code).not.toBe(0);
    expect(posing.stderr).toMatch(/AccessDenied|not allowed to own/);
  });
});
