/**
 * Stage 1: introspection XML text -> {@link RawElement} tree with line:col for every element.
 * fast-xml-parser (preserveOrder + captureMetaData) does the reading; this module adds what it
 * lacks: located well-formedness errors, `<?if?>` evaluation, doc comments kept in order.
 */
import { createRequire } from 'node:module';
import type * as Fxp from 'fast-xml-parser';
import type { Diagnostics } from './diagnostics.js';
import { ConditionStack, isDirective, piBody } from './parse/conditions.js';
import { EntityExpansionError, xmlEntityDecoder } from './parse/entities.js';
import { LineIndex } from './parse/location.js';
import type { RawElement } from './parse/raw.js';
import { blankDoctypeComments, findLtInAttributeValues } from './parse/wellformed.js';

export type { RawElement } from './parse/raw.js';

export interface ParseOptions {
  /** Values for `$(env.NAME)` in `<?if?>` blocks. */
  readonly defines: ReadonlyMap<string, string>;
}

/** One node of fast-xml-parser's preserveOrder output. */
type FxpNode = Record<string, unknown> & {
  ':@'?: Record<string, string>;
  [META]?: { startIndex?: number; endIndex?: number };
};

/**
 * fast-xml-parser's CommonJS bundle (one file) rather than its ESM build (~25 modules, with the
 * XML builder and every is-unsafe context): the same version and results (test/unit/
 * parse-bundle.test.ts), ~50 ms less of a one-edit regeneration.
 */
const { XMLParser, XMLValidator } = createRequire(import.meta.url)('fast-xml-parser') as typeof Fxp;

const META = XMLParser.getMetaDataSymbol() as unknown as symbol;
const COMMENT = '#comment';
const TEXT = '#text';
const MAX_LT_REPORTS = 20;

const entities = xmlEntityDecoder();
let parser: Fxp.XMLParser | undefined;
function fxp(): Fxp.XMLParser {
  parser ??= new XMLParser({
    preserveOrder: true,
    captureMetaData: true,
    ignoreAttributes: false,
    attributeNamePrefix: '',
    commentPropName: COMMENT,
    textNodeName: TEXT,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: false,
    removeNSPrefix: false,
    processEntities: true,
    // the default decoder leaves character references (`&#10;`) unexpanded
    entityDecoder: entities,
    ignoreDeclaration: false,
    ignorePiTags: false,
  });
  return parser;
}

/** Parses one file. Returns the root `<node>`, or undefined when the XML is unusable. */
export function parseXml(
  file: string,
  source: string,
  options: ParseOptions,
  diags: Diagnostics,
): RawElement | undefined {
  const text = blankDoctypeComments(source.charCodeAt(0) === 0xfeff ? source.slice(1) : source);
  const lines = new LineIndex(file, text);
  entities.limitTo(text.length);
  if (text.trim() === '') {
    diags.error('DBUS002', 'empty document: expected a <node> element', lines.at(1, 1));
    return undefined;
  }
  if (!wellFormed(text, lines, diags)) return undefined;
  let tree: FxpNode[];
  try {
    tree = fxp().parse(text) as FxpNode[];
  } catch (e) {
    if (e instanceof EntityExpansionError) {
      diags.error('DBUS015', e.message, lines.locate(entityDeclaration(text, e.entity)));
      return undefined;
    }
    diags.error('DBUS001', `XML is not well-formed: ${(e as Error).message}`, lines.at(1, 1));
    return undefined;
  }
  const roots = new Converter(text, lines, options, diags).children(tree, '');
  const elements = roots.filter((r): r is RawElement => typeof r !== 'string');
  const root = elements[0];
  if (root === undefined) {
    diags.error('DBUS002', 'empty document: expected a <node> element', lines.at(1, 1));
    return undefined;
  }
  if (root.name !== 'node') {
    diags.error('DBUS005', `root element is <${root.name}>, expected <node>`, root.location);
    return undefined;
  }
  for (const extra of elements.slice(1)) {
    diags.error(
      'DBUS005',
      `a second root element <${extra.name}>: a document holds exactly one <node>`,
      extra.location,
    );
  }
  return root;
}

/** Where `<!ENTITY name` is declared (the DOCTYPE), else the document's start. */
function entityDeclaration(text: string, name: string): number {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`<!ENTITY\\s+${escaped}\\s`).exec(text);
  return m?.index ?? 0;
}

