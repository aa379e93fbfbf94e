/** Character and entity references in the parser (generator/parse/entities.ts, parse.ts). */
import { describe, expect, it } from 'vitest';
import { Diagnostics } from '../../generator/diagnostics.js';
import { expandReferences } from '../../generator/parse/entities.js';
import { parseXml } from '../../generator/parse.js';

describe('entity expansion (generator/parse/entities.ts)', () => {
  it('expands in one pass and leaves invalid or unknown references alone', () => {
    expect(expandReferences('&amp;lt; &#x1F600; &#0; &#xD800; &#99999999; &nbsp;')).toBe(
      '&lt; 😀 &#0; &#xD800; &#99999999; &nbsp;',
    );
  });

  // fast-xml-parser drops a declared entity whose value holds "&" (DBUS014 then warns)
  it('expands a DOCTYPE entity, once', () => {
    const diags = new Diagnostics();
    const root = parseXml(
      'x.xml',
      '<!DOCTYPE node [ <!ENTITY X "a b!"> ]>\n<node><interface name="a.b"><annotation name="x.y" value="&X;|&amp;X;"/></interface></node>',
      { defines: new Map() },
      diags,
    );
    expect(root!.children[0]!.children[0]!.attrs['value']).toBe('a b!|&X;');
  });
});
