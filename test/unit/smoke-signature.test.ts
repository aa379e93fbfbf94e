import { describe, expect, it } from 'vitest';
import { parseSignature, parseSingleType, SignatureError } from '../../runtime/signature.js';

describe('signature parser (smoke)', () => {
  it('parses a dict of variants', () => {
    const t = parseSingleType('a{sv}');
    expect(t.kind).toBe('dict');
  });
  it('rejects an empty struct with a position', () => {
    expect(() => parseSignature('()')).toThrow(SignatureError);
  });
});
