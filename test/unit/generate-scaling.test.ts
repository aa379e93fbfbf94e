/**
 * Generation time must grow linearly with the members of an interface (10,000 methods took
 * 4.8 s, 30,000 26 s, 100,000 over 240 s: each method's doc line scanned every method for
 * overloads). Timing is noisy on shared machines, so this counts work instead: every read of
 * an element of the interface's member lists (methods, signals, properties) during
 * emitModules. A linear emitter reads each member a bounded number of times, so 4x the
 * members gives ~4x the reads; a per-member scan gives ~16x. The wall-clock figures are in
 * `npm run bench` (BENCH generate-scaling).
 */
import { describe, expect, it } from 'vitest';
import { emitModules } from '../../emitters/index.js';
import { check } from '../../generator/check.js';
import type { Interface } from '../../spec/model.js';
import { syntheticXml } from '../support/synthetic-xml.js';

/** The interface with its member lists wrapped so that every element read is counted. */
function counted(iface: Interface): { iface: Interface; reads: () => number } {
  let reads = 0;
  const watch = <T extends object>(list: readonly T[]): readonly T[] =>
    new Proxy(list, {
      get(target, key, receiver) {
        if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
        return Reflect.get(target, key, receiver);
      },
    });
  const wrapped: Interface = {
    ...iface,
    methods: watch(iface.methods),
    signals: watch(iface.signals),
    properties: watch(iface.properties),
  };
  return { iface: wrapped, reads: () => reads };
}

function readsFor(n: number): number {
  const r = check([{ file: 'big.xml', text: syntheticXml(n) }]);
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const c = counted(r.interfaces[0]!.iface);
  emitModules({ interfaces: [c.iface], command: 'test', fingerprintLine: '// fp' });
  return c.reads();
}

describe('generation scales linearly with members', () => {
  it('4x the members costs at most ~4x the member reads', () => {
    const small = readsFor(400);
    const large = readsFor(1600);
    expect(small).toBeGreaterThan(400);
    // Linear: 4.0 (plus constant terms); a scan per member would give ~16.
    expect(large / small).toBeLessThan(5);
  }, 120_000);
});
