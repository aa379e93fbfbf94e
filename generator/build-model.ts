/**
 * Stage 2: the parser's raw elements -> the checked model (spec/model.ts). Every rule of
 * the D-Bus specification (types, names, introspection format) that concerns one document is applied here, with each problem
 * reported at its element; an element that breaks a rule does not enter the model.
 */

import type {
  Document,
  EmitsChangedSignal,
  Interface,
  Method,
  Node,
  Property,
  Signal,
} from '../spec/model.js';
import {
  errorNameProblem,
  interfaceNameProblem,
  objectPathProblem,
  STANDARD_INTERFACES,
} from '../spec/names.js';
import {
  annotationMap,
  buildAnnotations,
  DEPRECATED,
  EMITS_CHANGED,
} from './build-model/annotations.js';
import { foreignDocs, mergeDocs } from './build-model/docs.js';
import {
  checkAttributes,
  checkEntities,
  checkText,
  childrenOf,
  requireAttr,
} from './build-model/elements.js';
import { interfaceXml } from './build-model/interface-xml.js';
import {
  buildMethod,
  buildProperty,
  buildSignal,
  errorsSince,
  ownComment,
} from './build-model/members.js';
import { checkMembers } from './check-interface.js';
import type { Diagnostics } from './diagnostics.js';
import type { RawElement } from './parse/raw.js';

/** Builds one document's model; the caller discards it when `diags` holds errors. */
export function buildDocument(file: string, root: RawElement, diags: Diagnostics): Document {
  return { kind: 'document', file, root: buildNode(root, undefined, diags) };
}

function buildNode(
  el: RawElement,
  parentPath: string | undefined | null,
  diags: Diagnostics,
): Node {
  checkAttributes(el, 'node', diags);
  checkText(el, diags);
  const isRoot = parentPath === undefined;
  const name = el.attrs['name'];
  let path: string | undefined;
  if (isRoot) {
    if (name !== undefined) {
      const problem = objectPathProblem(name);
      if (problem !== undefined) {
        diags.error(
          'DBUS034',
          `root <node name="${name}"> must be an absolute object path: ${problem}`,
          el.location,
        );
      } else path = name;
    }
  } else if (name === undefined) {
    diags.error(
      'DBUS010',
      'a child <node> needs a "name" attribute (a relative path)',
      el.location,
    );
  } else if (name.startsWith('/')) {
    diags.error(
      'DBUS034',
      `child <node name="${name}"> must be relative to its parent, not absolute`,
      el.location,
    );
  } else {
    const joined =
      parentPath === null ? `/${name}` : parentPath === '/' ? `/${name}` : `${parentPath}/${name}`;
    const problem = objectPathProblem(joined);
    if (problem !== undefined) {
      diags.warning(
        'DBUS034',
        `child <node name="${name}"> gives the object path "${joined}", which is not valid: ${problem} (a warning: child nodes only announce objects, no code is generated from them)`,
        el.location,
      );
    } else if (parentPath !== null) path = joined;
  }
  for (const doc of el.children) checkErrorNames(doc, diags);
  const children = childrenOf(el, ['node', 'interface'], diags);
  const interfaces: Interface[] = [];
  const seen = new Map<string, Interface>();
  for (const c of children.filter((c) => c.name === 'interface')) {
    const iface = buildInterface(c, diags);
    if (iface === undefined) continue;
    const first = seen.get(iface.name);
    if (first !== undefined) {
      diags.error(
        'DBUS055',
        `interface "${iface.name}" is already listed in this <node> at line ${first.location.line}:${first.location.column}`,
        iface.location,
      );
      continue;
    }
    seen.set(iface.name, iface);
    interfaces.push(iface);
  }
  // An unnamed root has no known path; its children are still checked as relative paths.
  const childParent = path ?? null;
  const nodes = children
    .filter((c) => c.name === 'node')
    .map((c) => buildNode(c, childParent, diags));
  return { kind: 'node', name, path, interfaces, children: nodes, location: el.location };
}

function buildInterface(el: RawElement, diags: Diagnostics): Interface | undefined {
  checkAttributes(el, 'interface', diags);
  checkText(el, diags);
  const before = diags.items.length;
  const name = requireAttr(el, 'name', diags);
  if (name !== undefined) {
    const problem = interfaceNameProblem(name);
    if (problem !== undefined) {
      diags.error('DBUS030', `interface name "${name}" is not valid: ${problem}`, el.location);
    } else if (name.startsWith('org.freedesktop.DBus.') && !STANDARD_INTERFACES.has(name)) {
      diags.warning(
        'DBUS035',
        `interface "${name}" is in the org.freedesktop.DBus namespace, which belongs to the D-Bus specification`,
        el.location,
      );
    }
  }
  const children = childrenOf(el, ['method', 'signal', 'property', 'annotation'], diags);
  const annotations = buildAnnotations(
    children.filter((c) => c.name === 'annotation'),
    diags,
  );
  const map = annotationMap(annotations);
  const emits = map.get(EMITS_CHANGED) as EmitsChangedSignal | undefined;
  const methods: Method[] = [];
  const signals: Signal[] = [];
  const properties: Property[] = [];
  for (const c of children) {
    if (c.name === 'method') push(methods, buildMethod(c, diags));
    else if (c.name === 'signal') push(signals, buildSignal(c, diags));
    else if (c.name === 'property') push(properties, buildProperty(c, emits, diags));
  }
  if (name === undefined) return undefined;
  checkMembers(name, methods, signals, properties, diags);
  if (errorsSince(diags, before)) return undefined;
  const iface = {
    kind: 'interface' as const,
    name,
    methods,
    signals,
    properties,
    deprecated: map.get(DEPRECATED) === 'true',
    docs: mergeDocs({ comment: ownComment(el, name), annotations: map, foreign: foreignDocs(el) }),
    annotations,
    location: el.location,
  };
  return { ...iface, xml: interfaceXml(iface) };
}

function push<T>(list: T[], item: T | undefined): void {
  if (item !== undefined) list.push(item);
}

/** `<doc:error name="...">` (fwupd, fprintd) names D-Bus errors: check them where used. */
function checkErrorNames(el: RawElement, diags: Diagnostics): void {
  if (el.name === 'doc:error') {
    const name = el.attrs['name'];
    if (name !== undefined) checkEntities(el, 'name', name, diags);
    const problem = name === undefined || name.includes('&') ? undefined : errorNameProblem(name);
    if (problem !== undefined) {
      diags.warning(
        'DBUS033',
        `documented error name "${name}" is not a valid D-Bus error name: ${problem}`,
        el.location,
      );
    }
  }
  for (const c of el.children) checkErrorNames(c, diags);
}
