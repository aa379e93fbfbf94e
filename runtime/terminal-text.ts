/**
 * Text from a peer (a helper's Id, a bus name, an error text, a name in a live service's
 * XML) printed to a terminal or a line-oriented log. Printed raw, an Id such as
 * `"a\n" + "b\tforged"` or `"\x1b[2K..."` forges output lines, rewrites the screen or hides
 * what follows. Every such string goes through {@link terminalText} before it is printed.
 *
 * Escaped, so that the printed text is one line, cannot steer a terminal and maps back to one
 * string: the backslash (`\\`), `\n`, `\r`, `\t`, every other control character (C0, DEL,
 * C1: `\x1b`, `\x9b`), format characters (bidi overrides and isolates, zero-width ones:
 * `\u{202e}`), line/paragraph separators, and lone surrogates. Everything else, non-ASCII
 * letters and emoji included, is printed as it is.
 */

const UNSAFE = /[\\\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;
const NAMED: Readonly<Record<string, string>> = {
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

/** `s` with every character that could forge or steer terminal output escaped (see above). */
export function terminalText(s: string): string {
  return s.replace(UNSAFE, (c) => {
    const named = NAMED[c];
    if (named !== undefined) return named;
    const code = c.codePointAt(0)!;
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
  });
}
