/**
 * The body decoder: turns the bytes of one message body into our receive-side value forms
 * (README "Type mapping"), checking every byte on the way (wire-read.ts).
 * It is an explicit-stack machine rather than recursion, so it can stop after a budget of
 * values and resume later: big bodies are decoded in slices and the event loop runs in
 * between (message.ts). Its cost is linear in the body bytes and bounded in values:
 *
 * - `ay` is one value: a Buffer copy, or, when it fills at least half of a body of 64 KiB or
 *   more, a view of the message buffer (which was allocated for that message alone, so the
 *   view pins nothing else); arrays of other fixed-size basics are one tight loop;
 * - every other value counts, and a body of more than {@link MAX_MESSAGE_VALUES} values is
 *   refused (WireLimitError) before the next one is built;
 * - depth is at most MAX_VALUE_DEPTH containers (variants included), arrays at most 64 MiB.
 *
 * Dicts: string-like keys give a null-prototype object (so `__proto__` is an ordinary key),
 * DOUBLE keys a {@link DoubleKeyMap} (keeps `-0`), other keys a `Map`. `h` gives its u32
 * index into the message's fds, which must be below the UNIX_FDS header count.
 */

import { type DictType, parseSignatureCached, type TypeNode } from '../../spec/signature.js';
import { FIXED_SIZE, MAX_ARRAY_BYTES, MAX_VALUE_DEPTH } from '../compile-type.js';
import { DoubleKeyMap } from '../double-key-map.js';
import { Variant } from '../variant.js';
import { ALIGN } from './marshal.js';
import { WireLimitError, type WireReader } from './wire-read.js';

/** Values one message may hold (each basic value, container and variant counts; `ay` counts 1). */
export const MAX_MESSAGE_VALUES = 1_048_576;

/** An `ay` at least this big that fills half its body is returned as a view, not copied. */
const VIEW_BYTES = 65_536;

function alignOf(t: TypeNode): number {
  return ALIGN[t.signature[0]!]!;
}

/** A struct (wrap 0), the body's top level (1) or a variant's contents (2). */
interface SeqFrame {
  k: 0;
  wrap: 0 | 1 | 2;
  types: readonly TypeNode[];
  i: number;
  out: unknown[];
  depth: number;
  sig: string;
}
interface ArrayFrame {
  k: 1;
  el: TypeNode;
  end: number;
  out: unknown[];
  depth: number;
}
interface DictFrame {
  k: 2;
  node: DictType;
  end: number;
  out: Map<unknown, unknown> | Record<string, unknown>;
  key: unknown;
  hasKey: boolean;
  depth: number;
}
type Frame = SeqFrame | ArrayFrame | DictFrame;

const PENDING = Symbol('pending');

export interface DecoderOptions {
  /** Default {@link MAX_MESSAGE_VALUES}. */
  readonly maxValues?: number;
  /** The UNIX_FDS header count: `h` indexes must be below it (default 0). */
  readonly unixFds?: number;
  /** The message's received fds: an `h` value decodes to `fds[index]` (else to the index). */
  readonly fds?: readonly unknown[] | undefined;
  /** Fail unless the values end exactly at the reader's end (a whole body). */
  readonly exact?: boolean;
}

export class BodyDecoder {
  private readonly stack: Frame[];
  private count = 0;
  private readonly maxValues: number;
  private readonly unixFds: number;
  private result: unknown[] | undefined;

  constructor(
    private readonly r: WireReader,
    types: readonly TypeNode[],
    private readonly options: DecoderOptions = {},
  ) {
    this.maxValues = options.maxValues ?? MAX_MESSAGE_VALUES;
    this.unixFds = options.unixFds ?? 0;
    this.stack = [{ k: 0, wrap: 1, types, i: 0, out: [], depth: 0, sig: '' }];
  }

  /** The values, once {@link step} returned true. */
  get values(): unknown[] {
    if (this.result === undefined) throw new Error('the body is not decoded yet');
    return this.result;
  }

  /** Decodes until done (true) or about `budget` values / `byteBudget` bytes later (false). */
  step(budget = Number.POSITIVE_INFINITY, byteBudget = Number.POSITIVE_INFINITY): boolean {
    const { r, stack } = this;
    const stop = this.count + budget;
    const stopAt = r.pos + byteBudget;
    while (stack.length > 0) {
      if (this.count >= stop || r.pos >= stopAt) return false;
      const f = stack[stack.length - 1]!;
      const t = this.next(f);
      if (t === undefined) {
        stack.pop();
        const v = f.k === 0 && f.wrap === 2 ? new Variant(f.sig, f.out[0]) : f.out;
        const parent = stack[stack.length - 1];
        if (parent === undefined) this.finish(v as unknown[]);
        else this.deliver(parent, v);
        continue;
      }
      const v = this.open(t, f.depth);
      if (v !== PENDING) this.deliver(f, v);
    }
    return true;
  }

