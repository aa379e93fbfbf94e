/**
 * A printer for exactly the ts-morph structures our emitters build, without loading ts-morph or
 * TypeScript (~1 s of a one-module regeneration; the printing itself takes milliseconds). It is
 * a transcription of ts-morph's structure printers (node_modules/ts-morph/dist/ts-morph.js:
 * SourceFile, Statement, ImportDeclaration, ExportDeclaration, Interface, PropertySignature,
 * MethodSignature, Class, Constructor, Method, Function, Parameter, JSDoc) for the fields we
 * use, making the same calls on the same writer (code-block-writer, which ts-morph prints with),
 * in the same order. Any other field or kind throws {@link Unsupported} and the module is
 * printed by ts-morph (emitters/index.ts); test/unit/fast-printer.test.ts compares the bytes of
 * both printers over interfaces/, the type fixtures and the corpus.
 */
import { StructureKind } from '../structure-kind.js';
import {
  commaSeparated,
  type Fields,
  flag,
  isNullOrWhitespace,
  kindIs,
  lastIsCloseBrace,
  list,
  newWriter,
  only,
  optString,
  string,
  textOf,
  Unsupported,
  type Writer,
} from './writer.js';

export { Unsupported } from './writer.js';

/** A module's text from its statements (a source file's structure), as ts-morph prints it. */
export function printStatements(statements: readonly unknown[]): string {
  const w = newWriter();
  w.closeComment();
  statementList(w, statements, true);
  w.conditionalNewLine(!w.isAtStartOfFirstLineOfBlock() && !w.isLastNewLine());
  return w.toString();
}

/** `StatementStructurePrinter.printTexts`; bodies (`top` false) hold plain strings only. */
function statementList(w: Writer, statements: readonly unknown[], top: boolean): void {
  for (const s of statements) {
    if (lastIsCloseBrace(w)) w.blankLineIfLastNot();
    else if (!w.isAtStartOfFirstLineOfBlock()) w.newLineIfLastNot();
    if (typeof s === 'string') {
      w.write(s);
      continue;
    }
    if (!top) throw new Unsupported('body statement');
    if (typeof s !== 'object' || s === null) throw new Unsupported('statement');
    const kind = (s as Fields)['kind'];
    const declaration =
      kind === StructureKind.Function ||
      kind === StructureKind.Class ||
      kind === StructureKind.Interface;
    if (declaration && !w.isAtStartOfFirstLineOfBlock()) w.blankLineIfLastNot();
    if (kind === StructureKind.Function) functionDeclaration(w, s);
    else if (kind === StructureKind.Class) classDeclaration(w, s);
    else if (kind === StructureKind.Interface) interfaceDeclaration(w, s);
    else if (kind === StructureKind.ImportDeclaration) importDeclaration(w, s);
    else if (kind === StructureKind.ExportDeclaration) exportDeclaration(w, s);
    else throw new Unsupported(`statement kind ${String(kind)}`);
  }
}

/** `JSDocStructurePrinter.printDocs`, for docs given as text. */
function docs(w: Writer, s: Fields, what: string): void {
  for (const doc of list(s, 'docs', what)) {
    if (typeof doc !== 'string' || doc === '') throw new Unsupported(`${what}.docs`);
    w.closeComment();
    const lines = doc.split(/\r?\n/);
    const single = lines.length <= 1;
    w.write('/**');
    if (single) w.space().write(lines[0]!);
    else {
      w.newLine();
      for (let i = lines[0]!.length === 0 ? 1 : 0; i < lines.length; i++) {
        w.write(' *');
        if (lines[i]!.length > 0) w.write(` ${lines[i]!}`);
        w.newLine();
      }
    }
    w.spaceIfLastNot();
    w.write('*/');
    w.newLine();
  }
}

/** `ModifierableNodeStructurePrinter`, for the one modifier we use. */
function exported(w: Writer, s: Fields, what: string): void {
  if (flag(s, 'isExported', what)) w.write('export ');
}

/** `TypedNodeStructurePrinter`. */
function typed(w: Writer, type: string | undefined, alwaysWrite: boolean): void {
  if (type === undefined && !alwaysWrite) return;
  const text = textOf(w, type ?? 'any');
  if (!isNullOrWhitespace(text)) w.hangingIndent(() => w.write(`: ${text}`));
}

