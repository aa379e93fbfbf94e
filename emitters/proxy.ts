/**
 * The client proxy: `XxxProxy extends ProxyBase<XxxProperties, XxxWritableProperties,
 * XxxSignals>` with one method per D-Bus method, plus the property and signal maps it is typed
 * by. Methods forward to `callMethod(index, args, options)`, the index into the descriptor's
 * method list; the runtime validates and shapes results (0 outs: undefined, 1: the value,
 * several: an object keyed by out-arg TS names).
 */
import type {
  ClassDeclarationStructure,
  InterfaceDeclarationStructure,
  MethodDeclarationStructure,
  OptionalKind,
  ParameterDeclarationStructure,
} from 'ts-morph';
import type { Method } from '../spec/model.js';
import {
  type ModuleContext,
  type NamedArg,
  type NamedMethod,
  tsType,
  useType,
  useValue,
} from './context.js';
import { argDoc, type DocTag, docText, jsDoc, sig } from './docs.js';
import { propertyDoc, signalDoc } from './member-docs.js';
import { StructureKind } from './structure-kind.js';
import type { Mode } from './types.js';

/** `{ a: A; b: B }` for several out-args, the single type for one, `void` for none. */
export function outType(ctx: ModuleContext, args: readonly NamedArg[], mode: Mode): string {
  const [only, ...more] = args;
  if (only === undefined) return 'void';
  if (more.length === 0) return tsType(ctx, only.arg.type, mode);
  const fields = args.map((a) => `${a.tsName}: ${tsType(ctx, a.arg.type, mode)}`);
  return `{ ${fields.join('; ')} }`;
}

export function returnTags(args: readonly NamedArg[]): DocTag[] {
  const [only, ...more] = args;
  if (only === undefined) return [];
  if (more.length === 0)
    return [{ tag: 'returns', text: argDoc(only.arg.signature, only.arg.docs) }];
  const lines = args.map((a) => `- \`${a.tsName}\`: ${argDoc(a.arg.signature, a.arg.docs)}`);
  return [{ tag: 'returns', text: `an object with:\n${lines.join('\n')}` }];
}

/** Methods per name, counted once per interface (a count per method was quadratic). */
const overloadCounts = new WeakMap<ModuleContext['iface'], Map<string, number>>();

function overloadsOf(ctx: ModuleContext, name: string): number {
  let counts = overloadCounts.get(ctx.iface);
  if (counts === undefined) {
    counts = new Map();
    for (const o of ctx.iface.methods) counts.set(o.name, (counts.get(o.name) ?? 0) + 1);
    overloadCounts.set(ctx.iface, counts);
  }
  return counts.get(name) ?? 0;
}

export function methodDbusLine(ctx: ModuleContext, m: Method): string {
  let line = `D-Bus method \`${ctx.iface.name}.${m.name}\` (in ${sig(m.inSignature)}, out ${sig(m.outSignature)}).`;
  const overloads = overloadsOf(ctx, m.name);
  if (overloads > 1)
    line += ` One of ${overloads} overloads of \`${m.name}\`, told apart by the in-signature.`;
  if (m.noReply) line += ' No reply is expected (`Method.NoReply`): resolves once sent.';
  return line;
}

function proxyMethod(
  ctx: ModuleContext,
  named: NamedMethod,
): OptionalKind<MethodDeclarationStructure> {
  const { method: m, index, inArgs } = named;
  const parameters: OptionalKind<ParameterDeclarationStructure>[] = inArgs.map((a) => ({
    name: a.tsName,
    type: tsType(ctx, a.arg.type, 'send'),
  }));
  parameters.push({ name: 'options', type: useType(ctx, 'CallOptions'), hasQuestionToken: true });
  // NoReply: the runtime resolves once the message is sent, so there is never a value
  const result = m.noReply ? 'void' : outType(ctx, named.outArgs, 'receive');
  const tags: DocTag[] = [
    ...inArgs.map((a) => ({
      tag: 'param',
      text: `${a.tsName} - ${argDoc(a.arg.signature, a.arg.docs)}`,
    })),
    { tag: 'param', text: 'options - per-call timeout and flags' },
    ...(m.noReply ? [] : returnTags(named.outArgs)),
  ];
  const argList = inArgs.map((a) => a.tsName).join(', ');
  return {
    name: named.tsName,
    docs: [docText({ docs: m.docs, dbus: methodDbusLine(ctx, m), deprecated: m.deprecated, tags })],
    parameters,
    returnType: `Promise<${result}>`,
    statements: [`return this.callMethod(${index}, [${argList}], options) as Promise<${result}>;`],
  };
}