function wellFormed(text: string, lines: LineIndex, diags: Diagnostics): boolean {
  const result = XMLValidator.validate(text, { allowBooleanAttributes: false });
  if (result !== true) {
    const { msg, line, col } = result.err;
    if (msg === 'Start tag expected.' && !/<[A-Za-z_]/.test(text)) {
      diags.error('DBUS002', 'empty document: expected a <node> element', lines.at(line, col ?? 1));
    } else if (/^Invalid '\[.*\]' found\.?$/s.test(msg)) {
      reportUnclosed(text, lines, diags);
    } else {
      diags.error('DBUS001', `XML is not well-formed: ${msg}`, lines.at(line, col ?? 1));
    }
    return false;
  }
  const lts = findLtInAttributeValues(text);
  for (const [i, offset] of lts.slice(0, MAX_LT_REPORTS).entries()) {
    const more =
      i === MAX_LT_REPORTS - 1 && lts.length > MAX_LT_REPORTS
        ? ` (${lts.length - MAX_LT_REPORTS} more not shown)`
        : '';
    diags.error(
      'DBUS004',
      `XML is not well-formed: unescaped '<' in an attribute value (write &lt;)${more}`,
      lines.locate(offset),
    );
  }
  return lts.length === 0;
}

/** The validator only says "Invalid '[node, interface]' found": locate the innermost open tag. */
function reportUnclosed(text: string, lines: LineIndex, diags: Diagnostics): void {
  let innermost: { name: string; offset: number } | undefined;
  const walk = (nodes: FxpNode[]): void => {
    for (const n of nodes) {
      const name = tagOf(n);
      const meta = n[META];
      if (name === undefined || meta?.startIndex === undefined) continue;
      if (meta.endIndex === undefined) innermost = { name, offset: meta.startIndex };
      const kids = n[name];
      if (Array.isArray(kids)) walk(kids as FxpNode[]);
    }
  };
  try {
    walk(fxp().parse(text) as FxpNode[]);
  } catch {
    // fall through to the generic message
  }
  if (innermost === undefined) {
    diags.error('DBUS003', 'XML is not well-formed: an element is never closed', lines.at(1, 1));
  } else {
    diags.error(
      'DBUS003',
      `XML is not well-formed: <${innermost.name}> is never closed`,
      lines.locate(innermost.offset),
    );
  }
}

function tagOf(n: FxpNode): string | undefined {
  for (const k in n) if (k !== ':@') return k;
  return undefined;
}

class Converter {
  constructor(
    private readonly text: string,
    private readonly lines: LineIndex,
    private readonly options: ParseOptions,
    private readonly diags: Diagnostics,
  ) {}

  /** Converts a children list, evaluating `<?if?>` blocks and pairing comments with elements. */
  children(nodes: FxpNode[], parentName: string): (RawElement | string)[] {
    const out: (RawElement | string)[] = [];
    const conditions = new ConditionStack(this.options.defines, this.diags);
    let comment: string | undefined;
    for (const n of nodes) {
      const tag = tagOf(n);
      if (tag === undefined) continue;
      if (tag.startsWith('?')) {
        this.instruction(n, tag.slice(1), conditions, parentName);
        continue;
      }
      if (!conditions.active) continue;
      if (tag === TEXT) {
        const t = String(n[TEXT]);
        if (t.trim() !== '') comment = undefined;
        out.push(t);
      } else if (tag === COMMENT) {
        comment = textOf(n[COMMENT]);
      } else {
        out.push(this.element(n, tag, comment));
        comment = undefined;
      }
    }
    conditions.finish();
    return out;
  }

  private instruction(
    n: FxpNode,
    target: string,
    conditions: ConditionStack,
    parentName: string,
  ): void {
    if (target === 'xml' || target === 'xml-stylesheet') return;
    const offset = this.offset(n);
    const at = this.lines.locate(offset);
    if (isDirective(target)) {
      conditions.apply(target, piBody(this.text, offset, target), at);
    } else if (conditions.active) {
      const where = parentName === '' ? 'at top level' : `in <${parentName}>`;
      this.diags.warning('DBUS013', `processing instruction <?${target}?> ${where} ignored`, at);
    }
  }

  private element(n: FxpNode, name: string, comment: string | undefined): RawElement {
    const kids = n[name];
    const content = Array.isArray(kids) ? this.children(kids as FxpNode[], name) : [];
    return {
      name,
      attrs: n[':@'] ?? {},
      children: content.filter((c): c is RawElement => typeof c !== 'string'),
      content,
      comment,
      location: this.lines.locate(this.offset(n)),
    };
  }

  private offset(n: FxpNode): number {
    return n[META]?.startIndex ?? 0;
  }
}

function textOf(value: unknown): string {
  if (Array.isArray(value)) return value.map((v) => textOf((v as FxpNode)[TEXT])).join('');
  return value === undefined ? '' : String(value);
}
