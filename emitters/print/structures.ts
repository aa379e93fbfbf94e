/**
 * A printer for exactly the ts-morph structures our emitters build, without loading ts-morph or
 * TypeScript (~1 s of a one-module regeneration; the printing itself takes milliseconds). It is
 * a transcription of ts-morph's structure printers (node_modules/ts-morph/dist/ts-morph.js:
 * SourceFile, Statement, ImportDeclaration, ExportDeclaration, Interface, PropertySignature,
 * MethodSignature, Class, Constructor, Method, Function, Parameter, JSDoc) for the fields we
 * use, making the same calls on the same writer (code-block-writer, which ts-morph prints with),
 * in the same order. Any other field or kind throws {@link Unsupported} and the module is
 * printed by ts-morph (emitters/index.ts); test/unit/fast-printer.test.ts compares the bytes of
 * both printers over interfaces/, the type fixtures, the corpus and random structures. Here: the
 * file, its statements and the declarations; members.ts: docs, types, parameters; modules.ts:
 * import and export declarations; writer.ts: the writer and the field checks.
 */
import { StructureKind } from '../structure-kind.js';
import { docs, exported, parameters, returnType, typed } from './members.js';
import { exportDeclaration, importDeclaration } from './modules.js';
import {
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

/** A statemented body (`StatementedNodeStructurePrinter`) in braces. */
function body(w: Writer, s: Fields, what: string): void {
  w.inlineBlock(() => statementList(w, list(s, 'statements', what), false));
}

const FUNCTION = ['kind', 'name', 'isExported', 'docs', 'parameters', 'returnType', 'statements'];

function functionDeclaration(w: Writer, s: unknown): void {
  const f = only(s, FUNCTION, 'function');
  const name = optString(f, 'name', 'function');
  declarationHead(w, f, 'function');
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

/** What every declaration printer starts with: close a pending comment, JSDoc, `export`. */
function declarationHead(w: Writer, s: Fields, what: string): void {
  w.closeComment();
  docs(w, s, what);
  exported(w, s, what);
}

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
  declarationHead(w, c, 'class');
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
  declarationHead(w, d, 'interface');
  w.write(`interface ${name}`);
  w.space();
  w.inlineBlock(() => {
    // TypeElementMemberedNodeStructurePrinter: properties, then methods, one per line
    signatures(
      w,
      properties,
      PROPERTY_SIGNATURE,
      StructureKind.PropertySignature,
      'property',
      (p) => typed(w, optString(p, 'type', 'property'), false),
    );
    signatures(
      w,
      methods,
      METHOD_SIGNATURE,
      StructureKind.MethodSignature,
      'method signature',
      (m) => {
        parameters(w, m, 'method signature');
        returnType(w, m, 'method signature');
      },
    );
  });
}

/** TypeElementMemberedNodeStructurePrinter's loop: one signature a line, after a blank line. */
function signatures(
  w: Writer,
  items: readonly unknown[],
  allowed: readonly string[],
  kind: number,
  what: string,
  typeText: (s: Fields) => void,
): void {
  if (items.length > 0 && !w.isAtStartOfFirstLineOfBlock()) w.newLine();
  items.forEach((item, i) => {
    w.conditionalNewLine(i > 0);
    const s = only(item, allowed, what);
    kindIs(s, kind, what);
    const name = string(s, 'name', what);
    w.closeComment();
    docs(w, s, what);
    w.write(name);
    w.conditionalWrite(flag(s, 'hasQuestionToken', what), '?');
    typeText(s);
    w.write(';');
  });
}
