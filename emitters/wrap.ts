/**
 * Wraps long signatures one parameter per line, as Biome/Prettier would, so generated code stays
 * readable (ts-morph prints every signature on one line). Only lines that are a signature
 * (`name(...)`, `constructor(...)`, `export function name(...)`, ending in ` {` or `;`) are
 * touched, and never a line inside a template literal (a multi-line annotation value may hold
 * one that looks like a call).
 */

const SIGNATURE = /^(\s*)((?:export )?(?:function )?[A-Za-z_$][\w$]*)\(/;
const OPEN = new Set(['(', '[', '{', '<']);
const CLOSE = new Set([')', ']', '}', '>']);

/** Index of the `)` closing the `(` at `open`, or -1. */
function closing(line: string, open: number): number {
  let depth = 0;
  for (let i = open; i < line.length; i++) {
    const c = line[i]!;
    if (c === '=' && line[i + 1] === '>') {
      i++;
      continue;
    }
    if (OPEN.has(c)) depth++;
    else if (CLOSE.has(c) && --depth === 0) return c === ')' ? i : -1;
  }
  return -1;
}

/** Splits at the commas that are not nested in brackets. */
function topLevelParts(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '=' && text[i + 1] === '>') {
      i++;
      continue;
    }
    if (OPEN.has(c)) depth++;
    else if (CLOSE.has(c)) depth--;
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  const last = text.slice(start).trim();
  if (last !== '') parts.push(last);
  return parts;
}

export function wrapLine(line: string, width = 100): string {
  if (line.length <= width || !(line.endsWith(' {') || line.endsWith(';'))) return line;
  const m = SIGNATURE.exec(line);
  if (m === null) return line;
  const open = m[0].length - 1;
  const close = closing(line, open);
  if (close < 0) return line;
  const params = topLevelParts(line.slice(open + 1, close));
  if (params.length === 0) return line;
  const indent = m[1]!;
  const inner = `${indent}  `;
  return [
    line.slice(0, open + 1),
    ...params.map((p) => `${inner}${p},`),
    `${indent}${line.slice(close)}`,
  ].join('\n');
}

type LexState = 'code' | "'" | '"' | '`' | 'block' | 'line';

/**
 * For each line, whether it starts inside a template literal (the descriptor's XML and multi-line
 * annotation values): such a line is data, and wrapping it would change the string.
 */
export function linesInTemplates(text: string): boolean[] {
  const inside: boolean[] = [false];
  let state: LexState = 'code';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\n') {
      if (state === 'line') state = 'code';
      inside.push(state === '`');
      continue;
    }
    if (state === 'code') {
      if (c === "'" || c === '"' || c === '`') state = c;
      else if (c === '/' && text[i + 1] === '*') {
        state = 'block';
        i++;
      } else if (c === '/' && text[i + 1] === '/') state = 'line';
    } else if (state === 'block') {
      if (c === '*' && text[i + 1] === '/') {
        state = 'code';
        i++;
      }
    } else if (state !== 'line') {
      // an escaped line break still ends a line (the count must stay aligned)
      if (c === '\\' && text[i + 1] !== '\n') i++;
      else if (c === state) state = 'code';
    }
  }
  return inside;
}

/** Wraps every long signature line of a module (never a line of a template literal). */
export function wrapLongSignatures(text: string, width = 100): string {
  const data = linesInTemplates(text);
  return text
    .split('\n')
    .map((l, i) => (data[i] === true ? l : wrapLine(l, width)))
    .join('\n');
}
