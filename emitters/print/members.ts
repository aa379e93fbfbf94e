/**
 * The printers of ts-morph's structure printer (ts-morph.js) that declarations share, for the
 * fields the fast printer covers: JSDoc, the `export` modifier, types, return types, parameters.
 */
import { StructureKind } from '../structure-kind.js';
import {
  commaSeparated,
  type Fields,
  flag,
  isNullOrWhitespace,
  kindIs,
  list,
  only,
  optString,
  string,
  textOf,
  Unsupported,
  type Writer,
} from './writer.js';

/** `JSDocStructurePrinter.printDocs`, for docs given as text. */
export function docs(w: Writer, s: Fields, what: string): void {
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
export function exported(w: Writer, s: Fields, what: string): void {
  if (flag(s, 'isExported', what)) w.write('export ');
}

/** `TypedNodeStructurePrinter`. */
export function typed(w: Writer, type: string | undefined, alwaysWrite: boolean): void {
  if (type === undefined && !alwaysWrite) return;
  const text = textOf(w, type ?? 'any');
  if (!isNullOrWhitespace(text)) w.hangingIndent(() => w.write(`: ${text}`));
}

/** `ReturnTypedNodeStructurePrinter`. */
export function returnType(w: Writer, s: Fields, what: string): void {
  const type = optString(s, 'returnType', what);
  if (type === undefined) return;
  const text = textOf(w, type);
  if (!isNullOrWhitespace(text)) w.hangingIndent(() => w.write(`: ${text}`));
}

const PARAMETER = ['kind', 'name', 'type', 'hasQuestionToken', 'initializer'];

/** `ParameterDeclarationStructurePrinter.printTextsWithParenthesis`. */
export function parameters(w: Writer, s: Fields, what: string): void {
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
