import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { readFileSync } from 'node:fs';
for (const s of ['', '   ', '<node><interface name="a.b">', '<node/><node/>', '<node><interface name="a.b"></node>', 'hello', '<node a="1" a="2"/>', '<node><x:y/></node>', '<?xml version="1.0"?>\n<!DOCTYPE node [ <!ENTITY E "x.y"> ]>\n<node><interface name="&E;"/></node>', '<node>\n  <interface name="a.b"/>\n\n  <!-- c -->\n  <interface name=\'c.d\'/></node>']) {
  console.log(JSON.stringify(s).slice(0,50), JSON.stringify(XMLValidator.validate(s)));
  try { const p = new XMLParser({ preserveOrder: true, captureMetaData: true, ignoreAttributes: false, attributeNamePrefix: '', commentPropName: '#comment', parseTagValue: false, trimValues: false });
  console.log('  ', JSON.stringify(p.parse(s))); } catch (e) { console.log('  throw', e.message); }
}
for (const f of ['polkit/org.freedesktop.PolicyKit1.Authority.xml','polkit/org.freedesktop.PolicyKit1.AuthenticationAgent.xml']) console.log(f, JSON.stringify(XMLValidator.validate(readFileSync('/work/shared/corpus/'+f,'utf8'))));
