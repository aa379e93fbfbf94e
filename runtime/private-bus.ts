/**
 * A private dbus-daemon for one VM (QEMU docs/interop/dbus.rst: a QEMU bus is private to
 * one VM). Writes its own config into a fresh directory that only the VM's users can
 * reach, starts the daemon under a watchdog, waits until it listens, and on stop
 * terminates it and removes the directory.
 *
 * No orphan survives this process: the daemon runs under a tiny `sh` supervisor whose
 * stdin is a pipe from us. When we exit or are killed (even SIGKILL) the pipe closes, the
 * supervisor kills the daemon and removes the directory. The daemon also gets
 * `PR_SET_PDEATHSIG` (via `setpriv`, when present) so it dies if the supervisor does.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BusLimits, privateBusConfigText, SAME_UID_POLICY } from './security/bus-config.js';
import { escapeValue } from './transport/address.js';

export { type BusLimits, DEFAULT_BUS_LIMITS } from './security/bus-config.js';

/** Options of {@link PrivateBus.start}; every one has a default. */
export interface PrivateBusOptions {
  /** Parent directory for the bus directory (default: the OS temp dir). */
  readonly parentDir?: string;
  /**
   * The policy: `<policy>` elements placed in the config, or a complete `<busconfig>`
   * document (what `dbus-codegen-ts policy` prints), written beside it and included.
   * Default: the one-UID scheme (only this process's uid can connect; it may do anything
   * but eavesdrop).
   */
  readonly policyXml?: string;
  /** Extra config lines, placed last. */
  readonly extraConfig?: string;
  /** Overrides of `DEFAULT_BUS_LIMITS`. */
  readonly limits?: Partial<BusLimits>;
  /**
   * Group (name or gid) shared by QEMU and its helpers when they run as several uids. The
   * directory becomes `<our uid>:<group>` with `dirMode` (default 0750 with a group).
   */
  readonly group?: string | number;
  /**
   * Directory mode: 0o700 (default without `group`), 0o750 (default with it) or 0o770
   * (helpers may create files beside the socket; the sticky bit is added so that they
   * cannot replace it).
   */
  readonly dirMode?: 0o700 | 0o750 | 0o770;
  /** Run the daemon as this user (dbus-daemon `<user>`; needs root). */
  readonly user?: string;
  /** dbus-daemon binary (default `dbus-daemon` from PATH). */
  readonly daemon?: string;
  /** How long to wait for the daemon to listen (ms, default 10 000). */
  readonly startTimeoutMs?: number;
}

/** Config for the given socket and inline policy (kept for callers of the first version). */
export function privateBusConfig(socketPath: string, policyXml: string, extra = ''): string {
  return privateBusConfigText({ socketPath, policyXml, extra });
}

/**
 * `$1`: directory to remove at the end; the rest: the daemon's argv. Prints `pid N`, then
 * the daemon prints its address when it listens. A subshell (no extra process) reads our
 * pipe on fd 3 and kills the daemon at EOF.
 */
const SUPERVISOR = `dir=$1; shift
exec 3<&0 </dev/null
"$@" 3<&- &
d=$!
echo "pid $d"
( while IFS= read -r _; do :; done <&3; kill -TERM "$d" 2>/dev/null ) &
w=$!
exec 3<&-
wait "$d"; rc=$?
kill "$w" 2>/dev/null
rm -rf -- "$dir"
exit $rc`;

const SETPRIV = '/usr/bin/setpriv';

/**
 * A private dbus-daemon for one VM: its own config (EXTERNAL auth on one unix socket, the
 * given policy, bounded limits) in a fresh directory only the VM's users can reach. The
 * daemon cannot outlive this process.
 *
 * @example
 * ```ts
 * const bus = await PrivateBus.start({ policyXml: renderedPolicy });
 * const conn = await connect(bus.address);
 * // ... pass bus.address to QEMU and helpers ...
 * await bus.stop();
 * ```
 */
export class PrivateBus {
  private exited = false;
  private constructor(
    /** The D-Bus address to hand to clients and to QEMU (`unix:path=...`). */
    readonly address: string,
    readonly socketPath: string,
    readonly dir: string,
    private readonly supervisor: ChildProcess,
    private daemonPid: number | undefined,
  ) {
    supervisor.once('exit', () => {
      this.exited = true;
    });
  }

  /** The dbus-daemon's pid (undefined only if it never started). */
  get pid(): number | undefined {
    return this.daemonPid;
  }

  /** The watchdog shell's pid. */
  get supervisorPid(): number | undefined {
    return this.supervisor.pid;
  }

