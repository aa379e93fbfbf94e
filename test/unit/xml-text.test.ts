// The one XML escaper and the one <busconfig> writer (spec/xml.ts), used by the policy emitter
// and the private bus: what they write reads back as what was meant.
import fc from 'fast-check';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { renderPolicy } from '../../emitters/policy.js';
import { privateBusConfigText } from '../../runtime/security/bus-config.js';
import { planPolicy } from '../../spec/policy.js';
import { busconfigDocument, escapeXml, xmlCommentText } from '../../spec/xml.js';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  processEntities: true,
  htmlEntities: true,
  trimValues: false,
  parseTagValue: false,
  parseAttributeValue: false,
});

describe('XML text', () => {
  it('an escaped attribute value reads back unchanged, control characters included', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (s) => {
        // biome-ignore lint/suspicious/noControlCharactersInRegex: XML 1.0 excludes exactly these
        fc.pre(!/[\0-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]/.test(s));
        const doc = parser.parse(`<a v="${escapeXml(s)}"/>`) as { a: { v: string } };
        expect(doc.a.v).toBe(s);
      }),
      { numRuns: 500 },
    );
  });

  it('comment text never holds "--"', () => {
    expect(xmlCommentText('a--b---c-d')).toBe('a- -b- - -c-d');
  });

  it('both busconfig writers produce the same document shell', () => {
    const runtime = privateBusConfigText({ socketPath: '/run/a&b', policyXml: '' });
    const plan = planPolicy({
      scheme: 'same-uid',
      qemuUser: 'qemu',
      helperUsers: [],
      busNames: new Map([['org.qemu.VMState1.h', ['org.qemu.VMState1']]]),
    });
    if ('errors' in plan) throw new Error(plan.errors.join('; '));
    const policy = renderPolicy(plan);
    const shell = busconfigDocument([]);
    const [head] = shell.split('<busconfig>');
    for (const doc of [runtime, policy]) {
      expect(doc.startsWith(head!)).toBe(true);
      expect(doc.endsWith('</busconfig>\n')).toBe(true);
    }
    expect(runtime).toContain('<listen>unix:path=/run/a%26b</listen>');
  });
});
