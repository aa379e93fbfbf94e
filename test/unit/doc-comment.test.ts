import { describe, expect, it } from 'vitest';
import { parseDocComment } from '../../generator/build-model/docs.js';
import { check } from '../../generator/check.js';

describe('parseDocComment: gtk-doc @arg descriptions', () => {
  it('keeps a wrapped @arg description with its arg, not in the body', () => {
    const c = parseDocComment(`
        Grab:
        @selection: the selection to grab, e.g. the clipboard or
          the primary selection.
        @serial: a number that increases
                 with every grab.
        @mimes: the MIME types offered.

        Grabs the clipboard.
    `);
    expect(c?.symbol).toBe('Grab');
    expect(Object.fromEntries(c!.params)).toEqual({
      selection: 'the selection to grab, e.g. the clipboard or the primary selection.',
      serial: 'a number that increases with every grab.',
      mimes: 'the MIME types offered.',
    });
    expect(c?.body).toBe('Grabs the clipboard.');
  });

  it('ends a description at a blank line: what follows is the body', () => {
    const c = parseDocComment('Frob:\n@level: how hard\n\nFrobs.\nTwice.\n');
    expect(Object.fromEntries(c!.params)).toEqual({ level: 'how hard' });
    expect(c?.body).toBe('Frobs.\nTwice.');
  });

  it('starts the body at a line as shallow as the @ (gdbus-codegen; Flatpak writes it so)', () => {
    const c = parseDocComment(
      '  Response:\n  @response: Numeric response\n  @results: Vardict with results.\n  Emitted when the interaction is over.\n',
    );
    expect(Object.fromEntries(c!.params)).toEqual({
      response: 'Numeric response',
      results: 'Vardict with results.',
    });
    expect(c?.body).toBe('Emitted when the interaction is over.');
  });

  it('never continues @since at its own depth: udisks and NetworkManager start the body there', () => {
    const c = parseDocComment('Size:\n@since: 2.0.0\nThe size, in bytes.\nZero if unknown.');
    expect(Object.fromEntries(c!.params)).toEqual({ since: '2.0.0' });
    expect(c?.body).toBe('The size, in bytes.\nZero if unknown.');
  });

  it('keeps single-line params, blank lines between tags, and a body-only comment', () => {
    const c = parseDocComment('Frob:\n@a: one\n\n@since: 1.2\n\nBody.');
    expect(Object.fromEntries(c!.params)).toEqual({ a: 'one', since: '1.2' });
    expect(c?.body).toBe('Body.');
    const d = parseDocComment('Frob: Does it.\n\nMore.');
    expect(d?.params.size).toBe(0);
    expect(d?.body).toBe('Does it.\n\nMore.');
  });

  it('carries a wrapped description to the arg model, leaving the method text alone', () => {
    const text = `<node>
  <interface name="com.example.Thing1">
    <!--
        Frob:
        @level: how hard to frob, from 0 (gently)
                to 10 (very hard).

        Frobs the thing.
    -->
    <method name="Frob">
      <arg name="level" type="u" direction="in"/>
    </method>
  </interface>
</node>`;
    const r = check([{ file: 'x.xml', text }]);
    expect(r.diagnostics).toEqual([]);
    const frob = r.interfaces[0]!.iface.methods[0]!;
    expect(frob.docs).toEqual({ text: 'Frobs the thing.' });
    expect(frob.inArgs[0]!.docs).toEqual({
      text: 'how hard to frob, from 0 (gently) to 10 (very hard).',
    });
  });
});
