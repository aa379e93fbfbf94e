/**
 * `ImportDeclarationStructurePrinter` and `ExportDeclarationStructurePrinter` of ts-morph
 * (ts-morph.js), for the fields the fast printer covers (named imports as plain names).
 */
import {
  commaSeparated,
  flag,
  isNullOrWhitespace,
  list,
  newWriter,
  only,
  optString,
  string,
  Unsupported,
  type Writer,
} from './writer.js';

const IMPORT = ['kind', 'isTypeOnly', 'moduleSpecifier', 'namedImports'];

export function importDeclaration(w: Writer, s: unknown): void {
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

export function exportDeclaration(w: Writer, s: unknown): void {
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