/** `ReturnTypedNodeStructurePrinter`. */
function returnType(w: Writer, s: Fields, what: string): void {
  const type = optString(s, 'returnType', what);
  if (type === undefined) return;
  const text = textOf(w, type);
  if (!isNullOrWhitespace(text)) w.hangingIndent(() => w.write(`: ${text}`));
}

const PARAMETER = ['kind', 'name', 'type', 'hasQuestionToken', 'initializer'];

/** `ParameterDeclarationStructurePrinter.printTextsWithParenthesis`. */
function parameters(w: Writer, s: Fields, what: string): void {
  const items = list(s, 'parameters', what);
  w.write('(');
  if (items.length > 0) {
    w.hangingIndent(() => {
      commaSeparated(w, items, (item) => {
        const p = only(item, PARAMETER, 'parameter');
        kindIs(p, StructureKind.Parameter, 'parameter');
        const optional = flag(p, 'hasQuestionToken', 'parameter');
        w.closeComment();
        w.write(string(p, 'name', 'parameter'));
        w.conditionalWrite(optional, '?');
        typed(w, optString(p, 'type', 'parameter'), optional);
        const initializer = optString(p, 'initializer', 'parameter');
        if (initializer === undefined) return;
        const text = textOf(w, initializer);
        if (isNullOrWhitespace(text)) return;
        w.hangingIndent(() => {
          w.spaceIfLastNot();
          w.write(`= ${text}`);
        });
      });
    });
  }
  w.write(')');
}

/** A statemented body (`StatementedNodeStructurePrinter`) in braces. */
function body(w: Writer, s: Fields, what: string): void {
  w.inlineBlock(() => statementList(w, list(s, 'statements', what), false));
}

const FUNCTION = ['kind', 'name', 'isExported', 'docs', 'parameters', 'returnType', 'statements'];

function functionDeclaration(w: Writer, s: unknown): void {
  const f = only(s, FUNCTION, 'function');
  const name = optString(f, 'name', 'function');
  w.closeComment();
  docs(w, f, 'function');
  exported(w, f, 'function');
  w.write('function');
  if (!isNullOrWhitespace(name)) w.write(` ${name!}`);
  parameters(w, f, 'function');
  returnType(w, f, 'function');
  w.space();
  body(w, f, 'function');
}

const CLASS = ['kind', 'name', 'isExported', 'extends', 'docs', 'ctors', 'methods'];
const CTOR = ['kind', 'docs', 'parameters', 'statements'];
const METHOD = ['kind', 'name', 'docs', 'parameters', 'returnType', 'statements'];

/** ClassDeclarationStructurePrinter's separator between members (not ambient). */
function memberSeparator(w: Writer): void {
  if (!w.isAtStartOfFirstLineOfBlock()) w.blankLine();
}

function classDeclaration(w: Writer, s: unknown): void {
  const c = only(s, CLASS, 'class');
  const name = optString(c, 'name', 'class');
  const base = optString(c, 'extends', 'class');
  const ctors = list(c, 'ctors', 'class');
  const methods = list(c, 'methods', 'class');
  w.closeComment();
  docs(w, c, 'class');
  exported(w, c, 'class');
  w.write('class');
  if (!isNullOrWhitespace(name)) w.space().write(name!);
  w.space();
  w.hangingIndent(() => {
    if (base === undefined) return;
    const text = textOf(w, base);
    if (!isNullOrWhitespace(text)) w.write(`extends ${text} `);
  });
  w.inlineBlock(() => {
    for (const item of ctors) {
      memberSeparator(w);
      const ctor = only(item, CTOR, 'constructor');
      kindIs(ctor, StructureKind.Constructor, 'constructor');
      w.closeComment();
      docs(w, ctor, 'constructor');
      w.write('constructor');
      parameters(w, ctor, 'constructor');
      w.space();
      body(w, ctor, 'constructor');
    }
    if (methods.length === 0) return;
    memberSeparator(w);
    methods.forEach((item, i) => {
      if (i > 0) w.blankLine();
      const m = only(item, METHOD, 'method');
      kindIs(m, StructureKind.Method, 'method');
      const methodName = string(m, 'name', 'method');
      w.closeComment();
      docs(w, m, 'method');
      w.write(methodName);
      parameters(w, m, 'method');
      returnType(w, m, 'method');
      w.spaceIfLastNot();
      body(w, m, 'method');
    });
  });
}

