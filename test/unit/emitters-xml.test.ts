/** XML through the real checker into the emitters: docs, annotations and XML land where they should. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { emitModules } from '../../emitters/index.js';
import { check } from '../../generator/check.js';

function emitXml(xml: string): string[] {
  const r = check([{ file: 'interfaces/org.example.Doc1.xml', text: xml }]);
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const out = emitModules({
    interfaces: r.interfaces.map((c) => c.iface),
    sources: new Map(r.interfaces.map((c) => [c.iface.name, c.sources])),
    command: 'dbus-codegen-ts generate interfaces/org.example.Doc1.xml -o generated',
    fingerprintLine: '// fp',
  });
  return out.find((m) => m.path === 'org.example.Doc1.ts')!.text.split('\n');
}

// The input lives in an .xml file: it is a document, not code.
const XML = readFileSync(new URL('../fixtures/xml/org.example.Doc1.xml', import.meta.url), 'utf8');

describe('emitters from XML', () => {
  const lines = emitXml(XML);
  const text = lines.join('\n');

  it('carries gtk-doc comments into TSDoc', () => {
    expect(text).toContain(
      [
        '  /**',
        '   * Changes the size.',
        '   *',
        '   * D-Bus method `org.example.Doc1.Resize` (in `uu`, out `b`).',
        '   *',
        '   * @param width - `u` the new width.',
        '   * @param height - `u` the new height.',
        '   * @param options - per-call timeout and flags',
        '   * @returns `b` whether it worked.',
        '   */',
        '  resize(width: number, height: number, options?: CallOptions): Promise<boolean> {',
      ].join('\n'),
    );
    expect(text).toContain(
      ' * An example.\n *\n * Client proxy for the D-Bus interface `org.example.Doc1` on one remote object.',
    );
  });

  it('marks deprecated members', () => {
    expect(text).toMatch(
      /@deprecated Marked deprecated in the D-Bus interface\.\n {3}\*\/\n {2}old\(options\?: CallOptions\): Promise<void> \{/,
    );
  });

  it('writes the descriptor from the checked model', () => {
    expect(lines).toContain("      emitsChangedSignal: 'invalidates',");
    expect(lines).toContain('  xml: `<interface name="org.example.Doc1">');
    expect(lines).toContain('  size: [number, number];');
    expect(lines).toContain('  moved: [x: number];');
  });
});
