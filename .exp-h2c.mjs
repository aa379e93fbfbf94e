import { XMLParser, XMLValidator } from 'fast-xml-parser';
const sym = XMLParser.getMetaDataSymbol();
const p = new XMLParser({ preserveOrder: true, captureMetaData: true, ignoreAttributes: false, attributeNamePrefix: '', commentPropName: '#comment', parseTagValue: false, trimValues: false });
const r = p.parse('<node>\n<interface name="a.b">\n<method name="x"></method>');
console.log(r[0][sym], r[0].node[1][sym]);
const r2 = p.parse('<node>&foo; &amp; &#65; <interface name="a&lt;b&bar;"/></node>');
console.log(JSON.stringify(r2), JSON.stringify(XMLValidator.validate('<node>&foo; <interface name="a&lt;b&bar;"/></node>')));
console.log(JSON.stringify(XMLValidator.validate('<node>\n <a>\n</b></node>')));
