/**
 * Well-formedness checks that fast-xml-parser's validator does not make. It accepts a raw
 * `<` inside an attribute value, which XML forbids (polkit's files do this; expat and xmllint
 * refuse them). One linear scan over the markup finds every such value.
 */

/** Offsets of each attribute value that holds a raw `<` (the offset of that `<`). */
export function findLtInAttributeValues(text: string): number[] {
  const found: number[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const lt = text.indexOf('<', i);
    if (lt === -1) break;
    if (text.startsWith('<!--', lt)) i = skipPast(text, lt + 4, '-->');
    else if (text.startsWith('<![CDATA[', lt)) i = skipPast(text, lt + 9, ']]>');
    else if (text.startsWith('<?', lt)) i = skipPast(text, lt + 2, '?>');
    else if (text.startsWith('<!', lt)) i = skipDeclaration(text, lt + 2);
    else i = scanTag(text, lt + 1, found);
  }
  return found;
}

function skipPast(text: string, from: number, end: string): number {
  const at = text.indexOf(end, from);
  return at === -1 ? text.length : at + end.length;
}

/** `<!DOCTYPE ... [ internal subset ]>`: quoted strings and comments may hold `>`. */
function skipDeclaration(text: string, from: number): number {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'") {
      const close = text.indexOf(c, i + 1);
      if (close === -1) return text.length;
      i = close;
    } else if (c === '<' && text.startsWith('<!--', i)) {
      i = skipPast(text, i + 4, '-->') - 1;
    } else if (c === '[') depth++;
    else if (c === ']') depth--;
    else if (c === '>' && depth <= 0) return i + 1;
  }
  return text.length;
}

function scanTag(text: string, from: number, found: number[]): number {
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'") {
      const close = text.indexOf(c, i + 1);
      const end = close === -1 ? text.length : close;
      const lt = text.indexOf('<', i + 1);
      if (lt !== -1 && lt < end) found.push(lt);
      i = end;
    } else if (c === '>') return i + 1;
  }
  return text.length;
}

/**
 * fast-xml-parser refuses a comment inside a DOCTYPE internal subset, which XML allows.
 * Blank such comments out (same length, newlines kept, so every offset stays put).
 */
export function blankDoctypeComments(text: string): string {
  const start = text.indexOf('<!DOCTYPE');
  if (start === -1) return text;
  const end = skipDeclaration(text, start + 2);
  const subset = text.slice(start, end);
  if (!subset.includes('<!--')) return text;
  const blanked = subset.replace(/<!--[\s\S]*?-->/g, (c) => c.replace(/[^\n]/g, ' '));
  return text.slice(0, start) + blanked + text.slice(end);
}
