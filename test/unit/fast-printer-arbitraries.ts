/**
 * Random source-file structures of the subset the fast printer covers (emitters/print/), with
 * the text shapes that stress a printer: multi-line statements, template literals spanning
 * lines, comments, braces and quotes inside strings, docs with blank lines, CRLF and a leading
 * newline, list items that end in a comment or a comma (which ts-morph's scanner handles and the
 * fast printer refuses).
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import type { StatementStructures } from 'ts-morph';
import { StructureKind } from '../../emitters/structure-kind.js';

// Multi-line statements, template literals, comments and braces inside strings, as data.
const SNIPPETS = JSON.parse(
  readFileSync(new URL('../fixtures/fast-printer-snippets.json', import.meta.url), 'utf8'),
) as { bodyStatements: string[]; rawStatements: string[] };

const ident = fc.stringMatching(/^[A-Za-z_$][\w$]{0,7}$/);

const type = fc.constantFrom(
  'string',
  'number',
  'Promise<void>',
  '{ a: A; b: B }',
  'Map<string, [a: number, b: readonly string[]]>',
  "'x' | 'y'",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: TypeScript source text, printed as is
  '`t${string}`',
  '() => void',
  'A /* comment */',
  'B,',
  '',
  ' ',
);

const docLine = fc.constantFrom(
  '',
  'Some text.',
  '@param x - the `x` {y}',
  'it\'s a "quote" and a `tick`',
  '  indented',
  'ends with space ',
);
const doc = fc
  .tuple(fc.array(docLine, { minLength: 1, maxLength: 4 }), fc.constantFrom('\n', '\r\n'))
  .map(([lines, nl]) => lines.join(nl))
  .filter((d) => d !== '');
const docs = fc.array(doc, { maxLength: 2 });

const bodyStatement = fc.constantFrom(...SNIPPETS.bodyStatements);
const statements = fc.array(bodyStatement, { maxLength: 3 });

const rawStatement = fc.constantFrom(...SNIPPETS.rawStatements);

const parameter = fc.record(
  {
    name: ident,
    type,
    hasQuestionToken: fc.boolean(),
    initializer: fc.constantFrom('{}', '1', "'s'", '`a\nb`'),
  },
  { requiredKeys: ['name'] },
);
const parameters = fc.array(parameter, { maxLength: 3 });

const returnType = fc.constantFrom('void', 'Promise<string>', 'A | Promise<A>', '');

const method = fc.record(
  { name: ident, docs, parameters, returnType, statements },
  { requiredKeys: ['name'] },
);

const classDeclaration = fc.record(
  {
    kind: fc.constant(StructureKind.Class),
    name: ident,
    isExported: fc.boolean(),
    extends: fc.constantFrom('Base', 'Base<A, B>', ''),
    docs,
    ctors: fc.array(fc.record({ docs, parameters, statements }, { requiredKeys: [] }), {
      maxLength: 1,
    }),
    methods: fc.array(method, { maxLength: 3 }),
  },
  { requiredKeys: ['kind'] },
);

const interfaceDeclaration = fc.record(
  {
    kind: fc.constant(StructureKind.Interface),
    name: ident,
    isExported: fc.boolean(),
    docs,
    properties: fc.array(
      fc.record(
        { name: ident, type, docs, hasQuestionToken: fc.boolean() },
        { requiredKeys: ['name'] },
      ),
      { maxLength: 3 },
    ),
    methods: fc.array(
      fc.record(
        { name: ident, docs, parameters, returnType, hasQuestionToken: fc.boolean() },
        { requiredKeys: ['name'] },
      ),
      { maxLength: 3 },
    ),
  },
  { requiredKeys: ['kind', 'name'] },
);

const functionDeclaration = fc.record(
  {
    kind: fc.constant(StructureKind.Function),
    name: ident,
    isExported: fc.boolean(),
    docs,
    parameters,
    returnType,
    statements,
  },
  { requiredKeys: ['kind'] },
);

const importDeclaration = fc.record(
  {
    kind: fc.constant(StructureKind.ImportDeclaration),
    isTypeOnly: fc.boolean(),
    moduleSpecifier: fc.constantFrom('./runtime/index.js', "it's"),
    namedImports: fc.array(ident, { maxLength: 4 }),
  },
  { requiredKeys: ['kind', 'moduleSpecifier'] },
);

const exportDeclaration = fc.record(
  {
    kind: fc.constant(StructureKind.ExportDeclaration),
    isTypeOnly: fc.boolean(),
    moduleSpecifier: fc.constantFrom('./a.js', ''),
    namespaceExport: fc.constantFrom('Ns', ''),
  },
  { requiredKeys: ['kind'] },
);

/** A whole file: 0-6 statements of every kind the fast printer covers, and raw strings. */
export const structures: fc.Arbitrary<(string | StatementStructures)[]> = fc.array(
  fc.oneof(
    rawStatement,
    classDeclaration,
    interfaceDeclaration,
    functionDeclaration,
    importDeclaration,
    exportDeclaration,
  ),
  { maxLength: 6 },
) as fc.Arbitrary<(string | StatementStructures)[]>;
