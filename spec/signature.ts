/**
 * The one D-Bus signature parser, shared by the generator (to check XML) and the runtime
 * (to compile validators). It follows the specification, not libdbus or GLib where they are
 * laxer: dict entries only directly inside an array with a basic key and exactly two types,
 * no empty structs, no reserved codes, at most 255 bytes, at most 32 nested arrays and at
 * most 32 nested structs (dict entries count as structs, the stricter reading).
 */

export type BasicCode = 'y' | 'b' | 'n' | 'q' | 'i' | 'u' | 'x' | 't' | 'd' | 'h' | 's' | 'o' | 'g';

export interface BasicType {
  readonly kind: 'basic';
  readonly code: BasicCode;
  readonly signature: BasicCode;
}
export interface VariantType {
  readonly kind: 'variant';
  readonly signature: 'v';
}
export interface ArrayType {
  readonly kind: 'array';
  readonly element: TypeNode;
  readonly signature: string;
}
/** `a{KV}`: an array of dict entries, seen as one dictionary. */
export interface DictType {
  readonly kind: 'dict';
  readonly key: BasicType;
  readonly value: TypeNode;
  readonly signature: string;
}
export interface StructType {
  readonly kind: 'struct';
  readonly fields: readonly TypeNode[];
  readonly signature: string;
}
/** A parsed single complete type, `kind`-tagged (basic, array, dict, struct, variant). */
export type TypeNode = BasicType | VariantType | ArrayType | DictType | StructType;

export const MAX_SIGNATURE_LENGTH = 255;
export const MAX_ARRAY_DEPTH = 32;
export const MAX_STRUCT_DEPTH = 32;

/** The basic type codes, one character each (D-Bus specification, "Basic types"). */
const BASIC_CODES = new Set<string>('ybnqiuxtdhsog');
const RESERVED: Record<string, string> = {
  r: 'is reserved for bindings (abstract struct)',
  e: 'is reserved for bindings (abstract dict entry)',
  m: 'is reserved (maybe type)',
  '*': 'is reserved for bindings (any type)',
  '?': 'is reserved for bindings (any basic type)',
  '@': 'is a GVariant format character, not a D-Bus type',
  '&': 'is a GVariant format character, not a D-Bus type',
  '^': 'is a GVariant format character, not a D-Bus type',
};

/** A signature that breaks a rule; `position` is the 0-based offset of the offending character. */
export class SignatureError extends Error {
  override readonly name = 'SignatureError';
  constructor(
    readonly signature: string,
    readonly position: number,
    readonly reason: string,
  ) {
    super(`invalid signature "${signature}": ${reason} at position ${position}`);
  }
}

export function isBasicCode(c: string): c is BasicCode {
  return BASIC_CODES.has(c);
}

class Parser {
  pos = 0;
  arrays = 0;
  structs = 0;
  constructor(readonly sig: string) {}

  fail(reason: string, at = this.pos): never {
    throw new SignatureError(this.sig, at, reason);
  }

  describe(c: string | undefined): string {
    return c === undefined ? 'end of signature' : JSON.stringify(c);
  }

  complete(): TypeNode {
    const start = this.pos;
    const c = this.sig[this.pos];
    if (c === undefined) this.fail('expected a complete type, found end of signature');
    if (isBasicCode(c)) {
      this.pos++;
      return basic(c);
    }
    switch (c) {
      case 'v':
        this.pos++;
        return VARIANT;
      case 'a':
        return this.array(start);
      case '(':
        return this.struct(start);
      case '{':
        return this.fail('a dict entry "{...}" may only appear directly after "a"');
      case ')':
        return this.fail('")" closes a struct that was not opened');
      case '}':
        return this.fail('"}" closes a dict entry that was not opened');
      default: {
        const reserved = RESERVED[c];
        if (reserved !== undefined) this.fail(`${this.describe(c)} ${reserved}`);
        return this.fail(`${this.describe(c)} is not a D-Bus type code`);
      }
    }
  }

  array(start: number): TypeNode {
    this.pos++;
    if (++this.arrays > MAX_ARRAY_DEPTH) {
      this.fail(`more than ${MAX_ARRAY_DEPTH} nested arrays`, start);
    }
    let node: TypeNode;
    if (this.sig[this.pos] === '{') {
      node = this.dictEntry(start);
    } else {
      if (this.pos >= this.sig.length) this.fail('"a" needs an element type');
      const c = this.sig[this.pos];
      if (c === ')' || c === '}') this.fail('"a" needs an element type');
      const element = this.complete();
      node = { kind: 'array', element, signature: this.sig.slice(start, this.pos) };
    }
    this.arrays--;
    return node;
  }

