import { describe, expect, it } from 'vitest';
import { newTypeUses, printType } from '../../emitters/types.js';
import { parseSingleType } from '../../spec/signature.js';

/** Each signature's TypeScript type as sent and as received. */
const MAPPING: Record<string, readonly [send: string, receive: string]> = {
  y: ['number', 'number'],
  n: ['number', 'number'],
  q: ['number', 'number'],
  i: ['number', 'number'],
  u: ['number', 'number'],
  d: ['number', 'number'],
  x: ['bigint | number', 'bigint'],
  t: ['bigint | number', 'bigint'],
  b: ['boolean', 'boolean'],
  s: ['string', 'string'],
  o: ['string', 'string'],
  g: ['string', 'string'],
  v: ['Variant', 'Variant'],
  ay: ['Uint8Array', 'Buffer'],
  aay: ['readonly Uint8Array[]', 'Buffer[]'],
  as: ['readonly string[]', 'string[]'],
  ax: ['readonly (bigint | number)[]', 'bigint[]'],
  aas: ['readonly (readonly string[])[]', 'string[][]'],
  'a{sv}': ['Readonly<Record<string, Variant>>', 'Record<string, Variant>'],
  'a{oa{sv}}': [
    'Readonly<Record<string, Readonly<Record<string, Variant>>>>',
    'Record<string, Record<string, Variant>>',
  ],
  'a{us}': ['ReadonlyMap<number, string>', 'Map<number, string>'],
  h: ['UnixFd | number', 'UnixFd'],
  'a{sh}': ['Readonly<Record<string, UnixFd | number>>', 'Record<string, UnixFd>'],
  ah: ['readonly (UnixFd | number)[]', 'UnixFd[]'],
  'a{ts}': ['ReadonlyMap<bigint | number, string>', 'Map<bigint, string>'],
  '(iu)': ['readonly [number, number]', '[number, number]'],
  'a(sx)': ['readonly (readonly [string, bigint | number])[]', '[string, bigint][]'],
  '(ay(bv))': [
    'readonly [Uint8Array, readonly [boolean, Variant]]',
    '[Buffer, [boolean, Variant]]',
  ],
};

describe('printType (the D-Bus -> TypeScript mapping)', () => {
  it.each(Object.entries(MAPPING).map(([sig, [send, receive]]) => [sig, send, receive]))(
    '%s: send %s, receive %s',
    (signature, send, receive) => {
      const node = parseSingleType(signature);
      expect(printType(node, 'send')).toBe(send);
      expect(printType(node, 'receive')).toBe(receive);
    },
  );

  it('records that Variant is used', () => {
    const uses = newTypeUses();
    printType(parseSingleType('a{ss}'), 'send', uses);
    expect(uses.variant).toBe(false);
    printType(parseSingleType('a(sv)'), 'receive', uses);
    expect(uses.variant).toBe(true);
  });
});
