/**
 * Child process of the xml fuzz target: checks one text per message with the generator's
 * front end (parse + check + lint) and answers with the outcome. Runs apart so that a
 * case that never ends can be killed.
 */
import { check } from '../../generator/check.js';
import { lint } from '../../generator/lint.js';

interface Case {
  readonly id: number;
  readonly file: string;
  readonly text: string;
}

/** A located diagnostic: this file, 1-based line and column within the text, a code. */
function badDiagnostics(
  diags: readonly {
    code: string;
    message: string;
    location: { file: string; line: number; column: number };
  }[],
  file: string,
  text: string,
): string[] {
  const lines = text.split('\n').length;
  return diags
    .filter((d) => {
      const l = d.location;
      return (
        l.file !== file ||
        !Number.isInteger(l.line) ||
        !Number.isInteger(l.column) ||
        l.line < 1 ||
        l.column < 1 ||
        l.line > lines + 1 ||
        !/^DBUS\d+$/.test(d.code) ||
        d.message === ''
      );
    })
    .map(
      (d) => `${d.location.file}:${d.location.line}:${d.location.column} ${d.code} ${d.message}`,
    );
}

process.on('message', (c: Case) => {
  const started = performance.now();
  try {
    const result = check([{ file: c.file, text: c.text }]);
    const lintDiags = lint(result.documents);
    const bad = badDiagnostics([...result.diagnostics, ...lintDiags], c.file, c.text);
    process.send?.({
      id: c.id,
      ms: performance.now() - started,
      bad,
      errors: result.diagnostics.length,
    });
  } catch (err) {
    const e = err as Error;
    process.send?.({
      id: c.id,
      ms: performance.now() - started,
      crash: `${e?.name}: ${e?.message}`,
    });
  }
});
process.send?.({ ready: true });
