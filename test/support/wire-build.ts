/**
 * A small independent message writer for reader tests, in either byte order: header fields
 * given as [code, signature, value] (so tests can build wrong ones), body from our send-side
 * forms. Its little-endian output for well-formed messages equals marshal.ts's (checked in
 * test/unit/wire-reader.test.ts), which vouches for its big-endian output.
 */

import { ALIGN } from '../../runtime/transport/marshal.js';
import type { Variant } from '../../runtime/variant.js';
import { parseSignature, parseSingleType, type TypeNode } from '../../spec/signature.js';

export class TestWriter {
  private bytes: number[] = [];
  constructor(readonly le: boolean) {}
  get pos(): number {
    return this.bytes.length;
  }
  align(n: number): void {
    while (this.bytes.length % n !== 0) this.bytes.push(0);
  }
  raw(b: ArrayLike<number>): void {
    for (let i = 0; i < b.length; i++) this.bytes.push(b[i]!);
  }
  num(size: number, write: (dv: DataView) => void): void {
    this.align(size);
    const dv = new DataView(new ArrayBuffer(size));
    write(dv);
    this.raw(new Uint8Array(dv.buffer));
  }
  u32(v: number): void {
    this.num(4, (dv) => dv.setUint32(0, v, this.le));
  }
  patchU32(at: number, v: number): void {
    const dv = new DataView(new ArrayBuffer(4));
    dv.setUint32(0, v, this.le);
    for (let i = 0; i < 4; i++) this.bytes[at + i] = dv.getUint8(i);
  }
  string(s: string): void {
    const b = Buffer.from(s, 'utf8');
    this.u32(b.length);
    this.raw(b);
    this.bytes.push(0);
  }
  signature(s: string): void {
    this.bytes.push(s.length);
    this.raw(Buffer.from(s, 'latin1'));
    this.bytes.push(0);
  }
  basic(code: string, v: unknown): void {
    const le = this.le;
    switch (code) {
      case 'y':
        this.raw([v as number]);
        return;
      case 'b':
        this.u32(v ? 1 : 0);
        return;
      case 'n':
        this.num(2, (dv) => dv.setInt16(0, v as number, le));
        return;
      case 'q':
        this.num(2, (dv) => dv.setUint16(0, v as number, le));
        return;
      case 'i':
        this.num(4, (dv) => dv.setInt32(0, v as number, le));
        return;
      case 'u':
      case 'h':
        this.u32(v as number);
        return;
      case 'x':
        this.num(8, (dv) => dv.setBigInt64(0, BigInt(v as bigint), le));
        return;
      case 't':
        this.num(8, (dv) => dv.setBigUint64(0, BigInt(v as bigint), le));
        return;
      case 'd':
        this.num(8, (dv) => dv.setFloat64(0, v as number, le));
        return;
      case 's':
      case 'o':
        this.string(v as string);
        return;
      case 'g':
        this.signature(v as string);
        return;
    }
    throw new Error(`unknown code ${code}`);
  }
  value(t: TypeNode, v: unknown): void {
    switch (t.kind) {
      case 'basic':
        this.basic(t.code, v);
        return;
      case 'variant': {
        const x = v as Variant;
        this.signature(x.signature);
        this.value(parseSingleType(x.signature), x.value);
        return;
      }
      case 'struct':
        this.align(8);
        for (let i = 0; i < t.fields.length; i++) this.value(t.fields[i]!, (v as unknown[])[i]);
        return;
      case 'array':
      case 'dict': {
        this.u32(0);
        const at = this.pos - 4;
        this.align(t.kind === 'dict' ? 8 : ALIGN[t.element.signature[0]!]!);
        const start = this.pos;
        if (t.kind === 'dict') {
          const entries = v instanceof Map ? [...v] : Object.entries(v as object);
          for (const [k, x] of entries) {
            this.align(8);
            this.basic(t.key.code, k);
            this.value(t.value, x);
          }
        } else {
          for (const x of v as Iterable<unknown>) this.value(t.element, x);
        }
        this.patchU32(at, this.pos - start);
        return;
      }
    }
  }
  result(): Buffer {
    return Buffer.from(this.bytes);
  }
}

export type Field = readonly [code: number, signature: string, value: unknown];

export interface TestMessage {
  readonly le: boolean;
  readonly type: number;
  readonly flags?: number;
  readonly serial?: number;
  readonly fields: readonly Field[];
  /** Written as the body after the header padding; a Buffer is taken as is. */
  readonly body?: { signature: string; values: readonly unknown[] } | Buffer;
  /** Overrides the body length written in the fixed header. */
  readonly bodyLength?: number;
}

/** Bytes of a message, built field by field (wrong fields and lengths allowed). */
export function buildMessage(m: TestMessage): Buffer {
  const w = new TestWriter(m.le);
  w.raw([m.le ? 0x6c : 0x42, m.type, m.flags ?? 0, 1]);
  w.u32(0);
  w.u32(m.serial ?? 1);
  w.u32(0);
  const fieldsStart = w.pos;
  for (const [code, sig, v] of m.fields) {
    w.align(8);
    w.raw([code]);
    w.signature(sig);
    w.value(parseSingleType(sig), v);
  }
  w.patchU32(12, w.pos - fieldsStart);
  w.align(8);
  const bodyStart = w.pos;
  if (Buffer.isBuffer(m.body)) w.raw(m.body);
  else if (m.body) {
    const types = parseSignature(m.body.signature);
    // Body offsets count from the body start, which is 8-aligned: the same alignment.
    for (let i = 0; i < types.length; i++) w.value(types[i]!, m.body.values[i]);
  }
  w.patchU32(4, m.bodyLength ?? w.pos - bodyStart);
  return w.result();
}

/** The usual fields of a method call, plus SIGNATURE when `signature` is not empty. */
export function callFields(signature: string): Field[] {
  const f: Field[] = [
    [1, 'o', '/org/example/Obj'],
    [2, 's', 'org.example.Iface'],
    [3, 's', 'Method'],
    [6, 's', ':1.42'],
  ];
  if (signature !== '') f.push([8, 'g', signature]);
  return f;
}
