/**
 * QEMU for interop tests and benches: a small QMP client and a launcher for
 * `qemu-system-x86_64 -machine none` with a dbus-vmstate object on a private bus.
 * Used by test/interop/qemu-vmstate*.test.ts, test/bench/vmstate.bench.ts and the demo.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect as netConnect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const QEMU_BIN = process.env['QEMU_BIN'] ?? 'qemu-system-x86_64';

function probeQemu(): string | undefined {
  try {
    const out = execFileSync(QEMU_BIN, ['-object', 'help'], { encoding: 'utf8', timeout: 10_000 });
    return out.includes('dbus-vmstate') ? undefined : `${QEMU_BIN} has no dbus-vmstate object`;
  } catch {
    return `${QEMU_BIN} not found on PATH`;
  }
}

/** Why QEMU tests cannot run here, or undefined when they can. */
export const qemuSkipReason: string | undefined = probeQemu();
export const hasQemu = qemuSkipReason === undefined;

type Json = Record<string, unknown>;

/** A QMP connection: one command at a time is enough for tests, but ids keep it honest. */
export class Qmp {
  private buffered = '';
  private nextId = 1;
  private readonly pending = new Map<
    string,
    { resolve: (v: Json) => void; reject: (e: Error) => void }
  >();
  readonly events: Json[] = [];
  private closed = false;
  private greeting: Promise<void>;

  private constructor(private readonly socket: Socket) {
    let greeted: () => void = () => {};
    this.greeting = new Promise((r) => {
      greeted = r;
    });
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.buffered += chunk;
      for (let nl = this.buffered.indexOf('\n'); nl >= 0; nl = this.buffered.indexOf('\n')) {
        const line = this.buffered.slice(0, nl).trim();
        this.buffered = this.buffered.slice(nl + 1);
        if (line === '') continue;
        const msg = JSON.parse(line) as Json;
        if ('QMP' in msg) greeted();
        else if ('event' in msg) this.events.push(msg);
        else this.settle(msg);
      }
    });
    const fail = (): void => {
      this.closed = true;
      for (const p of this.pending.values()) p.reject(new Error('QMP connection closed'));
      this.pending.clear();
    };
    socket.on('close', fail);
    socket.on('error', fail);
  }

  private settle(msg: Json): void {
    const id = String(msg['id']);
    const p = this.pending.get(id);
    if (p === undefined) return;
    this.pending.delete(id);
    if ('error' in msg) {
      const e = msg['error'] as { class?: string; desc?: string };
      p.reject(new Error(`QMP error ${e.class}: ${e.desc}`));
    } else p.resolve((msg['return'] ?? {}) as Json);
  }

  /** Connects (retrying until `timeoutMs`), reads the greeting, negotiates capabilities. */
  static async connect(path: string, timeoutMs = 10_000): Promise<Qmp> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const socket = await new Promise<Socket | undefined>((resolve) => {
        const s = netConnect(path);
        s.once('connect', () => resolve(s));
        s.once('error', () => resolve(undefined));
      });
      if (socket !== undefined) {
        const qmp = new Qmp(socket);
        await qmp.greeting;
        await qmp.execute('qmp_capabilities');
        return qmp;
      }
      if (Date.now() > deadline) throw new Error(`QMP socket ${path} not reachable`);
      await sleep(20);
    }
  }

  execute<T = Json>(command: string, args?: Json): Promise<T> {
    const id = String(this.nextId++);
    if (this.closed) return Promise.reject(new Error('QMP connection closed'));
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: Json) => void, reject });
      this.socket.write(`${JSON.stringify({ execute: command, arguments: args, id })}\n`);
    });
  }

  close(): void {
    this.socket.destroy();
  }
}

export interface MigrationInfo {
  readonly status: string;
  /** ms, as QEMU reports it. */
  readonly totalTime: number | undefined;
  readonly downtime: number | undefined;
  readonly errorDesc: string | undefined;
}

export interface QemuOptions {
  /** D-Bus address of the VM's private bus. */
  readonly busAddress: string;
  /** dbus-vmstate `id-list`. */
  readonly idList?: readonly string[];
  /** `-incoming` URI (destination). */
  readonly incoming?: string;
  /** `-machine` (default `none`: no guest, no RAM). */
  readonly machine?: string;
  readonly extraArgs?: readonly string[];
}