const INTERFACE = ['kind', 'name', 'isExported', 'docs', 'properties', 'methods'];
const PROPERTY_SIGNATURE = ['kind', 'name', 'type', 'docs', 'hasQuestionToken'];
const METHOD_SIGNATURE = ['kind', 'name', 'docs', 'parameters', 'returnType', 'hasQuestionToken'];

function interfaceDeclaration(w: Writer, s: unknown): void {
  const d = only(s, INTERFACE, 'interface');
  const name = string(d, 'name', 'interface');
  const properties = list(d, 'properties', 'interface');
  const methods = list(d, 'methods', 'interface');
  w.closeComment();
  docs(w, d, 'interface');
  exported(w, d, 'interface');
  w.write(`interface ${name}`);
  w.space();
  w.inlineBlock(() => {
    // TypeElementMemberedNodeStructurePrinter: properties, then methods, one per line
    if (properties.length > 0 && !w.isAtStartOfFirstLineOfBlock()) w.newLine();
    properties.forEach((item, i) => {
      w.conditionalNewLine(i > 0);
      const p = only(item, PROPERTY_SIGNATURE, 'property');
      kindIs(p, StructureKind.PropertySignature, 'property');
      const propertyName = string(p, 'name', 'property');
      w.closeComment();
      docs(w, p, 'property');
      w.write(propertyName);
      w.conditionalWrite(flag(p, 'hasQuestionToken', 'property'), '?');
      typed(w, optString(p, 'type', 'property'), false);
      w.write(';');
    });
    if (methods.length > 0 && !w.isAtStartOfFirstLineOfBlock()) w.newLine();
    methods.forEach((item, i) => {
      w.conditionalNewLine(i > 0);
      const m = only(item, METHOD_SIGNATURE, 'method signature');
      kindIs(m, StructureKind.MethodSignature, 'method signature');
      const methodName = string(m, 'name', 'method signature');
      w.closeComment();
      docs(w, m, 'method signature');
      w.write(methodName);
      w.conditionalWrite(flag(m, 'hasQuestionToken', 'method signature'), '?');
      parameters(w, m, 'method signature');
      returnType(w, m, 'method signature');
      w.write(';');
    });
  });
}

const IMPORT = ['kind', 'isTypeOnly', 'moduleSpecifier', 'namedImports'];

function importDeclaration(w: Writer, s: unknown): void {
  const d = only(s, IMPORT, 'import');
  const specifier = string(d, 'moduleSpecifier', 'import');
  const named = list(d, 'namedImports', 'import');
  w.closeComment();
  w.write('import');
  if (flag(d, 'isTypeOnly', 'import')) w.write(' type');
  if (named.length > 0) {
    w.space();
    namedImports(w, named);
  }
  w.conditionalWrite(named.length > 0, ' from');
  w.write(' ');
  w.quote(specifier);
  w.write(';');
}

/** `NamedImportExportSpecifierStructurePrinter.printTextsWithBraces`, for plain names. */
function namedImports(w: Writer, names: readonly unknown[]): void {
  w.write('{');
  const inner = newWriter();
  commaSeparated(inner, names, (name) => {
    if (typeof name !== 'string') throw new Unsupported('import specifier');
    inner.closeComment();
    const specifier = newWriter();
    specifier.queueIndentationLevel(1);
    specifier.write(name);
    inner.write(specifier.toString());
  });
  const text = inner.toString();
  if (!text.startsWith('\n') && !text.startsWith('\r\n')) w.space();
  w.write(text);
  if (!text.endsWith('\n')) w.space();
  w.write('}');
}

const EXPORT = ['kind', 'isTypeOnly', 'moduleSpecifier', 'namespaceExport'];

function exportDeclaration(w: Writer, s: unknown): void {
  const d = only(s, EXPORT, 'export');
  const specifier = optString(d, 'moduleSpecifier', 'export');
  const namespace = optString(d, 'namespaceExport', 'export');
  const hasSpecifier = specifier !== undefined && specifier.length > 0;
  w.closeComment();
  w.write('export');
  if (flag(d, 'isTypeOnly', 'export')) w.write(' type');
  if (namespace !== undefined) {
    w.write(' *');
    if (!isNullOrWhitespace(namespace)) w.write(` as ${namespace}`);
  } else if (!hasSpecifier) w.write(' {').write(' ').write('}');
  else w.write(' *');
  if (hasSpecifier) {
    w.write(' from ');
    w.quote(specifier);
  }
  w.write(';');
}
