import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { readFileSync } from 'node:fs';
const f = process.argv[2];
const src = readFileSync(f, 'utf8');
console.log('valid:', JSON.stringify(XMLValidator.validate(src)));
const p = new XMLParser({ preserveOrder: true, captureMetaData: true, ignoreAttributes: false, attributeNamePrefix: '', commentPropName: '#comment', parseTagValue: false, parseAttributeValue: false, trimValues: false, processEntities: true });
const out = p.parse(src);
const sym = XMLParser.getMetaDataSymbol();
function show(nodes, d) {
  for (const n of nodes) {
    const keys = Object.keys(n).filter(k => k !== ':@');
    const k = keys[0];
    const meta = n[sym];
    const attrs = n[':@'];
    if (k === '#text') { if (String(n[k]).trim()) console.log(' '.repeat(d) + 'TEXT ' + JSON.stringify(String(n[k]).slice(0,60))); continue; }
    console.log(' '.repeat(d) + k + ' ' + JSON.stringify(attrs ?? {}).slice(0, 120) + ' meta=' + JSON.stringify(meta));
    if (Array.isArray(n[k])) show(n[k], d + 2);
    else console.log(' '.repeat(d+2) + 'VAL ' + JSON.stringify(n[k]).slice(0,100));
  }
}
show(out, 0);
