/**
 * What `generate` compares a rewritten module with: the module it replaces. Every generated
 * module keeps its interface's canonical XML (annotations kept, docs left out) in the
 * descriptor's `xml` field, and its type prefix in the name of the descriptor const
 * (`export const VMState1Interface: InterfaceDescriptor`). That is read back, checked like any
 * XML, and compared with the new interface (generator/diff/compare.ts), so the summary needs
 * neither the old XML file nor git. Docs changes do not show (the descriptor has no docs).
 */

import { nameInterface } from '../../emitters/ts-names.js';
import type { Interface } from '../../spec/model.js';
import { check } from '../check.js';
import { type ApiChange, compareInterfaces } from './compare.js';

const DESCRIPTOR = /^export const (\w+)Interface: InterfaceDescriptor = \{$/m;
const XML_FIELD = /^ {2}xml: /m;

/** Reads the string literal (template or single-quoted) starting at `text[start]`. */
function readLiteral(text: string, start: number): string | undefined {
  const q = text[start];
  if (q !== '`' && q !== "'") return undefined;
  let out = '';
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i]!;
    if (c === q) return out;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = text[++i];
    if (e === 'n') out += '\n';
    else if (e === 'r') out += '\r';
    else if (e === 'u') {
      out += String.fromCharCode(Number.parseInt(text.slice(i + 1, i + 5), 16));
      i += 4;
    } else if (e !== undefined) out += e;
  }
  return undefined;
}

export interface PreviousModule {
  readonly prefix: string;
  readonly iface: Interface;
}

/** The interface and prefix a generated module was made from; undefined when unreadable. */
export function readPreviousModule(file: string, content: string): PreviousModule | undefined {
  const d = DESCRIPTOR.exec(content);
  if (d === null) return undefined;
  const x = XML_FIELD.exec(content.slice(d.index));
  if (x === null) return undefined;
  const xml = readLiteral(content, d.index + x.index + x[0].length);
  if (xml === undefined) return undefined;
  const r = check([{ file, text: `<node>\n${xml}\n</node>\n` }]);
  const iface = r.interfaces[0]?.iface;
  return iface === undefined ? undefined : { prefix: d[1]!, iface };
}

/**
 * Changes from the module on disk to `iface`. The type prefix is the one the old module really
 * exported (older releases chose prefixes over the whole run), not one recomputed from its XML.
 */
export function changesSincePrevious(previous: PreviousModule, iface: Interface): ApiChange[] {
  const changes = compareInterfaces([previous.iface], [iface], { docs: false }).filter(
    (c) => c.kind !== 'type-names-changed',
  );
  const prefix = nameInterface(iface).prefix;
  if (previous.prefix !== prefix) {
    changes.unshift({
      verdict: 'source-breaking',
      kind: 'type-names-changed',
      interface: iface.name,
      message: `TypeScript names of ${iface.name} change: ${previous.prefix}Proxy -> ${prefix}Proxy, ${previous.prefix}Skeleton -> ${prefix}Skeleton, ...`,
      location: iface.location,
    });
  }
  return changes;
}
