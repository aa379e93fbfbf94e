/** `<annotation>` elements, with the values the standard annotations allow (Deprecated and
 * Method.NoReply: true/false; Property.EmitsChangedSignal: true/invalidates/const/false). */

import { NAME_ANNOTATION, TYPE_PREFIX } from '../../emitters/ts-names.js';
import type { Annotation } from '../../spec/model.js';
import { EMITS_CHANGED_ANNOTATION, EMITS_CHANGED_VALUES } from '../../spec/properties.js';
import type { Diagnostics } from '../diagnostics.js';
import type { RawElement } from '../parse/raw.js';
import { checkAttributes, childrenOf, requireAttr } from './elements.js';

export const DEPRECATED = 'org.freedesktop.DBus.Deprecated';
export const NO_REPLY = 'org.freedesktop.DBus.Method.NoReply';
export const EMITS_CHANGED = EMITS_CHANGED_ANNOTATION;

const ALLOWED_VALUES: ReadonlyMap<string, readonly string[]> = new Map([
  [DEPRECATED, ['true', 'false']],
  [NO_REPLY, ['true', 'false']],
  [EMITS_CHANGED, [...EMITS_CHANGED_VALUES]],
]);

export function buildAnnotations(els: readonly RawElement[], diags: Diagnostics): Annotation[] {
  const out: Annotation[] = [];
  for (const el of els) {
    checkAttributes(el, 'annotation', diags);
    childrenOf(el, [], diags);
    const name = requireAttr(el, 'name', diags);
    const value = requireAttr(el, 'value', diags);
    if (name === undefined || value === undefined) continue;
    const allowed = ALLOWED_VALUES.get(name);
    if (allowed !== undefined && !allowed.includes(value)) {
      diags.error(
        'DBUS060',
        `${name} is "${value}", expected ${allowed.map((a) => `"${a}"`).join(' or ')}`,
        el.location,
      );
      continue;
    }
    if (name === NAME_ANNOTATION && !TYPE_PREFIX.test(value)) {
      diags.error(
        'DBUS060',
        `${name} is "${value}", expected a PascalCase identifier such as "BluezDevice1"`,
        el.location,
      );
      continue;
    }
    out.push({ kind: 'annotation', name, value, location: el.location });
  }
  return out;
}

/** name -> value; the first of repeated annotations wins. */
export function annotationMap(annotations: readonly Annotation[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const a of annotations) if (!map.has(a.name)) map.set(a.name, a.value);
  return map;
}