  dictEntry(start: number): DictType {
    const open = this.pos;
    this.pos++;
    if (++this.structs > MAX_STRUCT_DEPTH) {
      this.fail(`more than ${MAX_STRUCT_DEPTH} nested structs and dict entries`, open);
    }
    const k = this.sig[this.pos];
    if (k === '}') this.fail('a dict entry needs a key and a value, found none');
    if (k === undefined)
      this.fail('unterminated dict entry, "{" at position ' + open + ' not closed');
    if (!isBasicCode(k)) {
      if (k === 'v' || k === 'a' || k === '(' || k === '{') {
        this.fail(
          `${this.describe(k)} is not a valid type for dictionary keys (keys must be basic types)`,
        );
      }
      this.complete(); // reports reserved / unknown codes precisely
    }
    this.pos++;
    const key = basic(k as BasicCode);
    if (this.sig[this.pos] === '}') this.fail('a dict entry needs a value type after its key');
    const value = this.complete();
    if (this.pos >= this.sig.length) {
      this.fail(`unterminated dict entry, "{" at position ${open} not closed`);
    }
    if (this.sig[this.pos] !== '}')
      this.fail('a dict entry holds exactly two types (key and value)');
    this.pos++;
    this.structs--;
    return { kind: 'dict', key, value, signature: this.sig.slice(start, this.pos) };
  }

  struct(start: number): StructType {
    this.pos++;
    if (++this.structs > MAX_STRUCT_DEPTH) {
      this.fail(`more than ${MAX_STRUCT_DEPTH} nested structs and dict entries`, start);
    }
    if (this.sig[this.pos] === ')') this.fail('empty structs "()" are not allowed', start);
    const fields: TypeNode[] = [];
    while (this.sig[this.pos] !== ')') {
      if (this.pos >= this.sig.length) {
        this.fail(`unterminated struct, "(" at position ${start} not closed`);
      }
      fields.push(this.complete());
    }
    this.pos++;
    this.structs--;
    return { kind: 'struct', fields, signature: this.sig.slice(start, this.pos) };
  }
}

const basicCache = new Map<BasicCode, BasicType>();
function basic(code: BasicCode): BasicType {
  let node = basicCache.get(code);
  if (node === undefined) {
    node = Object.freeze({ kind: 'basic', code, signature: code });
    basicCache.set(code, node);
  }
  return node;
}
const VARIANT: VariantType = Object.freeze({ kind: 'variant', signature: 'v' });

/** Parses a message signature: zero or more complete types. Throws {@link SignatureError}. */
export function parseSignature(signature: string): readonly TypeNode[] {
  if (signature.length > MAX_SIGNATURE_LENGTH) {
    throw new SignatureError(
      signature,
      MAX_SIGNATURE_LENGTH,
      `signature is ${signature.length} bytes, longer than the limit of ${MAX_SIGNATURE_LENGTH}`,
    );
  }
  const p = new Parser(signature);
  const types: TypeNode[] = [];
  while (p.pos < signature.length) types.push(p.complete());
  return types;
}

/** Parses exactly one complete type (an arg, a property, a variant's contents). */
export function parseSingleType(signature: string): TypeNode {
  if (signature === '')
    throw new SignatureError(signature, 0, 'empty signature, expected one complete type');
  const types = parseSignature(signature);
  if (types.length !== 1) {
    const first = types[0]?.signature.length ?? 0;
    throw new SignatureError(
      signature,
      first,
      `expected a single complete type, found ${types.length} ("${types.map((t) => t.signature).join('", "')}")`,
    );
  }
  return types[0]!;
}

const cache = new Map<string, readonly TypeNode[]>();
/** {@link parseSignature} with a cache: signatures repeat across calls at run time. */
export function parseSignatureCached(signature: string): readonly TypeNode[] {
  let types = cache.get(signature);
  if (types === undefined) {
    types = parseSignature(signature);
    if (cache.size < 4096) cache.set(signature, types);
  }
  return types;
}

export function isValidSignature(signature: string): boolean {
  try {
    parseSignature(signature);
    return true;
  } catch {
    return false;
  }
}

export function isValidSingleType(signature: string): boolean {
  try {
    parseSingleType(signature);
    return true;
  } catch {
    return false;
  }
}
