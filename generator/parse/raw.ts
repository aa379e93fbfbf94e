/**
 * The parser's output: XML elements with positions, before any D-Bus rule is applied.
 * `build-model.ts` turns these into the checked model.
 */
import type { Location } from '../../spec/model.js';

export interface RawElement {
  /** The tag name as written, namespace prefix included (`node`, `doc:doc`). */
  readonly name: string;
  /** Attribute values with entities expanded. */
  readonly attrs: Readonly<Record<string, string>>;
  /** Child elements, in document order, after `<?if?>` evaluation. */
  readonly children: readonly RawElement[];
  /** Elements and text runs in document order (for documentation elements). */
  readonly content: readonly (RawElement | string)[];
  /** The XML comment directly before this element (only whitespace between), if any. */
  readonly comment: string | undefined;
  readonly location: Location;
}

export function isElement(x: RawElement | string): x is RawElement {
  return typeof x !== 'string';
}
