/**
 * dbus-vmstate pieces run under other uids: the two-uids bus, our helper (`dbus-vmstate
 * serve`, bundled) and directories and files owned by a given user.
 */
import type { ChildProcess } from 'node:child_process';
import { chownSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runPolicy } from '../../../cli/commands/policy.js';
import { PrivateBus } from '../../../runtime/private-bus.js';
import { ALL_GROUP, spawnAs, USERS } from './users.js';

const VMSTATE_XML = fileURLToPath(
  new URL('../../../interfaces/org.qemu.VMState1.xml', import.meta.url),
);

/**
 * A private bus for org.qemu.VMState1 under dbus.rst's two-uids scheme: the policy from
 * `dbus-codegen-ts policy` (QEMU user, helper user), the daemon run as the helper user (one
 * uid for QEMU, one for the bus and the helpers). Throws when the policy command fails.
 */
export async function startTwoUidsBus(): Promise<PrivateBus> {
  const r = runPolicy([VMSTATE_XML], {
    scheme: 'two-uids',
    qemuUser: USERS.qemu,
    helperUser: [USERS.helper],
  });
  if (r.exitCode !== 0) throw new Error(`policy exited ${r.exitCode}: ${r.stderr}`);
  return PrivateBus.start({ policyXml: r.stdout, group: ALL_GROUP, user: USERS.helper });
}

/** A 0700 directory `dir/name` owned by `uid`. */
export function userDir(dir: string, name: string, uid: number): string {
  const d = join(dir, name);
  mkdirSync(d, { mode: 0o700 });
  chownSync(d, uid, -1);
  return d;
}

/** Writes `data` to `file` and gives it to `uid`. */
export function writeOwned(file: string, data: Uint8Array | string, uid: number): void {
  writeFileSync(file, data);
  chownSync(file, uid, -1);
}

export interface ServedHelper {
  readonly child: ChildProcess;
  /** Resolves with the first output line (`serving ...`); rejects if it exits first. */
  readonly ready: Promise<string>;
  output(): string;
}

/** `dbus-vmstate serve` (the bundled CLI at `cli`) as `user`, in its own process group. */
export function serveAs(
  user: string,
  cli: string,
  address: string,
  id: string,
  stateFile: string,
  incoming: boolean,
): ServedHelper {
  const args = ['node', cli, 'serve', '--address', address, '--id', id, '--state-file', stateFile];
  if (incoming) args.push('--incoming');
  const child = spawnAs(user, args, ['ignore', 'pipe', 'pipe']);
  let out = '';
  let err = '';
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve(out);
    });
    child.once('exit', (code) => reject(new Error(`serve ${id} exited ${code}: ${out}${err}`)));
  });
  ready.catch(() => {});
  return { child, ready, output: () => out };
}
