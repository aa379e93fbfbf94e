/**
 * Load target: one skeleton, many calls. N concurrent calls must all complete with their
 * own answer (none lost); M sequential calls must grow RSS by less than 32 MiB.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { type Connection, connect, SkeletonBase } from '../../runtime/index.js';
import { PrivateBus } from '../../runtime/private-bus.js';
import { type FuzzResult, fail, newResult } from './report.js';
import { EchoProxy, echoDescriptor } from './target-values.js';

export const RSS_LIMIT_MIB = 32;

export interface LoadOptions {
  readonly concurrent: number;
  readonly sequential: number;
}

function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as (() => void) | undefined;
  gc?.();
}

const mib = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);

export async function fuzzLoad(options: LoadOptions): Promise<FuzzResult> {
  const r = newResult('load');
  const bus = await PrivateBus.start();
  const conns: Connection[] = [];
  try {
    const server = await connect(bus.address);
    const client = await connect(bus.address);
    conns.push(server, client);
    let handled = 0;
    new SkeletonBase(
      server,
      echoDescriptor('(us)'),
      '/load',
      {
        echo: async (v: [number, string]) => {
          handled++;
          await Promise.resolve();
          return v;
        },
      },
      {},
    );
    const proxy = new EchoProxy(client, '(us)', server.uniqueName, '/load');

    // Concurrent: every call in flight at once, each answered with its own value.
    let started = performance.now();
    const results = await Promise.allSettled(
      Array.from({ length: options.concurrent }, (_, i) => proxy.echo([i, `call ${i}`])),
    );
    const concurrentMs = performance.now() - started;
    const handledConcurrent = handled;
    let lost = 0;
    results.forEach((res, i) => {
      const v = res.status === 'fulfilled' ? (res.value as [number, string]) : undefined;
      if (v?.[0] !== i || v[1] !== `call ${i}`) {
        lost++;
        if (lost <= 3)
          fail(
            r,
            'crash',
            `concurrent call ${i}: ${res.status === 'rejected' ? String(res.reason) : JSON.stringify(v)}`,
          );
      }
    });
    r.crashes += Math.max(0, lost - 3);
    r.cases += options.concurrent;

    // Sequential: RSS after warm-up and GC, then after the run and GC.
    for (let i = 0; i < Math.min(500, options.sequential); i++) await proxy.echo([i, 'warm']);
    collectGarbage();
    const before = process.memoryUsage().rss;
    started = performance.now();
    let wrong = 0;
    for (let i = 0; i < options.sequential; i++) {
      const v = (await proxy.echo([i, 'seq'])) as [number, string];
      if (v[0] !== i) wrong++;
    }
    const sequentialMs = performance.now() - started;
    collectGarbage();
    const after = process.memoryUsage().rss;
    r.cases += options.sequential;
    if (wrong > 0) fail(r, 'crash', `${wrong} sequential calls answered wrongly`);
    const growth = after - before;
    if (growth >= RSS_LIMIT_MIB * 1024 * 1024) {
      fail(
        r,
        'crash',
        `RSS grew ${mib(growth)} MiB over ${options.sequential} calls (limit ${RSS_LIMIT_MIB})`,
      );
    }
    r.notes.push(
      `LOAD concurrent=${options.concurrent} completed=${options.concurrent - lost} lost=${lost} ` +
        `time=${concurrentMs.toFixed(0)}ms handled=${handledConcurrent}`,
      `LOAD sequential=${options.sequential} time=${sequentialMs.toFixed(0)}ms ` +
        `(${((options.sequential / sequentialMs) * 1000).toFixed(0)} calls/s) ` +
        `rss_before=${mib(before)}MiB rss_after=${mib(after)}MiB growth=${mib(growth)}MiB (limit ${RSS_LIMIT_MIB})`,
    );
  } finally {
    await Promise.all(conns.map((c) => c.close().catch(() => {})));
    await bus.stop();
  }
  return r;
}
