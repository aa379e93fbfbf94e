/**
 * Real uids for the security tests: system users created on demand (CI runs as root),
 * processes started under them with `runuser`, and a world-readable directory for what
 * they run (the checkout itself may sit under a 0700 home).
 */
import {
  type ChildProcess,
  execFileSync,
  type StdioOptions,
  spawn,
  spawnSync,
} from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const USERS = {
  qemu: 'dbuscg-qemu',
  helper: 'dbuscg-helper',
  helperB: 'dbuscg-helper-b',
  other: 'dbuscg-other',
} as const;
/** QEMU and its helpers: may traverse the bus directory. */
export const VM_GROUP = 'dbuscg-vm';
/** Everyone above, `other` included: used where the daemon policy alone must refuse. */
export const ALL_GROUP = 'dbuscg-all';

const HERE = dirname(fileURLToPath(import.meta.url));
export const PYTHON = '/usr/bin/python3';

function ok(cmd: string, args: string[]): boolean {
  return spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
}

/** Why these tests cannot run here, or undefined when they can. */
export function skipReason(): string | undefined {
  if (process.getuid?.() !== 0) return 'not root: cannot create users or switch uid';
  for (const tool of ['runuser', 'useradd', 'groupadd', 'usermod', 'dbus-daemon', 'gdbus']) {
    if (!ok('sh', ['-c', `command -v ${tool}`])) return `${tool} not found`;
  }
  if (!ok(PYTHON, ['-c', 'import gi; gi.require_version("Gio", "2.0")'])) {
    return `${PYTHON} has no gi (python3-gi)`;
  }
  return undefined;
}

/** useradd/groupadd take a lock on /etc/passwd; parallel test files may collide. */
function retry(cmd: string, args: string[]): void {
  for (let i = 0; ; i++) {
    const r = spawnSync(cmd, args, { encoding: 'utf8' });
    if (r.status === 0) return;
    if (i >= 20) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}`);
    execFileSync('sleep', ['0.2']);
  }
}

/** Creates the users and groups if absent; returns uid by user name. */
export function ensureUsers(): Record<string, number> {
  for (const group of [VM_GROUP, ALL_GROUP]) {
    if (!ok('getent', ['group', group])) {
      if (!ok('groupadd', ['--system', group]) && !ok('getent', ['group', group])) {
        retry('groupadd', ['--system', group]);
      }
    }
  }
  const uids: Record<string, number> = {};
  for (const user of Object.values(USERS)) {
    if (!ok('id', ['-u', user])) {
      const args = ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', user];
      if (!ok('useradd', args) && !ok('id', ['-u', user])) retry('useradd', args);
    }
    const groups = user === USERS.other ? [ALL_GROUP] : [VM_GROUP, ALL_GROUP];
    const have = execFileSync('id', ['-Gn', user], { encoding: 'utf8' }).split(/\s+/);
    if (groups.some((g) => !have.includes(g))) retry('usermod', ['-aG', groups.join(','), user]);
    uids[user] = Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }).trim());
  }
  return uids;
}

/** A 0755 temp dir holding copies of the scripts other users run. */
export function readableWorkdir(): { dir: string; owner: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'dbuscg-sec-'));
  chmodSync(dir, 0o755);
  const owner = join(dir, 'owner.py');
  copyFileSync(join(HERE, 'owner.py'), owner);
  chmodSync(owner, 0o755);
  return { dir, owner, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Starts argv as `user` through runuser, in its own process group: runuser forks the command,
 * so a SIGKILL to runuser alone would orphan it. Stop such a child with killGroup.
 */
export function spawnAs(user: string, argv: readonly string[], stdio: StdioOptions): ChildProcess {
  return spawn('runuser', ['-u', user, '--', ...argv], { stdio, detached: true });
}

/** Signals a child and, when it leads its own process group (spawnAs), everything in it. */
export function killGroup(c: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): void {
  if (c.pid !== undefined) {
    try {
      process.kill(-c.pid, signal);
    } catch {
      // not a group leader, or already gone
    }
  }
  c.kill(signal);
}

/** Runs argv as `user` to completion. */
export function runAs(user: string, argv: string[], timeoutMs = 15_000): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawnAs(user, argv, ['ignore', 'pipe', 'pipe']);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => killGroup(child), timeoutMs);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The arguments of `gdbus call` (after `gdbus`), with a 5 s timeout. */
export function gdbusCallArgs(
  address: string,
  dest: string,
  path: string,
  method: string,
  ...args: string[]
): string[] {
  return [
    'call',
    '--address',
    address,
    '--timeout',
    '5',
    '--dest',
    dest,
    '--object-path',
    path,
    '--method',
    method,
    ...args,
  ];
}

/** `gdbus call` as `user`. */
export function gdbusCall(
  user: string,
  address: string,
  dest: string,
  path: string,
  method: string,
  ...args: string[]
): Promise<RunResult> {
  return runAs(user, ['gdbus', ...gdbusCallArgs(address, dest, path, method, ...args)]);
}

export interface Owner {
  readonly child: ChildProcess;
  /** Every line printed so far. */
  readonly lines: string[];
  /** The first line: `ready N`, `own-error NAME` or `connect-error TEXT`. */
  readonly first: string;
  waitFor(re: RegExp, timeoutMs?: number): Promise<string>;
  stop(): Promise<void>;
}

/** Starts owner.py as `user` and waits for its first line. */
export async function startOwner(
  script: string,
  user: string,
  address: string,
  busName: string,
  id: string,
  spy = false,
): Promise<Owner> {
  const argv = [PYTHON, script, address, busName, id, ...(spy ? ['--spy'] : [])];
  const child = spawnAs(user, argv, ['pipe', 'pipe', 'pipe']);
  const lines: string[] = [];
  const waiters: { re: RegExp; resolve: (l: string) => void }[] = [];
  let buf = '';
  let err = '';
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  child.stdout?.on('data', (d: Buffer) => {
    buf += d.toString();
    for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      lines.push(line);
      for (const w of waiters.filter((x) => x.re.test(line))) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const waitFor = (re: RegExp, timeoutMs = 10_000): Promise<string> => {
    const seen = lines.find((l) => re.test(l));
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`owner ${user}: no line ${re} in ${JSON.stringify(lines)} ${err}`)),
        timeoutMs,
      );
      waiters.push({
        re,
        resolve: (l) => {
          clearTimeout(timer);
          resolve(l);
        },
      });
    });
  };
  const first = await waitFor(/^(ready|own-error|connect-error)/);
  return {
    child,
    lines,
    first,
    waitFor,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.stdin?.end();
        const t = setTimeout(() => killGroup(child), 3000);
        await exited;
        clearTimeout(t);
      }
    },
  };
}

/** True when `pid` is gone (or a zombie nobody reaped: PID 1 in containers may not). */
export function processGone(pid: number): boolean {
  if (!existsSync(`/proc/${pid}`)) return true;
  try {
    return /^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return true;
  }
}
