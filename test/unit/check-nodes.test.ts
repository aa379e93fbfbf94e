import { describe, expect, it } from 'vitest';
import { check } from '../../generator/check.js';
import { formatDiagnostic } from '../../generator/diagnostics.js';

function diagnostics(text: string): string[] {
  return check([{ file: 'n.xml', text }]).diagnostics.map(formatDiagnostic);
}

// Child <node>s only announce objects; no code is generated from them. A root name must be
// absolute and a child name relative (rows X02, X03 of the rule tables in rules-tables.test.ts: errors), but a joined path
// with characters the spec does not allow (zbus's sample: "-") is a warning, not a failure.
describe('node names', () => {
  it('a child whose joined path has invalid characters is a warning', () => {
    const d = diagnostics(
      '<node name="/com/example/obj0">\n  <node name="child-with-dashes"/>\n</node>\n',
    );
    expect(d).toHaveLength(1);
    expect(d[0]).toMatch(/^n\.xml:2:3: warning DBUS034: child <node name="child-with-dashes">/);
  });

  it('a relative root name is an error', () => {
    expect(diagnostics('<node name="child"/>\n')[0]).toMatch(/^n\.xml:1:1: error DBUS034: root/);
  });

  it('an absolute child name is an error', () => {
    const d = diagnostics('<node name="/a">\n<node name="/a/b"/>\n</node>\n');
    expect(d[0]).toMatch(/^n\.xml:2:1: error DBUS034: child <node name="\/a\/b"> must be relative/);
  });
});