  static async start(options: PrivateBusOptions = {}): Promise<PrivateBus> {
    const dir = mkdtempSync(join(options.parentDir ?? tmpdir(), 'dbus-vm-'));
    try {
      prepareDir(dir, options);
    } catch (err) {
      rmSync(dir, { recursive: true, force: true });
      throw err;
    }
    const socketPath = join(dir, 'bus.sock');
    const configPath = join(dir, 'bus.conf');
    const policy = options.policyXml ?? SAME_UID_POLICY;
    const whole = /<busconfig[\s>]/.test(policy);
    if (whole) writeFileSync(join(dir, 'policy.conf'), policy, { mode: 0o644 });
    writeFileSync(
      configPath,
      privateBusConfigText({
        socketPath,
        policyXml: whole ? '' : policy,
        ...(whole ? { includeFile: join(dir, 'policy.conf') } : {}),
        ...(options.user !== undefined ? { user: options.user } : {}),
        ...(options.limits !== undefined ? { limits: options.limits } : {}),
        ...(options.extraConfig !== undefined ? { extra: options.extraConfig } : {}),
      }),
      { mode: 0o644 },
    );
    const daemonArgv = [
      options.daemon ?? 'dbus-daemon',
      '--nofork',
      '--nopidfile',
      '--print-address=1',
      `--config-file=${configPath}`,
    ];
    const argv = existsSync(SETPRIV) ? [SETPRIV, '--pdeathsig', 'KILL', ...daemonArgv] : daemonArgv;
    const child = spawn('/bin/sh', ['-c', SUPERVISOR, 'dbus-vm-supervisor', dir, ...argv], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const address = `unix:path=${escapeValue(socketPath)}`;
    const bus = new PrivateBus(address, socketPath, dir, child, undefined);
    try {
      bus.daemonPid = await waitForListening(child, options.startTimeoutMs ?? 10_000);
    } catch (err) {
      await bus.stop();
      throw err;
    }
    // The pipe must not keep our event loop alive; it closes when we exit.
    child.unref();
    for (const s of [child.stdin, child.stdout, child.stderr]) {
      (s as unknown as { unref?: () => void } | null)?.unref?.();
    }
    return bus;
  }

  /** Terminates the daemon and removes its directory. Safe to call twice. */
  async stop(): Promise<void> {
    const child = this.supervisor;
    if (!this.exited && child.exitCode === null && child.signalCode === null) {
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.stdin?.end(); // the supervisor's cue: SIGTERM the daemon, remove the directory
      const timer = setTimeout(() => {
        if (this.daemonPid !== undefined) killQuietly(this.daemonPid, 'SIGKILL');
        child.kill('SIGKILL');
      }, 3000);
      await gone;
      clearTimeout(timer);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function killQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

function resolveGid(group: string | number): number {
  if (typeof group === 'number') return group;
  if (/^[0-9]+$/.test(group)) return Number(group);
  const line = execFileSync('getent', ['group', group], { encoding: 'utf8' }).trim();
  const gid = Number(line.split(':')[2]);
  if (!Number.isInteger(gid)) throw new Error(`unknown group "${group}"`);
  return gid;
}

/**
 * Owner-only by default; the shared group may only traverse (0750) unless asked. A
 * group-writable directory also gets the sticky bit: otherwise any group member could
 * unlink bus.sock and put its own socket in its place.
 */
function prepareDir(dir: string, options: PrivateBusOptions): void {
  const mode = options.dirMode ?? (options.group !== undefined ? 0o750 : 0o700);
  if (options.group !== undefined) {
    chownSync(dir, process.getuid?.() ?? -1, resolveGid(options.group));
  } else if (mode !== 0o700) {
    throw new Error('PrivateBus: a dirMode other than 0o700 needs a group');
  }
  chmodSync(dir, mode & 0o020 ? mode | 0o1000 : mode);
}

/** Reads `pid N` and then the daemon's address line; fails on exit or timeout. */
function waitForListening(child: ChildProcess, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    let pid: number | undefined;
    const timer = setTimeout(
      () => finish(new Error(`dbus-daemon did not listen within ${timeoutMs} ms: ${err.trim()}`)),
      timeoutMs,
    );
    const finish = (e: Error | undefined): void => {
      clearTimeout(timer);
      child.stdout?.removeListener('data', onOut);
      child.removeListener('exit', onExit);
      if (e !== undefined) reject(e);
      else resolve(pid ?? -1);
    };
    const onOut = (d: Buffer): void => {
      out += d.toString();
      const m = /^pid ([0-9]+)$/m.exec(out);
      if (m?.[1] !== undefined) pid = Number(m[1]);
      if (pid !== undefined && /(?:^|;)unix:/m.test(out)) finish(undefined);
    };
    const onExit = (): void =>
      finish(new Error(`dbus-daemon exited before listening: ${err.trim() || '(no output)'}`));
    // Keep draining stderr for the daemon's whole life (a full pipe would block it), but
    // only the start is worth keeping for error messages.
    child.stderr?.on('data', (d: Buffer) => {
      if (err.length < 16_384) err += d.toString();
    });
    child.stdout?.on('data', onOut);
    child.once('exit', onExit);
  });
}
