import { describe, expect, it } from 'vitest';
import { linesInTemplates, wrapLine } from '../../emitters/wrap.js';

describe('wrapLine', () => {
  it('leaves short lines and non-signatures alone', () => {
    expect(wrapLine('  a(x: number): void {', 100)).toBe('  a(x: number): void {');
    expect(wrapLine(`  xml: \`<method name="A">${'x'.repeat(120)}\`,`, 100)).toContain('xml: `');
    expect(
      wrapLine(
        `    return this.callMethod(0, [${'a, '.repeat(40)}b], options) as Promise<void>;`,
        100,
      ),
    ).toMatch(/^ {4}return /);
  });

  it('splits at top-level commas only', () => {
    const line =
      '  f(a: Record<string, Variant>, b: readonly [number, string], c: { x: Map<number, string>; y: T }): void {';
    expect(wrapLine(line, 60).split('\n')).toEqual([
      '  f(',
      '    a: Record<string, Variant>,',
      '    b: readonly [number, string],',
      '    c: { x: Map<number, string>; y: T },',
      '  ): void {',
    ]);
  });

  it('wraps interface method signatures and exported functions', () => {
    expect(
      wrapLine('  load(data: Buffer, ctx: CallContext): void | Promise<void>;', 40).split('\n'),
    ).toEqual([
      '  load(',
      '    data: Buffer,',
      '    ctx: CallContext,',
      '  ): void | Promise<void>;',
    ]);
    expect(
      wrapLine('export function exportX(connection: Connection, path: string): XSkeleton {', 40),
    ).toBe('export function exportX(\n  connection: Connection,\n  path: string,\n): XSkeleton {');
  });

  it('keeps default values', () => {
    expect(
      wrapLine('  constructor(a: A, properties: P = {}, options?: O) {', 20).split('\n')[2],
    ).toBe('    properties: P = {},');
  });
});

describe('wrapLongSignatures', () => {
  it('knows which lines start inside a template literal', () => {
    const text = [
      '/** a `tick */',
      "const a = 'it\\'s `';",
      'const x = `one',
      'two \\` still',
      'three`;',
      '// `',
      'f();',
    ].join('\n');
    expect(linesInTemplates(text)).toEqual([false, false, false, true, true, false, false]);
  });
});
