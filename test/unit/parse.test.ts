import { describe, expect, it } from 'vitest';
import { check } from '../../generator/check.js';
import { Diagnostics, formatDiagnostic } from '../../generator/diagnostics.js';
import { parseXml } from '../../generator/parse.js';

function parse(text: string, defines: Record<string, string> = {}) {
  const diags = new Diagnostics();
  const root = parseXml('x.xml', text, { defines: new Map(Object.entries(defines)) }, diags);
  return { root, lines: diags.items.map(formatDiagnostic) };
}

function diagnostics(text: string, defines: Record<string, string> = {}): string[] {
  return check([{ file: 'x.xml', text }], { defines }).diagnostics.map(formatDiagnostic);
}

describe('parse: positions', () => {
  it('gives every element its line and column', () => {
    const { root } = parse(
      '<node>\n  <interface name="a.b">\n\t<method name="M"/>\n  </interface>\n</node>\n',
    );
    expect(root?.location).toEqual({ file: 'x.xml', line: 1, column: 1 });
    const iface = root!.children[0]!;
    expect(iface.location).toEqual({ file: 'x.xml', line: 2, column: 3 });
    expect(iface.children[0]!.location).toEqual({ file: 'x.xml', line: 3, column: 2 });
  });

  it('keeps single-quoted attributes and skips <?xml-stylesheet?> and DOCTYPE', () => {
    const { root, lines } = parse(
      `<?xml version="1.0"?>\n<?xml-stylesheet type="text/xsl" href="introspect.xsl"?>\n<!DOCTYPE node PUBLIC "-//freedesktop//DTD D-BUS Object Introspection 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/introspect.dtd">\n<node><interface name='a.b'/></node>`,
    );
    expect(lines).toEqual([]);
    expect(root!.children[0]!.attrs['name']).toBe('a.b');
  });

  it('expands entities declared in the DOCTYPE internal subset (fprintd)', () => {
    const { root, lines } = parse(
      '<!DOCTYPE node [\n<!ENTITY ERR "net.reactivated.Fprint.Error.Internal">\n]>\n<node><interface name="a.b"><annotation name="x.y" value="&ERR; &amp; &lt;"/></interface></node>',
    );
    expect(lines).toEqual([]);
    expect(root!.children[0]!.children[0]!.attrs['value']).toBe(
      'net.reactivated.Fprint.Error.Internal & <',
    );
  });

  it('pairs a comment with the element right after it', () => {
    const { root } = parse(
      '<node>\n<!-- first -->\n<interface name="a.b"/>\n<interface name="c.d"/></node>',
    );
    expect(root!.children[0]!.comment).toBe(' first ');
    expect(root!.children[1]!.comment).toBeUndefined();
  });
});

describe('parse: malformed XML gives located errors', () => {
  it('empty file', () => {
    expect(parse('').lines).toEqual([
      'x.xml:1:1: error DBUS002: empty document: expected a <node> element',
    ]);
    expect(parse('  \n ').lines).toEqual([
      'x.xml:1:1: error DBUS002: empty document: expected a <node> element',
    ]);
  });

  it('unclosed tag: the innermost open element', () => {
    expect(parse('<node>\n  <interface name="a.b">\n    <method name="M"/>\n').lines).toEqual([
      'x.xml:2:3: error DBUS003: XML is not well-formed: <interface> is never closed',
    ]);
  });

  it('mismatched closing tag', () => {
    expect(parse('<node>\n <interface name="a.b">\n</node>').lines).toEqual([
      "x.xml:3:1: error DBUS001: XML is not well-formed: Expected closing tag 'interface' (opened in line 2, col 2) instead of closing tag 'node'.",
    ]);
  });

  it("raw '<' in an attribute value (polkit)", () => {
    expect(
      parse(
        '<node>\n<interface name="a.b">\n<annotation name="d" value="<para>x</para>"/></interface></node>',
      ).lines,
    ).toEqual([
      "x.xml:3:29: error DBUS004: XML is not well-formed: unescaped '<' in an attribute value (write &lt;)",
    ]);
  });

  it('two root elements (X20)', () => {
    expect(parse('<node/>\n<node/>').lines).toEqual([
      'x.xml:2:1: error DBUS005: a second root element <node>: a document holds exactly one <node>',
    ]);
  });

  it('a root that is not <node>', () => {
    expect(parse('<interface name="a.b"/>').lines).toEqual([
      'x.xml:1:1: error DBUS005: root element is <interface>, expected <node>',
    ]);
  });
});

