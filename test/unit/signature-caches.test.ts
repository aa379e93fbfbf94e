/**
 * Per-signature caches are bounded: peers choose body and variant signatures, so a stream of
 * distinct ones (600,000 in the issue 9 run: heap 5 -> 50 MB) must not grow them forever.
 * Past the bound, new signatures still work; they are just not kept.
 */
import { describe, expect, it } from 'vitest';
import { compileType, MAX_CACHED_CHECKS } from '../../runtime/compile-type.js';
import { parseMessage } from '../../runtime/transport/header.js';
import { readBody } from '../../runtime/transport/message.js';
import { Variant } from '../../runtime/variant.js';
import { parseSignatureCached, parseSingleType } from '../../spec/signature.js';
import { buildMessage, callFields } from '../support/wire-build.js';

/** The n-th of many distinct valid single types: a struct of n's digits as basic codes. */
function distinct(n: number): string {
  const codes = 'ybnqiuxtdsog';
  let s = '';
  for (let k = n + 1; k > 0; k = Math.floor(k / codes.length)) s += codes[k % codes.length];
  return `(${s})`;
}

describe('bounded signature caches', () => {
  it('compiled checks: past the bound a new signature is compiled on each use, not kept', () => {
    for (let i = 0; i < MAX_CACHED_CHECKS + 100; i++) compileType(parseSingleType(distinct(i)));
    const late = parseSingleType(distinct(MAX_CACHED_CHECKS + 500));
    expect(compileType(late)).not.toBe(compileType(late)); // not cached
    const early = parseSingleType(distinct(0));
    expect(compileType(early)).toBe(compileType(early)); // cached before the bound
    expect(compileType(late)([0], 0)).toBeDefined(); // still checks: a 1-tuple is wrong here
  });

  it('parsed signatures: the 4096-entry parse cache stays correct past its bound', () => {
    for (let i = 0; i < 5000; i++) parseSignatureCached(distinct(i));
    const s = distinct(9000);
    expect(parseSignatureCached(s)).not.toBe(parseSignatureCached(s));
    expect(parseSignatureCached(s)[0]!.signature).toBe(s);
  });

  it('received variants of 20,000 distinct signatures decode without growing a cache', () => {
    for (let i = 0; i < 20_000; i++) {
      const sig = distinct(i);
      const value = new Variant(sig, [...sig.slice(1, -1)].map(zero));
      const buf = buildMessage({
        le: i % 2 === 0,
        type: 1,
        fields: callFields('v'),
        body: { signature: 'v', values: [value] },
      });
      expect((readBody(parseMessage(buf)!) as Variant[])[0]!.signature).toBe(sig);
    }
    const s = distinct(19_999);
    expect(parseSignatureCached(s)).not.toBe(parseSignatureCached(s));
  });
});

function zero(code: string): unknown {
  if (code === 'x' || code === 't') return 0n;
  if (code === 'b') return false;
  if (code === 's') return '';
  if (code === 'o') return '/';
  if (code === 'g') return '';
  return 0;
}
