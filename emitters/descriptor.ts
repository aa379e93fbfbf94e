/**
 * The interface descriptor const (runtime/descriptor.ts): wire names, TS names, signatures,
 * access, change-signal mode, annotations and the interface's own XML. The runtime compiles its
 * validators from these signatures, so they are copied verbatim from the model.
 */
import type { Interface } from '../spec/model.js';
import { type ModuleContext, type NamedArg, useType } from './context.js';
import { docText, jsDoc } from './docs.js';
import { type Literal, printLiteral } from './literal.js';

function args(list: readonly NamedArg[]): Literal[] {
  return list.map(({ arg, tsName }) => ({ name: arg.name ?? '', tsName, type: arg.signature }));
}

/** `true` flags only: absent means false, which keeps the literal short. */
function flag(value: boolean): true | undefined {
  return value ? true : undefined;
}

/**
 * The `<interface>` element for Introspect. The model may hold it wrapped in a `<node>` (with an
 * XML declaration or DOCTYPE before it); the descriptor wants the bare element.
 */
export function interfaceElement(xml: string): string {
  const start = xml.indexOf('<interface');
  if (start < 0) return xml.trim();
  const end = xml.lastIndexOf('</interface>');
  const close = end >= 0 ? end + '</interface>'.length : xml.indexOf('/>', start) + 2;
  if (close < 2) return xml.trim();
  // dedent by the element's own indentation, so the element starts at column 0
  const lineStart = xml.lastIndexOf('\n', start) + 1;
  const indent = /^[ \t]*$/.test(xml.slice(lineStart, start)) ? xml.slice(lineStart, start) : '';
  const element = xml.slice(start, close);
  if (indent === '') return element;
  return element
    .split('\n')
    .map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l))
    .join('\n');
}

export function descriptorLiteral(iface: Interface, ctx: ModuleContext): Literal {
  return {
    name: iface.name,
    methods: ctx.methods.map(({ method: m, tsName, inArgs, outArgs }) => ({
      name: m.name,
      tsName,
      inArgs: args(inArgs),
      outArgs: args(outArgs),
      inSignature: m.inSignature,
      outSignature: m.outSignature,
      noReply: flag(m.noReply),
      deprecated: flag(m.deprecated),
    })),
    signals: ctx.signals.map(({ signal: s, tsName, args: named }) => ({
      name: s.name,
      tsName,
      args: args(named),
      signature: s.signature,
      deprecated: flag(s.deprecated),
    })),
    properties: ctx.properties.map(({ property: p, tsName }) => ({
      name: p.name,
      tsName,
      type: p.signature,
      access: p.access,
      emitsChangedSignal: p.emitsChangedSignal,
      deprecated: flag(p.deprecated),
    })),
    annotations: Object.fromEntries(iface.annotations.map((a) => [a.name, a.value])),
    xml: interfaceElement(iface.xml),
  };
}

/**
 * A raw statement (ts-morph would re-indent a multi-line initializer); the leading newline keeps
 * a blank line before it.
 */
export function descriptorStatement(ctx: ModuleContext): string {
  const { iface, names } = ctx;
  const doc = jsDoc(
    docText({
      docs: {},
      dbus: `Descriptor of the D-Bus interface \`${iface.name}\`: wire names, signatures and XML the runtime dispatches and validates with.`,
    }),
  );
  const type = useType(ctx, 'InterfaceDescriptor');
  const head = `export const ${names.descriptor}: ${type} = `;
  return `\n${doc}\n${head}${printLiteral(descriptorLiteral(iface, ctx), 0, 100, head.length)};`;
}
