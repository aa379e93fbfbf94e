/** `--annotate WHAT KEY VALUE` on the command line: lifted out of argv before commander parses it. */
import type { AnnotationOverride } from '../generator/overlay.js';

/**
 * gdbus-codegen's `--annotate WHAT KEY VALUE` takes three values, which commander cannot
 * express (its variadic options would swallow the positional XML files that follow). The CLI
 * therefore lifts every triple out of argv before commander parses it. `argv` is
 * `process.argv` (node, script, ...args); the returned argv has the triples removed.
 * A `--annotate` with fewer than three values is reported in `error` (a usage error).
 */
export function extractAnnotateArgs(argv: readonly string[]): {
  argv: string[];
  overrides: AnnotationOverride[];
  error?: string;
} {
  const out: string[] = [];
  const overrides: AnnotationOverride[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      out.push(...argv.slice(i));
      break;
    }
    if (a !== '--annotate') {
      out.push(a);
      continue;
    }
    const triple = argv.slice(i + 1, i + 4);
    if (triple.length < 3 || triple.some((t) => t === '--')) {
      return {
        argv: out,
        overrides,
        error: 'option --annotate needs three values: WHAT KEY VALUE',
      };
    }
    overrides.push({
      target: triple[0]!,
      name: triple[1]!,
      value: triple[2]!,
      location: { file: '<command line>', line: 1, column: Math.max(1, i - 1) },
    });
    i += 3;
  }
  return { argv: out, overrides };
}
