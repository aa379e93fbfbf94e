/**
 * A private dbus-daemon for one VM (QEMU docs/interop/dbus.rst: a QEMU bus is private to
 * one VM). Writes its own config into a fresh directory, starts the daemon, waits until the
 * socket accepts connections, and on stop terminates it and removes the directory.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PrivateBusOptions {
  /** Parent directory for the bus directory (default: the OS temp dir). */
  readonly parentDir?: string;
  /**
   * `<policy>` elements (or a whole `<include>`) placed in the config. Default: allow
   * everything for the daemon's own uid only, which is the one-UID scheme.
   */
  readonly policyXml?: string;
  /** Extra `<limit>` lines or other config. */
  readonly extraConfig?: string;
  /** dbus-daemon binary (default `dbus-daemon` from PATH). */
  readonly daemon?: string;
  /** How long to wait for the socket (ms, default 10 000). */
  readonly startTimeoutMs?: number;
}

const DEFAULT_POLICY = `  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
    <allow user="*"/>
  </policy>`;

function escapeXml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

export function privateBusConfig(socketPath: string, policyXml: string, extra = ''): string {
  return `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=${escapeXml(socketPath)}</listen>
  <auth>EXTERNAL</auth>
${policyXml}
${extra}
</busconfig>
`;
}

export class PrivateBus {
  private exited = false;
  private constructor(
    /** The D-Bus address to hand to clients and to QEMU (`unix:path=...`). */
    readonly address: string,
    readonly socketPath: string,
    readonly dir: string,
    private readonly child: ChildProcess,
  ) {
    child.once('exit', () => {
      this.exited = true;
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  static async start(options: PrivateBusOptions = {}): Promise<PrivateBus> {
    const dir = mkdtempSync(join(options.parentDir ?? tmpdir(), 'dbus-vm-'));
    const socketPath = join(dir, 'bus.sock');
    const configPath = join(dir, 'bus.conf');
    writeFileSync(
      configPath,
      privateBusConfig(socketPath, options.policyXml ?? DEFAULT_POLICY, options.extraConfig),
    );
    const child = spawn(
      options.daemon ?? 'dbus-daemon',
      ['--nofork', '--nopidfile', `--config-file=${configPath}`],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const bus = new PrivateBus(`unix:path=${socketPath}`, socketPath, dir, child);
    try {
      await waitForSocket(socketPath, child, options.startTimeoutMs ?? 10_000, () => stderr);
    } catch (err) {
      await bus.stop();
      throw err;
    }
    return bus;
  }

  /** Terminates the daemon and removes its directory. Safe to call twice. */
  async stop(): Promise<void> {
    if (!this.exited && this.child.exitCode === null) {
      const gone = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 2000);
      await gone;
      clearTimeout(timer);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

async function waitForSocket(
  path: string,
  child: ChildProcess,
  timeoutMs: number,
  stderr: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`dbus-daemon exited before accepting connections: ${stderr().trim()}`);
    }
    const ok = await new Promise<boolean>((resolve) => {
      const s = netConnect(path);
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) {
      throw new Error(`dbus-daemon did not accept connections on ${path} within ${timeoutMs} ms`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}
