/**
 * D-Bus server addresses (specification "Server Addresses"): `transport:key=value,...`,
 * several separated by `;` and tried in order; values may hold `%XX` escapes.
 */
import { DBusError, ErrorNames } from '../errors.js';

export interface ServerAddress {
  readonly transport: string;
  readonly params: ReadonlyMap<string, string>;
  /** The address as written (for messages). */
  readonly text: string;
}

function bad(text: string, why: string): DBusError {
  return new DBusError(ErrorNames.BadAddress, `bad D-Bus address "${text}": ${why}`);
}

/** Decodes `%XX` escapes as bytes, then the bytes as UTF-8. */
export function unescapeValue(value: string, text = value): string {
  if (!value.includes('%')) return value;
  const bytes: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c === '%') {
      const hex = value.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) throw bad(text, `"%${hex}" is not a %XX escape`);
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else {
      for (const b of Buffer.from(c, 'utf8')) bytes.push(b);
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Escapes a value for an address (every byte outside `[-0-9A-Za-z_/.\\*]`). */
export function escapeValue(value: string): string {
  let out = '';
  for (const b of Buffer.from(value, 'utf8')) {
    const c = String.fromCharCode(b);
    out += /[-0-9A-Za-z_/.\\*]/.test(c) ? c : `%${b.toString(16).padStart(2, '0')}`;
  }
  return out;
}

/** Parses an address list; throws `DBusError` (BadAddress) on malformed input. */
export function parseAddresses(address: string): ServerAddress[] {
  const out: ServerAddress[] = [];
  for (const text of address.split(';')) {
    if (text === '') continue;
    const colon = text.indexOf(':');
    if (colon <= 0) throw bad(text, 'expected "transport:key=value,..."');
    const transport = text.slice(0, colon);
    const params = new Map<string, string>();
    const rest = text.slice(colon + 1);
    if (rest !== '') {
      for (const pair of rest.split(',')) {
        const eq = pair.indexOf('=');
        if (eq <= 0) throw bad(text, `"${pair}" is not key=value`);
        const key = pair.slice(0, eq);
        if (params.has(key)) throw bad(text, `key "${key}" given twice`);
        params.set(key, unescapeValue(pair.slice(eq + 1), text));
      }
    }
    out.push({ transport, params, text });
  }
  if (out.length === 0) throw bad(address, 'empty address');
  return out;
}
