/** `<method>`, `<signal>`, `<property>` and `<arg>`: raw elements to checked model records. */

import type {
  Access,
  Annotation,
  Arg,
  Direction,
  Docs,
  EmitsChangedSignal,
  Location,
  Method,
  Property,
  Signal,
} from '../../spec/model.js';
import { memberNameProblem } from '../../spec/names.js';
import { PROPERTY_ACCESS } from '../../spec/properties.js';
import { parseSingleType, SignatureError, type TypeNode } from '../../spec/signature.js';
import type { Diagnostics } from '../diagnostics.js';
import type { RawElement } from '../parse/raw.js';
import {
  annotationMap,
  buildAnnotations,
  DEPRECATED,
  EMITS_CHANGED,
  NO_REPLY,
} from './annotations.js';
import { type DocComment, foreignDocs, mergeDocs, parseDocComment } from './docs.js';
import { checkAttributes, checkText, childrenOf, requireAttr } from './elements.js';

const MAX_JOINED = 255;

/** The element's gtk-doc comment when its symbol names the element. */
export function ownComment(el: RawElement, symbol: string | undefined): DocComment | undefined {
  if (el.comment === undefined || symbol === undefined) return undefined;
  const c = parseDocComment(el.comment);
  return c?.symbol === symbol ? c : undefined;
}

/** Parses a `type` attribute as one complete type, reporting a precise reason. */
export function checkType(
  signature: string,
  what: string,
  at: Location,
  diags: Diagnostics,
): TypeNode | undefined {
  try {
    return parseSingleType(signature);
  } catch (e) {
    if (!(e instanceof SignatureError)) throw e;
    const single = /single complete type|empty signature/.test(e.reason);
    diags.error(
      single ? 'DBUS021' : 'DBUS020',
      `type "${signature}" of ${what} is not valid: ${e.reason} at position ${e.position}`,
      at,
    );
    return undefined;
  }
}

function checkMemberName(el: RawElement, diags: Diagnostics): string | undefined {
  const name = requireAttr(el, 'name', diags);
  if (name === undefined) return undefined;
  const problem = memberNameProblem(name);
  if (problem !== undefined) {
    diags.error(
      'DBUS031',
      `${el.name} name "${name}" is not a valid member name: ${problem}`,
      el.location,
    );
    return undefined;
  }
  return name;
}

function buildArg(
  el: RawElement,
  owner: 'method' | 'signal',
  ownerName: string,
  index: number,
  comment: DocComment | undefined,
  diags: Diagnostics,
): Arg | undefined {
  checkAttributes(el, 'arg', diags);
  checkText(el, diags);
  const annotations = buildAnnotations(childrenOf(el, ['annotation'], diags), diags);
  const name = el.attrs['name'];
  const what = `argument ${name === undefined ? `#${index}` : `"${name}"`} of ${owner} "${ownerName}"`;
  const raw = el.attrs['direction'];
  let direction: Direction | undefined;
  if (owner === 'method') {
    if (raw === undefined || raw === 'in' || raw === 'out') direction = raw ?? 'in';
    else
      diags.error(
        'DBUS040',
        `direction "${raw}" of ${what} is not valid: expected "in" or "out"`,
        el.location,
      );
  } else if (raw === undefined || raw === 'out') {
    direction = 'out';
  } else if (raw === 'in') {
    // When relaxed, the argument is what the wire makes it anyway: out.
    if (
      !diags.error(
        'DBUS041',
        `${what} has direction "in": signal arguments are always "out"`,
        el.location,
      )
    )
      direction = 'out';
  } else {
    diags.error(
      'DBUS040',
      `direction "${raw}" of ${what} is not valid: signal arguments are "out"`,
      el.location,
    );
  }
  const signature = requireAttr(el, 'type', diags);
  const type = signature === undefined ? undefined : checkType(signature, what, el.location, diags);
  if (type === undefined || direction === undefined || signature === undefined) return undefined;
  const docs = mergeDocs({
    comment: undefined,
    paramText: name === undefined ? undefined : comment?.params.get(name),
    annotations: annotationMap(annotations),
    foreign: foreignDocs(el),
  });
  return {
    kind: 'arg',
    name,
    signature,
    type,
    direction,
    docs,
    annotations,
    location: el.location,
  };
}

function checkJoined(args: readonly Arg[], what: string, at: Location, diags: Diagnostics): string {
  const joined = args.map((a) => a.signature).join('');
  if (joined.length > MAX_JOINED) {
    diags.error(
      'DBUS022',
      `the ${what} signature is ${joined.length} bytes; a message signature holds at most ${MAX_JOINED}`,
      at,
    );
  }
  return joined;
}

/** What methods and signals share: name, own comment, annotations, args and docs. */
interface MemberParts {
  readonly name: string;
  readonly args: Arg[];
  readonly annotations: Annotation[];
  readonly map: Map<string, string>;
  readonly docs: Docs;
}

