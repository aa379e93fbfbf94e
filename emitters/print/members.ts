/**
 * The printers of ts-morph's structure printer (ts-morph.js) that declarations share, for the
 * fields the fast printer covers: JSDoc, the `export` modifier, types, return types, parameters.
 */
import { StructureKind } from '../structure-kind.js';
import * as W from './writer.js';

/** `JSDocStructurePrinter.printDocs`, for docs given as text. */
export function docs(w: W.Writer, s: W.Fields, what: string): void {
  for (const doc of W.list(s, 'docs', what)) {
    if (typeof doc !== 'string' || doc === '') throw new W.Unsupported(`${what}.docs`);
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
export function exported(w: W.Writer, s: W.Fields, what: string): void {
  if (W.flag(s, 'isExported', what)) w.write('export ');
}

/** `TypedNodeStructurePrinter`. */
export function typed(w: W.Writer, type: string | undefined, alwaysWrite: boolean): void {
  if (type === undefined && !alwaysWrite) return;
  const text = W.textOf(w, type ?? 'any');
  if (!W.isNullOrWhitespace(text)) w.hangingIndent(() => w.write(`: ${text}`));
}

/** `ReturnTypedNodeStructurePrinter`. */
export function returnType(w: W.Writer, s: W.Fields, what: string): void {
  const type = W.optString(s, 'returnType', what);
  if (type === undefined) return;
  const text = W.textOf(w, type);
  if (!W.isNullOrWhitespace(text)) w.hangingIndent(() => w.write(`: ${text}`));
}

const PARAMETER = ['kind', 'name', 'type', 'hasQuestionToken', 'initializer'];

/** `ParameterDeclarationStructurePrinter.printTextsWithParenthesis`. */
export function parameters(w: W.Writer, s: W.Fields, what: string): void {
  const items = W.list(s, 'parameters', what);
  w.write('(');
  if (items.length > 0) {
    w.hangingIndent(() => {
      W.commaSeparated(w, items, (item) => {
        const p = W.only(item, PARAMETER, 'parameter');
        W.kindIs(p, StructureKind.Parameter, 'parameter');
        const optional = W.flag(p, 'hasQuestionToken', 'parameter');
        w.closeComment();
        w.write(W.string(p, 'name', 'parameter'));
        w.conditionalWrite(optional, '?');
        typed(w, W.optString(p, 'type', 'parameter'), optional);
        const initializer = W.optString(p, 'initializer', 'parameter');
        if (initializer === undefined) return;
        const text = W.textOf(w, initializer);
        if (W.isNullOrWhitespace(text)) return;
        w.hangingIndent(() => {
          w.spaceIfLastNot();
          w.write(`= ${text}`);
        });
      });
    });
  }
  w.write(')');
}
