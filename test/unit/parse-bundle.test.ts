/**
 * generator/parse.ts loads fast-xml-parser's CommonJS bundle (one file) instead of its ESM
 * build (~25 modules) to start faster. Both come from the same package version; this checks
 * that they read every XML file we have identically: the validator's verdict, and the parser's
 * tree with the node metadata (positions) the locations are computed from.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import * as esm from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { xmlEntityDecoder } from '../../generator/parse/entities.js';
import { corpusDir, corpusPresent, repoRoot } from '../support/corpus.js';

const cjs = createRequire(import.meta.url)('fast-xml-parser') as typeof esm;

function xmlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.xml'))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/** What parse.ts sees of one file through one build, as JSON (metadata included). */
function reading(build: typeof esm, text: string): string {
  const verdict = build.XMLValidator.validate(text, { allowBooleanAttributes: false });
  const meta = build.XMLParser.getMetaDataSymbol() as unknown as symbol;
  const withMeta = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(withMeta)
      : typeof v === 'object' && v !== null
        ? {
            ...Object.fromEntries(Object.entries(v).map(([k, x]) => [k, withMeta(x)])),
            meta: (v as Record<symbol, unknown>)[meta],
          }
        : v;
  let tree: unknown;
  try {
    const parser = new build.XMLParser({
      preserveOrder: true,
      captureMetaData: true,
      ignoreAttributes: false,
      attributeNamePrefix: '',
      commentPropName: '#comment',
      textNodeName: '#text',
      parseTagValue: false,
      parseAttributeValue: false,
      trimValues: false,
      processEntities: true,
      entityDecoder: xmlEntityDecoder(),
      ignoreDeclaration: false,
      ignorePiTags: false,
    });
    tree = withMeta(parser.parse(text));
  } catch (e) {
    tree = `throws ${String(e)}`;
  }
  return JSON.stringify({ verdict, tree });
}

describe("fast-xml-parser's CommonJS bundle", () => {
  it('is another build of the same package, not the ESM modules', () => {
    expect(cjs.XMLParser).not.toBe(esm.XMLParser);
  });

  it('reads every XML file of interfaces/, test/ and the corpus as the ESM build does', () => {
    const files = [
      ...xmlFiles(join(repoRoot, 'interfaces')),
      ...xmlFiles(join(repoRoot, 'test')),
      ...(corpusPresent ? xmlFiles(corpusDir) : []),
    ];
    expect(files.length).toBeGreaterThan(20);
    const differing = files.filter((f) => {
      const text = readFileSync(f, 'utf8');
      return reading(cjs, text) !== reading(esm, text);
    });
    expect(differing).toEqual([]);
  }, 60_000);

  it('reads malformed XML as the ESM build does', () => {
    for (const text of ['', '<node', '<node a="<"/>', '<a><b></a>', '<!DOCTYPE x [<!ENTITY', 'x']) {
      expect(reading(cjs, text), text).toBe(reading(esm, text));
    }
  });
});
