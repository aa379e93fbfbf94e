/**
 * QEMU's XML pre-processing instructions (its scripts/xml-preprocess.py, after WiX):
 * `<?if $(env.HOST_OS) == windows?>`, `<?elseif ...?>`, `<?else?>`, `<?endif?>`,
 * `<?ifdef NAME?>`, `<?ifndef NAME?>`. They are evaluated with `--define NAME=VALUE`;
 * a condition on a name that is not defined is an error, and no branch is taken, never both.
 */

import type { Location } from '../../spec/model.js';
import type { Diagnostics } from '../diagnostics.js';

export type Directive = 'if' | 'elseif' | 'else' | 'endif' | 'ifdef' | 'ifndef';
const DIRECTIVES = new Set<string>(['if', 'elseif', 'else', 'endif', 'ifdef', 'ifndef']);

export function isDirective(target: string): target is Directive {
  return DIRECTIVES.has(target);
}

/** The text between `<?target` and `?>`, read from the source (fast-xml-parser drops it). */
export function piBody(text: string, offset: number, target: string): string {
  const start = offset + 2 + target.length;
  const end = text.indexOf('?>', start);
  return text.slice(start, end === -1 ? text.length : end).trim();
}

const OPERAND = String.raw`(\$\((?:env|var|sys)\.[A-Za-z_][A-Za-z0-9_]*\)|"[^"]*"|'[^']*'|[^\s=!"']+)`;
const COMPARISON = new RegExp(`^${OPERAND}\\s*(==|!=)\\s*${OPERAND}$`);
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** true/false, or undefined when a name is not defined (the error is already reported). */
export function evaluate(
  directive: Directive,
  body: string,
  defines: ReadonlyMap<string, string>,
  diags: Diagnostics,
  at: Location,
): boolean | undefined {
  const shown = `<?${directive} ${body}?>`;
  if (directive === 'ifdef' || directive === 'ifndef') {
    if (!NAME.test(body)) {
      diags.error('DBUS012', `${shown}: expected one variable name`, at);
      return undefined;
    }
    const defined = defines.has(body);
    return directive === 'ifdef' ? defined : !defined;
  }
  const m = COMPARISON.exec(body);
  if (m === null) {
    diags.error(
      'DBUS012',
      `${shown}: expected a comparison like "$(env.NAME) == value" or "!= value"`,
      at,
    );
    return undefined;
  }
  const missing: string[] = [];
  const left = operand(m[1]!, defines, missing);
  const right = operand(m[3]!, defines, missing);
  if (missing.length > 0) {
    const hint = missing.map((n) => `--define ${n}=<value>`).join(' ');
    diags.error(
      'DBUS011',
      `${shown} depends on ${missing.join(', ')}, which is not defined; pass ${hint} (QEMU preprocesses this file; taking both branches would merge exclusive declarations)`,
      at,
    );
    return undefined;
  }
  return m[2] === '==' ? left === right : left !== right;
}

function operand(raw: string, defines: ReadonlyMap<string, string>, missing: string[]): string {
  if (raw.startsWith('$(')) {
    const name = raw.slice(raw.indexOf('.') + 1, -1);
    const value = defines.get(name);
    if (value === undefined) missing.push(name);
    return value ?? '';
  }
  if (raw.startsWith('"') || raw.startsWith("'")) return raw.slice(1, -1);
  return raw;
}

interface Frame {
  readonly at: Location;
  readonly parentActive: boolean;
  /** A condition could not be evaluated: no branch of this block is taken. */
  readonly unknown: boolean;
  taken: boolean;
  active: boolean;
  sawElse: boolean;
}

/** Tracks nested conditional blocks within one element's children. */
export class ConditionStack {
  private readonly frames: Frame[] = [];

  constructor(
    private readonly defines: ReadonlyMap<string, string>,
    private readonly diags: Diagnostics,
  ) {}

  get active(): boolean {
    return this.frames.at(-1)?.active ?? true;
  }

  apply(directive: Directive, body: string, at: Location): void {
    const top = this.frames.at(-1);
    switch (directive) {
      case 'if':
      case 'ifdef':
      case 'ifndef': {
        const parentActive = this.active;
        const cond = parentActive ? evaluate(directive, body, this.defines, this.diags, at) : false;
        this.frames.push({
          at,
          parentActive,
          unknown: cond === undefined,
          taken: cond === true,
          active: parentActive && cond === true,
          sawElse: false,
        });
        return;
      }
      case 'elseif': {
        if (top === undefined || top.sawElse) {
          this.stray(directive, at);
          return;
        }
        if (top.unknown || !top.parentActive || top.taken) {
          top.active = false;
          return;
        }
        const cond = evaluate('if', body, this.defines, this.diags, at);
        top.active = cond === true;
        top.taken = cond === true;
        return;
      }
      case 'else':
        if (top === undefined || top.sawElse) {
          this.stray(directive, at);
          return;
        }
        top.sawElse = true;
        top.active = top.parentActive && !top.unknown && !top.taken;
        top.taken = true;
        return;
      case 'endif':
        if (top === undefined) {
          this.stray(directive, at);
          return;
        }
        this.frames.pop();
        return;
      default: {
        const never: never = directive;
        throw new Error(`unhandled directive ${String(never)}`);
      }
    }
  }

  /** Reports blocks left open at the end of their parent element. */
  finish(): void {
    for (const f of this.frames) {
      this.diags.error('DBUS012', '<?if?> has no matching <?endif?> in the same element', f.at);
    }
    this.frames.length = 0;
  }

  private stray(directive: Directive, at: Location): void {
    this.diags.error('DBUS012', `<?${directive}?> without a matching open <?if?>`, at);
  }
}
