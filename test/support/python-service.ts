/** Starts test/interop/fixtures/gdbus-service.py (GDBus via PyGObject) on a bus. */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('../interop/fixtures/gdbus-service.py', import.meta.url));

export interface PythonService {
  readonly uniqueName: string;
  stop(): Promise<void>;
}

/** True when /usr/bin/python3 can import gi (python3-gi installed). */
export function hasPythonGi(): boolean {
  if (!existsSync(PYTHON)) return false;
  return spawnSync(PYTHON, ['-c', 'import gi'], { stdio: 'ignore' }).status === 0;
}

export function startPythonService(address: string, busName?: string): Promise<PythonService> {
  return startPythonScript(SCRIPT, [address, ...(busName ? [busName] : [])]);
}

/** Starts a GDBus script that prints `ready <unique name>` and exits when stdin closes. */
export async function startPythonScript(
  script: string,
  args: readonly string[],
): Promise<PythonService> {
  const child: ChildProcess = spawn(PYTHON, [script, ...args], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const uniqueName = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('python GDBus service did not start'));
    }, 10_000);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^ready (\S+)$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`python GDBus service exited with ${code}`));
    });
  });
  return {
    uniqueName,
    async stop() {
      if (child.exitCode !== null) return;
      const gone = new Promise((r) => child.once('exit', r));
      child.stdin?.end();
      const t = setTimeout(() => child.kill('SIGKILL'), 2000);
      await gone;
      clearTimeout(t);
    },
  };
}
