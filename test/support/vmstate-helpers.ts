/**
 * Test helpers for dbus-vmstate: in-process helpers on our skeleton (one connection each, so
 * each has its own unique name, as separate processes would), recording who had Save and
 * Load called, and child-process helpers (ours or Python GDBus) for faults and benches.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { VMState1Skeleton } from '../../generated/org.qemu.VMState1.js';
import { type Connection, connect } from '../../runtime/index.js';
import { serveVMState, type VMStateHelper } from '../../vmstate/helper.js';

/** The 10 bytes QEMU's qtest gives each helper: `I'am\0idA!\0`. */
export function qtestData(id: string): Buffer {
  return Buffer.from(`I'am\0${id}!\0`, 'latin1');
}

export interface TestHelper {
  readonly id: string;
  readonly connection: Connection;
  readonly helper: VMStateHelper;
  /** Current state: what Save returns; Load replaces it. */
  data: Buffer;
  saves: number;
  loads: number;
  stop(): Promise<void>;
}

export interface TestHelperOptions {
  readonly save?: (h: TestHelper) => Uint8Array | Promise<Uint8Array>;
  readonly load?: (h: TestHelper, data: Buffer) => void | Promise<void>;
  readonly incoming?: boolean;
}

export async function startTestHelper(
  address: string,
  id: string,
  data: Buffer,
  options: TestHelperOptions = {},
): Promise<TestHelper> {
  const connection = await connect(address);
  const t = { id, connection, data, saves: 0, loads: 0 } as TestHelper;
  const helper = await serveVMState(connection, {
    id,
    ...(options.incoming === undefined ? {} : { incoming: options.incoming }),
    save: async () => {
      t.saves++;
      return options.save ? options.save(t) : t.data;
    },
    load: async (d) => {
      t.loads++;
      if (options.load) await options.load(t, d);
      t.data = Buffer.from(d);
    },
  });
  Object.assign(t, {
    helper,
    async stop() {
      await helper.stop().catch(() => {});
      await connection.close().catch(() => {});
    },
  });
  return t;
}

export async function stopAll(helpers: readonly { stop(): Promise<void> }[]): Promise<void> {
  await Promise.all(helpers.map((h) => h.stop()));
}

const here = fileURLToPath(new URL('.', import.meta.url));
export const GDBUS_HELPER = `${here}gdbus-vmstate-helper.py`;
export const NODE_HELPERS = `${here}vmstate-helpers-main.ts`;

/** A child process running helpers; resolves once every helper printed `ready`. */
export interface HelperProcess {
  readonly child: ChildProcess;
  readonly lines: string[];
  stop(): Promise<void>;
}

async function startProcess(
  cmd: string,
  args: string[],
  readyCount: number,
): Promise<HelperProcess> {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  let buffered = '';
  let ready = 0;
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      buffered += d.toString();
      const parts = buffered.split('\n');
      buffered = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(line);
        if (line.startsWith('ready') && ++ready === readyCount) resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`${cmd} exited (${code}): ${stderr.trim()}`)));
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    child,
    lines,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 3000);
        await exited;
        clearTimeout(t);
      }
    },
  };
}

/** One GDBus helper (Python) with `size` bytes; any Id, even ones QEMU refuses. */
export function startGDBusHelper(
  address: string,
  id: string,
  size: number,
): Promise<HelperProcess> {
  return startProcess('/usr/bin/python3', [GDBUS_HELPER, address, id, String(size)], 1);
}

/**
 * Helpers on our skeleton in one child process, each with its own connection.
 * `specs`: `id:size` or `id:size:exit-on-save`.
 */
export function startNodeHelpers(
  address: string,
  specs: readonly string[],
): Promise<HelperProcess> {
  return startProcess(
    process.execPath,
    ['--import', 'tsx', NODE_HELPERS, address, ...specs],
    specs.length,
  );
}

/**
 * A helper on the bare generated skeleton, without serveVMState's checks: for Ids QEMU
 * refuses (empty, 256 bytes) and Save replies over 1 MiB.
 */
export async function startRawHelper(
  address: string,
  id: string,
  save: () => Uint8Array,
): Promise<{ connection: Connection; loads: number; stop(): Promise<void> }> {
  const connection = await connect(address);
  const state = { loads: 0 };
  const skeleton = new VMState1Skeleton(
    connection,
    '/org/qemu/VMState1',
    {
      save: () => save(),
      load: () => {
        state.loads++;
      },
    },
    { id },
  );
  await connection.requestName('org.qemu.VMState1', 0);
  return Object.assign(state, {
    connection,
    async stop() {
      skeleton.unexport();
      await connection.close().catch(() => {});
    },
  });
}
