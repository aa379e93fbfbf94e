/**
 * ts-morph's runtime values, loaded with require() on first use: the fast printer
 * (print/structures.ts) prints every module our emitters build without it, so a one-module
 * regeneration never pays for loading ts-morph and the TypeScript compiler (~1 s). ts-morph is
 * CommonJS; an ESM `import` of it makes Node read its ~1 MB bundle twice and scan it for export
 * names first. Types still come from `import type ... from 'ts-morph'`.
 */
import { createRequire } from 'node:module';
import type * as TsMorph from 'ts-morph';

let loaded: typeof TsMorph | undefined;

/** The ts-morph module, loaded on the first call. */
export function tsMorph(): typeof TsMorph {
  loaded ??= createRequire(import.meta.url)('ts-morph') as typeof TsMorph;
  return loaded;
}