describe('parse: QEMU <?if?> blocks', () => {
  const xml = [
    '<node><interface name="org.qemu.Display1.Console">',
    '  <method name="RegisterListener">',
    '    <?if $(env.HOST_OS) == windows?>',
    '    <arg type="ay" name="listener" direction="in"/>',
    '    <?else?>',
    '    <arg type="h" name="listener" direction="in"/>',
    '    <?endif?>',
    '  </method>',
    '</interface></node>',
  ].join('\n');

  it('takes the branch the define selects', () => {
    for (const [os, type] of [
      ['windows', 'ay'],
      ['linux', 'h'],
    ] as const) {
      const r = check([{ file: 'x.xml', text: xml }], { defines: { HOST_OS: os } });
      expect(r.diagnostics).toEqual([]);
      const m = r.interfaces[0]!.iface.methods[0]!;
      expect(m.inArgs.map((a) => a.signature)).toEqual([type]);
    }
  });

  it('without the define: a located error, and never both branches', () => {
    expect(diagnostics(xml)).toEqual([
      'x.xml:3:5: error DBUS011: <?if $(env.HOST_OS) == windows?> depends on HOST_OS, which is not defined; pass --define HOST_OS=<value> (QEMU preprocesses this file; taking both branches would merge exclusive declarations)',
    ]);
  });

  it('handles != , nesting and ifdef', () => {
    const text =
      '<node><interface name="a.b"><?if $(env.OS) != windows?><?ifdef EXTRA?><method name="X"/><?else?><method name="Y"/><?endif?><?endif?></interface></node>';
    const names = (d: Record<string, string>) =>
      check([{ file: 'x.xml', text }], { defines: d }).interfaces[0]!.iface.methods.map(
        (m) => m.name,
      );
    expect(names({ OS: 'linux' })).toEqual(['Y']);
    expect(names({ OS: 'linux', EXTRA: '1' })).toEqual(['X']);
    expect(names({ OS: 'windows', EXTRA: '1' })).toEqual([]);
  });

  it('unbalanced blocks are errors', () => {
    expect(
      diagnostics('<node><interface name="a.b"><?if $(env.A) == b?></interface></node>', {
        A: 'b',
      }),
    ).toEqual(['x.xml:1:29: error DBUS012: <?if?> has no matching <?endif?> in the same element']);
    expect(diagnostics('<node><interface name="a.b"><?endif?></interface></node>')).toEqual([
      'x.xml:1:29: error DBUS012: <?endif?> without a matching open <?if?>',
    ]);
  });
});

describe('parse: documentation', () => {
  it('reads gtk-doc comments, doc: elements and DocString annotations (annotation wins)', () => {
    const text = `<node xmlns:doc="http://www.freedesktop.org/dbus/1.0/doc.dtd">
  <!--
      com.example.Thing1:
      @short_description: A thing

      The thing interface.
  -->
  <interface name="com.example.Thing1">
    <!--
        Frob:
        @level: how hard to frob
        @since: 1.2

        Frobs the thing.
    -->
    <method name="Frob">
      <arg name="level" type="u" direction="in"/>
      <arg name="result" type="s" direction="out">
        <doc:doc><doc:summary>What came out</doc:summary></doc:doc>
      </arg>
    </method>
    <!-- Name: the comment loses -->
    <property name="Name" type="s" access="read">
      <annotation name="org.gtk.GDBus.DocString" value="The annotation wins."/>
    </property>
    <signal name="Done">
      <doc:doc><doc:description><doc:para>It is <doc:tt>done</doc:tt>.</doc:para></doc:description></doc:doc>
    </signal>
  </interface>
</node>`;
    const r = check([{ file: 'x.xml', text }]);
    expect(r.diagnostics).toEqual([]);
    const iface = r.interfaces[0]!.iface;
    expect(iface.docs).toEqual({ text: 'The thing interface.', summary: 'A thing' });
    const frob = iface.methods[0]!;
    expect(frob.docs).toEqual({ text: 'Frobs the thing.', since: '1.2' });
    expect(frob.inArgs[0]!.docs).toEqual({ text: 'how hard to frob' });
    expect(frob.outArgs[0]!.docs).toEqual({ summary: 'What came out' });
    expect(iface.properties[0]!.docs).toEqual({ text: 'The annotation wins.' });
    expect(iface.signals[0]!.docs).toEqual({ text: 'It is done.' });
  });
});

describe('parse: the extra well-formedness scan', () => {
  it('ignores "<" in comments, CDATA, PIs and DOCTYPE entity values', () => {
    const text =
      '<!DOCTYPE node [ <!ENTITY X "a &lt; b"> <!-- "<" --> ]>\n<node><!-- a="<" --><?foo a="<"?><interface name="a.b"><annotation name="x.y" value="&X;"/></interface></node>';
    expect(parse(text).lines).toEqual([
      'x.xml:2:21: warning DBUS013: processing instruction <?foo?> in <node> ignored',
    ]);
  });

  it('finds "<" in single-quoted values too', () => {
    expect(parse("<node>\n  <interface name='a<b'/></node>").lines).toEqual([
      "x.xml:2:21: error DBUS004: XML is not well-formed: unescaped '<' in an attribute value (write &lt;)",
    ]);
  });

  it('warns about entity references nobody declared', () => {
    expect(
      diagnostics(
        '<node><interface name="a.b"><annotation name="x.y" value="&NOPE;"/></interface></node>',
      ),
    ).toEqual([
      'x.xml:1:29: warning DBUS014: attribute "value" of <annotation> refers to entity "&NOPE;", which the document does not declare',
    ]);
  });
});