export function proxyClass(ctx: ModuleContext): ClassDeclarationStructure {
  const { iface, names } = ctx;
  return {
    kind: StructureKind.Class,
    name: names.proxy,
    isExported: true,
    extends: `${useValue(ctx, 'ProxyBase')}<${names.properties}, ${names.writableProperties}, ${names.signals}>`,
    docs: [
      docText({
        docs: iface.docs,
        dbus: `Client proxy for the D-Bus interface \`${iface.name}\` on one remote object.`,
        deprecated: iface.deprecated,
      }),
    ],
    ctors: [
      {
        docs: [
          [
            `A proxy for \`${iface.name}\` on the object \`path\` of the peer \`destination\`. No I/O happens until a member is used.`,
            '',
            '@param connection - the bus connection (from `connect`)',
            '@param destination - the bus name of the service, e.g. `org.example.Service`',
            '@param path - the object path',
            '@param options - defaults for every call (timeoutMs, default 25 s)',
          ].join('\n'),
        ],
        parameters: [
          { name: 'connection', type: useType(ctx, 'Connection') },
          { name: 'destination', type: 'string' },
          { name: 'path', type: 'string' },
          { name: 'options', type: useType(ctx, 'ProxyOptions'), hasQuestionToken: true },
        ],
        statements: [`super(connection, ${names.descriptor}, destination, path, options);`],
      },
    ],
    methods: ctx.methods.map((m) => proxyMethod(ctx, m)),
  };
}

/** Readable properties in receive types: what `get`, `getAll` and change listeners see. */
export function propertiesInterface(ctx: ModuleContext): InterfaceDeclarationStructure {
  const { iface, names } = ctx;
  return {
    kind: StructureKind.Interface,
    name: names.properties,
    isExported: true,
    docs: [docText({ docs: {}, dbus: `Readable properties of \`${iface.name}\`, as received.` })],
    properties: ctx.properties.flatMap(({ property: p, tsName }) =>
      p.access === 'write'
        ? []
        : [
            {
              name: tsName,
              type: tsType(ctx, p.type, 'receive'),
              docs: [propertyDoc(ctx, p)],
            },
          ],
    ),
  };
}

/** Writable properties in send types: what `set` accepts. */
export function writablePropertiesInterface(ctx: ModuleContext): InterfaceDeclarationStructure {
  const { iface, names } = ctx;
  return {
    kind: StructureKind.Interface,
    name: names.writableProperties,
    isExported: true,
    docs: [docText({ docs: {}, dbus: `Writable properties of \`${iface.name}\`, as sent.` })],
    properties: ctx.properties.flatMap(({ property: p, tsName }) =>
      p.access === 'read'
        ? []
        : [
            {
              name: tsName,
              type: tsType(ctx, p.type, 'send'),
              docs: [propertyDoc(ctx, p)],
            },
          ],
    ),
  };
}

/**
 * Signal name -> labelled tuple of listener args (receive types). A type alias, not an
 * interface, so that it satisfies `Record<string, readonly unknown[]>`. A raw statement: ts-morph
 * would re-indent a multi-line type.
 */
export function signalsType(ctx: ModuleContext): string {
  const { iface, names } = ctx;
  const members = ctx.signals.map((s) => {
    const tuple = s.args
      .map((a) => `${a.tsName}: ${tsType(ctx, a.arg.type, 'receive')}`)
      .join(', ');
    return `${jsDoc(signalDoc(ctx, s), '  ')}\n  ${s.tsName}: [${tuple}];`;
  });
  const doc = jsDoc(
    docText({
      docs: {},
      dbus: `Signals of \`${iface.name}\`: name -> listener arguments, as received.`,
    }),
  );
  const type = members.length === 0 ? '{}' : `{\n${members.join('\n')}\n}`;
  return `${doc}\nexport type ${names.signals} = ${type};`;
}
