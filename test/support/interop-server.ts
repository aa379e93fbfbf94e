/** Our skeleton (org.example.Interop1) on a private bus, for gdbus and busctl to call. */
import { execFile, spawnSync } from 'node:child_process';
import type { Connection } from '../../runtime/connection.js';
import { SkeletonBase } from '../../runtime/skeleton.js';
import { Variant } from '../../runtime/variant.js';
import { startTestBus, type TestBus } from './bus.js';
import { Interop1, interopHandlers } from './interop-iface.js';

export interface InteropServer {
  readonly tb: TestBus;
  readonly conn: Connection;
  readonly skeleton: SkeletonBase<{ name: string; volume: number; tags: Record<string, Variant> }>;
  stop(): Promise<void>;
}

export async function startInteropServer(): Promise<InteropServer> {
  const tb = await startTestBus();
  const conn = await tb.connect();
  const skeleton = new SkeletonBase(
    conn,
    Interop1,
    '/org/example/Interop1',
    interopHandlers(Buffer.from([1, 2, 3])),
    {
      name: 'n',
      volume: 3,
      tags: { a: new Variant('s', 'b') },
    },
  );
  return { tb, conn, skeleton, stop: () => tb.stop() };
}

export function hasTool(tool: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status === 0;
}

/** Runs a tool asynchronously (our skeleton must keep answering meanwhile). */
export function run(
  tool: string,
  args: readonly string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(tool, args, { timeout: 20_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout: stdout.toString(), stderr: stderr.toString() });
    });
  });
}
