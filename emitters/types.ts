/**
 * Prints the TypeScript type for a D-Bus type tree (y n q i u d: number; x t:
 * bigint, a safe number also accepted when sending; ay: Buffer, any Uint8Array when sending;
 * a{sv}-like dicts: Record, other keys: Map; structs: tuples; v: Variant; h: a UnixFd
 * received, a UnixFd or an fd number when sending).
 * `send` is what we accept when sending (proxy args, property set, skeleton returns, property
 * values, emitted signals); `receive` is what we hand out (proxy returns, get, signal listener
 * args, skeleton handler args). Every receive type is assignable to its send type.
 */
import type { TypeNode } from '../spec/signature.js';

export type Mode = 'send' | 'receive';

/** Runtime symbols a printed type refers to; the module emitter turns these into imports. */
export interface TypeUses {
  variant: boolean;
  unixFd: boolean;
}

export function newTypeUses(): TypeUses {
  return { variant: false, unixFd: false };
}

const STRING_KEYS = new Set(['s', 'o', 'g']);

/** Wraps unions and `readonly` types so that they can take a `[]` suffix. */
function arrayElement(text: string): string {
  return text.includes(' | ') || text.startsWith('readonly ') ? `(${text})` : text;
}

export function printType(node: TypeNode, mode: Mode, uses: TypeUses = newTypeUses()): string {
  switch (node.kind) {
    case 'basic':
      switch (node.code) {
        case 'x':
        case 't':
          return mode === 'send' ? 'bigint | number' : 'bigint';
        case 'b':
          return 'boolean';
        case 's':
        case 'o':
        case 'g':
          return 'string';
        case 'h':
          // Received fds are owned handles; an fd number of ours may be sent as is.
          uses.unixFd = true;
          return mode === 'send' ? 'UnixFd | number' : 'UnixFd';
        default:
          // y n q i u d: numbers
          return 'number';
      }
    case 'variant':
      uses.variant = true;
      return 'Variant';
    case 'array': {
      if (node.element.kind === 'basic' && node.element.code === 'y') {
        return mode === 'send' ? 'Uint8Array' : 'Buffer';
      }
      const element = arrayElement(printType(node.element, mode, uses));
      return mode === 'send' ? `readonly ${element}[]` : `${element}[]`;
    }
    case 'dict': {
      const value = printType(node.value, mode, uses);
      if (STRING_KEYS.has(node.key.code)) {
        return mode === 'send' ? `Readonly<Record<string, ${value}>>` : `Record<string, ${value}>`;
      }
      const key = printType(node.key, mode, uses);
      return mode === 'send' ? `ReadonlyMap<${key}, ${value}>` : `Map<${key}, ${value}>`;
    }
    case 'struct': {
      const fields = node.fields.map((f) => printType(f, mode, uses)).join(', ');
      return mode === 'send' ? `readonly [${fields}]` : `[${fields}]`;
    }
    default: {
      const never: never = node;
      throw new Error(`unknown type node ${JSON.stringify(never)}`);
    }
  }
}
