/** Inline XML -> checked documents for lint/docs/overlay tests (parse + build, no files). */
import { buildDocument } from '../../generator/build-model.js';
import { Diagnostics, formatDiagnostic } from '../../generator/diagnostics.js';
import { type AnnotationOverride, applyOverlay } from '../../generator/overlay.js';
import { parseXml } from '../../generator/parse.js';
import type { Document } from '../../spec/model.js';

export function modelOf(
  xml: string,
  file = 'test.xml',
  overrides: readonly AnnotationOverride[] = [],
): { doc: Document | undefined; diags: string[] } {
  const diags = new Diagnostics();
  const root = parseXml(file, xml, { defines: new Map() }, diags);
  if (root === undefined) return { doc: undefined, diags: diags.items.map(formatDiagnostic) };
  const [input] = applyOverlay([{ file, root }], overrides, diags);
  const doc = buildDocument(file, input!.root, diags);
  const errors = diags.items.filter((d) => d.severity === 'error');
  return { doc: errors.length ? undefined : doc, diags: diags.items.map(formatDiagnostic) };
}

export function docOf(xml: string, file = 'test.xml'): Document {
  const { doc, diags } = modelOf(xml, file);
  if (doc === undefined) throw new Error(`fixture does not check:\n${diags.join('\n')}`);
  return doc;
}

/** A documented, versioned, well-named interface wrapped around `body`. */
export function iface(
  body: string,
  name = 'com.example.Thing1',
  nodeName = '/com/example/Thing1',
): string {
  return `<node name="${nodeName}">
  <!--
    ${name}:
    A thing.
  -->
  <interface name="${name}">
${body}
  </interface>
</node>`;
}
