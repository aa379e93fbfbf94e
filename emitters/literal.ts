/**
 * Prints plain data (strings, numbers, booleans, arrays, objects) as a TypeScript literal in the
 * project's style: single quotes, trailing commas, one line when it fits in `width`, otherwise one
 * entry per line. Multi-line strings become template literals so generated XML stays readable.
 */

export type Literal =
  | string
  | number
  | boolean
  | readonly Literal[]
  | { readonly [key: string]: Literal | undefined };

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export function quote(s: string): string {
  const body = s.replace(/[\\'\n\r\u2028\u2029\p{Cc}]/gu, (c) => {
    switch (c) {
      case '\\':
        return '\\\\';
      case "'":
        return "\\'";
      case '\n':
        return '\\n';
      case '\r':
        return '\\r';
      default:
        return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
    }
  });
  return `'${body}'`;
}

/** A template literal holding `s` exactly (no substitutions). */
export function templateLiteral(s: string): string {
  const body = s
    .replace(/\\/g, '\\\\')
    .replace(/`/g, '\\`')
    .replace(/\$\{/g, '\\${')
    .replace(/\r/g, '\\r')
    .replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
  return `\`${body}\``;
}

function key(k: string): string {
  // `__proto__: v` (quoted or not) sets the prototype instead of making an entry
  if (k === '__proto__') return `[${quote(k)}]`;
  return IDENTIFIER.test(k) ? k : quote(k);
}

function entries(value: Literal): [string, Literal][] {
  return Object.entries(value as Record<string, Literal | undefined>).filter(
    (e): e is [string, Literal] => e[1] !== undefined,
  );
}

function inline(value: Literal): string | undefined {
  if (typeof value === 'string') return value.includes('\n') ? undefined : quote(value);
  if (typeof value !== 'object') return String(value);
  const parts: string[] = [];
  if (Array.isArray(value)) {
    for (const v of value as readonly Literal[]) {
      const s = inline(v);
      if (s === undefined) return undefined;
      parts.push(s);
    }
    return `[${parts.join(', ')}]`;
  }
  for (const [k, v] of entries(value)) {
    const s = inline(v);
    if (s === undefined) return undefined;
    parts.push(`${key(k)}: ${s}`);
  }
  return parts.length === 0 ? '{}' : `{ ${parts.join(', ')} }`;
}

/**
 * `indent` is the indentation of the line the literal starts on; `column` is where the literal
 * itself starts on that line (used to decide what fits in `width`).
 */
export function printLiteral(value: Literal, indent = 0, width = 100, column = indent): string {
  const one = inline(value);
  // +1 leaves room for the `,` or `;` that follows
  if (one !== undefined && column + one.length + 1 <= width) return one;
  if (typeof value === 'string')
    return value.includes('\n') ? templateLiteral(value) : quote(value);
  if (typeof value !== 'object') return String(value);
  const pad = ' '.repeat(indent + 2);
  const end = ' '.repeat(indent);
  if (Array.isArray(value)) {
    const items = (value as readonly Literal[]).map(
      (v) => `${pad}${printLiteral(v, indent + 2, width)},`,
    );
    return `[\n${items.join('\n')}\n${end}]`;
  }
  const items = entries(value).map(([k, v]) => {
    const head = `${pad}${key(k)}: `;
    return `${head}${printLiteral(v, indent + 2, width, head.length)},`;
  });
  return `{\n${items.join('\n')}\n${end}}`;
}