/** The shared parts of a method or signal; undefined when any is invalid (already reported). */
function buildMemberParts(
  el: RawElement,
  owner: 'method' | 'signal',
  diags: Diagnostics,
): MemberParts | undefined {
  checkAttributes(el, owner, diags);
  checkText(el, diags);
  const before = diags.items.length;
  const name = checkMemberName(el, diags);
  const comment = ownComment(el, name);
  const children = childrenOf(el, ['arg', 'annotation'], diags);
  const annotations = buildAnnotations(
    children.filter((c) => c.name === 'annotation'),
    diags,
  );
  const args = children
    .filter((c) => c.name === 'arg')
    .map((c, i) => buildArg(c, owner, name ?? '?', i, comment, diags));
  if (name === undefined || errorsSince(diags, before)) return undefined;
  const map = annotationMap(annotations);
  const docs = mergeDocs({ comment, annotations: map, foreign: foreignDocs(el) });
  return { name, args: args as Arg[], annotations, map, docs };
}

/** Builds a method; undefined when any part of it is invalid (already reported). */
export function buildMethod(el: RawElement, diags: Diagnostics): Method | undefined {
  const parts = buildMemberParts(el, 'method', diags);
  if (parts === undefined) return undefined;
  const { name, args, annotations, map, docs } = parts;
  const inArgs = args.filter((a) => a.direction === 'in');
  const outArgs = args.filter((a) => a.direction === 'out');
  const inSignature = checkJoined(inArgs, `in-argument of method "${name}"`, el.location, diags);
  const outSignature = checkJoined(outArgs, `out-argument of method "${name}"`, el.location, diags);
  const noReply = map.get(NO_REPLY) === 'true';
  if (noReply && outArgs.length > 0) {
    diags.warning(
      'DBUS061',
      `method "${name}" is marked ${NO_REPLY} but declares out-arguments; callers never receive them`,
      el.location,
    );
  }
  return {
    kind: 'method',
    name,
    inArgs,
    outArgs,
    inSignature,
    outSignature,
    noReply,
    deprecated: map.get(DEPRECATED) === 'true',
    docs,
    annotations,
    location: el.location,
  };
}

export function buildSignal(el: RawElement, diags: Diagnostics): Signal | undefined {
  const parts = buildMemberParts(el, 'signal', diags);
  if (parts === undefined) return undefined;
  const { name, args, annotations, map, docs } = parts;
  const signature = checkJoined(args, `argument of signal "${name}"`, el.location, diags);
  return {
    kind: 'signal',
    name,
    args,
    signature,
    deprecated: map.get(DEPRECATED) === 'true',
    docs,
    annotations,
    location: el.location,
  };
}

const ACCESS: readonly string[] = PROPERTY_ACCESS;

export function buildProperty(
  el: RawElement,
  interfaceEmits: EmitsChangedSignal | undefined,
  diags: Diagnostics,
): Property | undefined {
  checkAttributes(el, 'property', diags);
  checkText(el, diags);
  const before = diags.items.length;
  const annotations = buildAnnotations(childrenOf(el, ['annotation'], diags), diags);
  const name = requireAttr(el, 'name', diags);
  if (name !== undefined) {
    const problem = memberNameProblem(name);
    if (problem !== undefined) {
      diags.warning(
        'DBUS032',
        `property name "${name}" is not a valid member name (${problem}); other bindings may not handle it`,
        el.location,
      );
    }
  }
  const signature = requireAttr(el, 'type', diags);
  const what = `property "${name ?? '?'}"`;
  const type = signature === undefined ? undefined : checkType(signature, what, el.location, diags);
  const access = requireAttr(el, 'access', diags);
  if (access !== undefined && !ACCESS.includes(access)) {
    diags.error(
      'DBUS042',
      `access "${access}" of ${what} is not valid: expected "read", "write" or "readwrite"`,
      el.location,
    );
  }
  if (
    name === undefined ||
    signature === undefined ||
    type === undefined ||
    errorsSince(diags, before)
  ) {
    return undefined;
  }
  const map = annotationMap(annotations);
  return {
    kind: 'property',
    name,
    signature,
    type,
    access: access as Access,
    emitsChangedSignal: (map.get(EMITS_CHANGED) ?? interfaceEmits ?? 'true') as EmitsChangedSignal,
    deprecated: map.get(DEPRECATED) === 'true',
    docs: mergeDocs({ comment: ownComment(el, name), annotations: map, foreign: foreignDocs(el) }),
    annotations,
    location: el.location,
  };
}

export function errorsSince(diags: Diagnostics, before: number): boolean {
  for (let i = before; i < diags.items.length; i++) {
    if (diags.items[i]!.severity === 'error') return true;
  }
  return false;
}
