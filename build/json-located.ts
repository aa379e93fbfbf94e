/**
 * A small JSON reader that keeps line:col for every value, so config and overlay files get
 * located diagnostics (`dbus-codegen.config.json:4:3: error DBUS081: unknown key "outdir"`).
 * JSON.parse knows no positions; this reads the same grammar (RFC 8259) and nothing more.
 */

import { LineIndex } from '../generator/parse/location.js';
import type { Location } from '../spec/model.js';

export type JsonValue =
  | { readonly kind: 'object'; readonly entries: readonly JsonEntry[]; readonly location: Location }
  | { readonly kind: 'array'; readonly items: readonly JsonValue[]; readonly location: Location }
  | { readonly kind: 'string'; readonly value: string; readonly location: Location }
  | { readonly kind: 'number'; readonly value: number; readonly location: Location }
  | { readonly kind: 'boolean'; readonly value: boolean; readonly location: Location }
  | { readonly kind: 'null'; readonly location: Location };

export interface JsonEntry {
  readonly key: string;
  readonly keyLocation: Location;
  readonly value: JsonValue;
}

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly location: Location,
  ) {
    super(message);
  }
}

/** Parses `text`; throws {@link JsonSyntaxError} with the place of the first error. */
export function parseJsonLocated(file: string, text: string): JsonValue {
  const r = new Reader(file, text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  r.ws();
  const v = r.value();
  r.ws();
  if (!r.done()) r.fail('unexpected text after the JSON value');
  return v;
}

/** The plain JavaScript value of a located tree. */
export function plain(v: JsonValue): unknown {
  switch (v.kind) {
    case 'object':
      return Object.fromEntries(v.entries.map((e) => [e.key, plain(e.value)]));
    case 'array':
      return v.items.map(plain);
    case 'null':
      return null;
    default:
      return v.value;
  }
}

class Reader {
  private i = 0;
  private readonly lines: LineIndex;
  constructor(
    file: string,
    private readonly s: string,
  ) {
    this.lines = new LineIndex(file, s);
  }

  done(): boolean {
    return this.i >= this.s.length;
  }

  fail(message: string, at = this.i): never {
    throw new JsonSyntaxError(`invalid JSON: ${message}`, this.lines.locate(at));
  }

  ws(): void {
    while (/[ \t\r\n]/.test(this.s[this.i] ?? '')) this.i++;
  }

  value(): JsonValue {
    const location = this.lines.locate(this.i);
    const c = this.s[this.i];
    if (c === '{') return this.object(location);
    if (c === '[') return this.array(location);
    if (c === '"') return { kind: 'string', value: this.string(), location };
    for (const [word, v] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (this.s.startsWith(word, this.i)) {
        this.i += word.length;
        return v === null ? { kind: 'null', location } : { kind: 'boolean', value: v, location };
      }
    }
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.s.slice(this.i, this.i + 400));
    if (m === null) this.fail(c === undefined ? 'unexpected end of input' : `unexpected "${c}"`);
    this.i += m[0].length;
    return { kind: 'number', value: Number(m[0]), location };
  }

  private object(location: Location): JsonValue {
    this.i++;
    const entries: JsonEntry[] = [];
    this.ws();
    if (this.s[this.i] === '}') {
      this.i++;
      return { kind: 'object', entries, location };
    }
    for (;;) {
      this.ws();
      if (this.s[this.i] !== '"') this.fail('expected a quoted key');
      const keyLocation = this.lines.locate(this.i);
      const key = this.string();
      this.ws();
      if (this.s[this.i] !== ':') this.fail('expected ":" after a key');
      this.i++;
      this.ws();
      entries.push({ key, keyLocation, value: this.value() });
      this.ws();
      const c = this.s[this.i++];
      if (c === '}') return { kind: 'object', entries, location };
      if (c !== ',') this.fail('expected "," or "}"', this.i - 1);
    }
  }

  private array(location: Location): JsonValue {
    this.i++;
    const items: JsonValue[] = [];
    this.ws();
    if (this.s[this.i] === ']') {
      this.i++;
      return { kind: 'array', items, location };
    }
    for (;;) {
      this.ws();
      items.push(this.value());
      this.ws();
      const c = this.s[this.i++];
      if (c === ']') return { kind: 'array', items, location };
      if (c !== ',') this.fail('expected "," or "]"', this.i - 1);
    }
  }

  private string(): string {
    const start = this.i;
    let j = start + 1;
    for (;;) {
      const c = this.s.charCodeAt(j);
      if (Number.isNaN(c) || c < 0x20) this.fail('malformed string', j);
      if (c === 0x22) break; // closing quote
      if (c === 0x5c) {
        const e = this.s[j + 1] ?? '';
        if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(this.s.slice(j + 2, j + 6))) j += 6;
        else if ('"\\/bfnrt'.includes(e) && e !== '') j += 2;
        else this.fail('bad escape in string', j);
      } else j++;
    }
    this.i = j + 1;
    return JSON.parse(this.s.slice(start, j + 1)) as string;
  }
}