  private finish(values: unknown[]): void {
    if (this.options.exact && this.r.pos !== this.r.end) {
      this.r.fail(`${this.r.end - this.r.pos} bytes after the last value of the body`);
    }
    this.result = values;
  }

  /** The type of the frame's next value, or undefined when the frame is complete. */
  private next(f: Frame): TypeNode | undefined {
    if (f.k === 0) return f.types[f.i];
    const r = this.r;
    if (r.pos > f.end) r.fail('array elements run past the array length');
    if (r.pos === f.end) return undefined;
    if (f.k === 1) return f.el;
    r.align(8);
    if (r.pos >= f.end) r.fail('dict entry padding runs past the array length');
    f.key = this.basic(f.node.key.code);
    f.hasKey = true;
    return f.node.value;
  }

  private deliver(f: Frame, v: unknown): void {
    if (f.k === 0) f.out[f.i++] = v;
    else if (f.k === 1) f.out.push(v);
    else {
      if (f.out instanceof Map) f.out.set(f.key, v);
      else f.out[f.key as string] = v;
      f.hasKey = false;
    }
  }

  private counted(n: number): void {
    this.count += n;
    if (this.count > this.maxValues) {
      throw new WireLimitError(
        `the body holds more than ${this.maxValues} values (the per-message limit)`,
        this.r.pos - this.r.base,
      );
    }
  }

  private deeper(depth: number, by: number): number {
    const d = depth + by;
    if (d > MAX_VALUE_DEPTH)
      this.r.fail(`value nested more than ${MAX_VALUE_DEPTH} containers deep`);
    return d;
  }

  /** Decodes a basic value or a whole `ay`/fixed array, or pushes a frame (PENDING). */
  private open(t: TypeNode, depth: number): unknown {
    const r = this.r;
    if (t.kind === 'basic') {
      this.counted(1);
      return this.basic(t.code);
    }
    this.counted(1);
    if (t.kind === 'variant') {
      const d = this.deeper(depth, 1);
      const at = r.pos;
      const sig = r.signature();
      const types = parseSignatureCached(sig);
      if (types.length !== 1) r.fail(`variant signature "${sig}" is not one complete type`, at);
      this.stack.push({ k: 0, wrap: 2, types, i: 0, out: [], depth: d, sig });
      return PENDING;
    }
    if (t.kind === 'struct') {
      const d = this.deeper(depth, 1);
      r.align(8);
      this.stack.push({ k: 0, wrap: 0, types: t.fields, i: 0, out: [], depth: d, sig: '' });
      return PENDING;
    }
    const d = this.deeper(depth, t.kind === 'dict' ? 2 : 1);
    const at = r.pos;
    const len = r.u32();
    if (len > MAX_ARRAY_BYTES) r.fail(`array of ${len} bytes, over the 64 MiB limit`, at);
    r.align(t.kind === 'dict' ? 8 : alignOf(t.element));
    r.need(len);
    const end = r.pos + len;
    if (t.kind === 'dict') {
      const code = t.key.code;
      const out =
        code === 's' || code === 'o' || code === 'g'
          ? (Object.create(null) as Record<string, unknown>)
          : code === 'd'
            ? new DoubleKeyMap()
            : new Map<unknown, unknown>();
      this.stack.push({ k: 2, node: t, end, out, key: undefined, hasKey: false, depth: d });
      return PENDING;
    }
    const el = t.element;
    if (el.kind === 'basic' && el.code === 'y') {
      const view = r.buf.subarray(r.pos, end);
      r.pos = end;
      return len >= VIEW_BYTES && len * 2 >= r.end - r.base ? view : Buffer.from(view);
    }
    const size = el.kind === 'basic' && el.code !== 'y' ? FIXED_SIZE[el.code] : undefined;
    if (size !== undefined && el.kind === 'basic') {
      if (len % size !== 0)
        r.fail(`array of ${len} bytes is not a whole number of "${el.code}"`, at);
      const n = len / size;
      this.counted(n);
      const out = new Array<unknown>(n);
      for (let i = 0; i < n; i++) out[i] = this.basic(el.code);
      return out;
    }
    this.stack.push({ k: 1, el, end, out: [], depth: d });
    return PENDING;
  }

  private basic(code: string): unknown {
    const r = this.r;
    switch (code) {
      case 'y':
        return r.u8();
      case 'b':
        return r.bool();
      case 'n':
        return r.i16();
      case 'q':
        return r.u16();
      case 'i':
        return r.i32();
      case 'u':
        return r.u32();
      case 'h': {
        const at = r.pos;
        const index = r.u32();
        if (index >= this.unixFds) {
          r.fail(`fd index ${index}, but the message carries ${this.unixFds} fds`, at);
        }
        return this.options.fds ? this.options.fds[index] : index;
      }
      case 'x':
        return r.i64();
      case 't':
        return r.u64();
      case 'd':
        return r.f64();
      case 's':
        return r.string('s');
      case 'o':
        return r.string('o');
      case 'g':
        return r.signature();
      default:
        return r.fail(`unknown type code ${JSON.stringify(code)}`);
    }
  }
}
