/**
 * Structure of the introspection format (the introspect.dtd of the D-Bus specification): which elements
 * may hold which, which attributes exist. Foreign-namespace elements (`doc:`, `tp:`) are
 * documentation or ignored; unknown plain elements get a warning.
 */
import type { Diagnostics } from '../diagnostics.js';
import type { RawElement } from '../parse/raw.js';

export type DBusElement =
  | 'node'
  | 'interface'
  | 'method'
  | 'signal'
  | 'property'
  | 'arg'
  | 'annotation';

const ATTRIBUTES: Readonly<Record<DBusElement, readonly string[]>> = {
  node: ['name'],
  // GDBus accepts `version` on interface and method (gdbusintrospection.c); so do we.
  interface: ['name', 'version'],
  method: ['name', 'version'],
  signal: ['name'],
  property: ['name', 'type', 'access'],
  arg: ['name', 'type', 'direction'],
  annotation: ['name', 'value'],
};

export function isDBusElement(name: string): name is DBusElement {
  return Object.hasOwn(ATTRIBUTES, name);
}

/** Warns about attributes the DTD does not define (namespaced ones are tolerated). */
export function checkAttributes(el: RawElement, kind: DBusElement, diags: Diagnostics): void {
  const known = ATTRIBUTES[kind];
  for (const [attr, value] of Object.entries(el.attrs)) {
    checkEntities(el, attr, value, diags);
    if (known.includes(attr) || attr.includes(':') || attr === 'xmlns') continue;
    diags.warning(
      'DBUS008',
      `attribute "${attr}" is not part of <${kind}> in the introspection format; ignored`,
      el.location,
    );
  }
}

/** Warns about text inside an element that holds only elements (GDBus ignores it too). */
export function checkText(el: RawElement, diags: Diagnostics): void {
  const text = el.content.filter((c): c is string => typeof c === 'string').join('');
  if (text.trim() !== '') {
    const shown = text.trim().replace(/\s+/g, ' ').slice(0, 40);
    diags.warning('DBUS007', `text "${shown}" inside <${el.name}> is ignored`, el.location);
  }
}

/**
 * The children of `el` of the allowed kinds. A D-Bus element in the wrong place is an error;
 * `<annotation>` in `<node>` (a GDBus extension) and unknown plain elements are warnings.
 */
export function childrenOf(
  el: RawElement,
  allowed: readonly DBusElement[],
  diags: Diagnostics,
): RawElement[] {
  const out: RawElement[] = [];
  for (const c of el.children) {
    if ((allowed as readonly string[]).includes(c.name)) out.push(c);
    else if (c.name.includes(':')) continue;
    else if (c.name === 'annotation') {
      diags.warning(
        'DBUS062',
        `<annotation> is not allowed inside <${el.name}> by the introspection format; ignored`,
        c.location,
      );
    } else if (isDBusElement(c.name)) {
      const may = allowed.length === 0 ? 'no children' : allowed.map((a) => `<${a}>`).join(', ');
      diags.error(
        'DBUS009',
        `<${c.name}> is not allowed inside <${el.name}> (it may hold ${may})`,
        c.location,
      );
    } else {
      diags.warning(
        'DBUS006',
        `unknown element <${c.name}> inside <${el.name}>; ignored`,
        c.location,
      );
    }
  }
  return out;
}

/** The attribute's value, or undefined after reporting it missing. */
export function requireAttr(el: RawElement, attr: string, diags: Diagnostics): string | undefined {
  const v = el.attrs[attr];
  if (v === undefined) {
    diags.error('DBUS010', `<${el.name}> is missing the required "${attr}" attribute`, el.location);
  }
  return v;
}

const ENTITY_REF = /&([A-Za-z_:][\w.:-]*);/;

/** An entity reference left after expansion was never declared (fast-xml-parser keeps it). */
export function checkEntities(
  el: RawElement,
  attr: string,
  value: string,
  diags: Diagnostics,
): void {
  const m = ENTITY_REF.exec(value);
  if (m !== null) {
    diags.warning(
      'DBUS014',
      `attribute "${attr}" of <${el.name}> refers to entity "&${m[1]};", which the document does not declare`,
      el.location,
    );
  }
}
