/** The fuzz targets by name, each run with a case count and a seed. */
import type { FuzzResult } from './report.js';
import { fuzzBlob } from './target-blob.js';
import { fuzzLoad } from './target-load.js';
import { fuzzValues } from './target-values.js';
import { fuzzWire } from './target-wire.js';
import { fuzzXml } from './target-xml.js';

export interface RunSizes {
  readonly cases: number;
  readonly seed: number;
  readonly concurrent: number;
  readonly sequential: number;
}

export const TARGETS: Record<string, (s: RunSizes) => Promise<FuzzResult>> = {
  xml: (s) => fuzzXml(s.cases, s.seed),
  blob: (s) => fuzzBlob(s.cases, s.seed),
  values: (s) => fuzzValues(s.cases, s.seed),
  load: (s) => fuzzLoad({ concurrent: s.concurrent, sequential: s.sequential }),
  // In-process and fast: 20 cases per CASES (100,000 by default).
  wire: (s) => fuzzWire(s.cases * 20, s.seed),
};