/** Arguments for a `-machine none` QEMU with a dbus-vmstate object `dv` and QMP on `qmpPath`. */
export function vmstateQemuArgs(options: QemuOptions, qmpPath: string): string[] {
  let object = `dbus-vmstate,id=dv,addr=${options.busAddress}`;
  if (options.idList !== undefined) object += `,id-list=${options.idList.join(',,')}`; // ',,' escapes a comma in QEMU options
  return [
    ...['-machine', options.machine ?? 'none', '-nodefaults', '-display', 'none'],
    ...['-object', object],
    ...['-qmp', `unix:${qmpPath},server=on,wait=off`],
    ...(options.incoming === undefined ? [] : ['-incoming', options.incoming]),
    ...(options.extraArgs ?? []),
  ];
}

/** A running `-machine none` QEMU with a dbus-vmstate object `dv` and QMP. */
export class QemuVm {
  stderr = '';
  readonly exited: Promise<number | null>;

  private constructor(
    readonly child: ChildProcess,
    readonly dir: string,
    readonly qmp: Qmp,
    exited: Promise<number | null>,
  ) {
    this.exited = exited;
  }

  static async start(options: QemuOptions): Promise<QemuVm> {
    const dir = mkdtempSync(join(tmpdir(), 'qemu-vm-'));
    const qmpPath = join(dir, 'qmp.sock');
    const child = spawn(QEMU_BIN, vmstateQemuArgs(options, qmpPath), {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => resolve(code)),
    );
    let qmp: Qmp;
    try {
      qmp = await Promise.race([
        Qmp.connect(qmpPath),
        exited.then((code) => {
          throw new Error(`QEMU exited (${code}) before QMP was up: ${stderr.trim()}`);
        }),
      ]);
    } catch (err) {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      throw err;
    }
    const vm = new QemuVm(child, dir, qmp, exited);
    child.stderr?.on('data', (d: Buffer) => {
      vm.stderr += d.toString();
    });
    vm.stderr = stderr;
    return vm;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts a migration and polls `query-migrate` until it completes or fails. */
  async migrate(uri: string, timeoutMs = 60_000): Promise<MigrationInfo> {
    await this.qmp.execute('migrate', { uri });
    return this.waitMigration(timeoutMs);
  }

  /** Polls `query-migrate` (source or destination) until completed/failed or QEMU exits. */
  async waitMigration(timeoutMs = 60_000): Promise<MigrationInfo> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (!this.running) {
        return {
          status: 'exited',
          totalTime: undefined,
          downtime: undefined,
          errorDesc: this.stderr.trim(),
        };
      }
      let info: Json;
      try {
        info = await this.qmp.execute('query-migrate');
      } catch (err) {
        // A destination that fails to load exits; its QMP socket may close before the exit
        // event arrives.
        await Promise.race([this.exited, sleep(3000)]);
        if (!this.running) continue;
        throw err;
      }
      const status = String(info['status'] ?? 'none');
      if (status === 'completed' || status === 'failed' || status === 'cancelled') {
        return {
          status,
          totalTime: info['total-time'] as number | undefined,
          downtime: info['downtime'] as number | undefined,
          errorDesc: info['error-desc'] as string | undefined,
        };
      }
      if (Date.now() > deadline) throw new Error(`migration still ${status} after ${timeoutMs} ms`);
      await sleep(5);
    }
  }

  /** Sets the dbus-vmstate id-list at run time (`qom-set /objects/dv id-list`). */
  async setIdList(ids: readonly string[]): Promise<void> {
    await this.qmp.execute('qom-set', {
      path: '/objects/dv',
      property: 'id-list',
      value: ids.join(','),
    });
  }

  /** Quits QEMU (QMP quit, then SIGKILL after 3 s) and removes its directory. */
  async stop(): Promise<void> {
    if (this.running) {
      this.qmp.execute('quit').catch(() => {});
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 3000);
      await this.exited;
      clearTimeout(timer);
    }
    this.qmp.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
