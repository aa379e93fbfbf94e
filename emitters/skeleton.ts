/**
 * The server side: `XxxHandlers` (what the user implements; plain object or class instance),
 * `XxxPropertyValues` (what the skeleton holds), `XxxSkeleton extends SkeletonBase` with typed
 * `emitX` methods, and `exportXxx(...)`. Handlers receive receive-side types and may return
 * send-side types, synchronously or as a promise.
 */
import type {
  ClassDeclarationStructure,
  FunctionDeclarationStructure,
  InterfaceDeclarationStructure,
  OptionalKind,
  ParameterDeclarationStructure,
} from 'ts-morph';
import { type ModuleContext, tsType, useType, useValue } from './context.js';
import { argDoc, type DocTag, docText } from './docs.js';
import { propertyDoc, signalArgTags, signalDbusLine } from './member-docs.js';
import { methodDbusLine, outType, returnTags } from './proxy.js';
import { StructureKind } from './structure-kind.js';

export function handlersInterface(ctx: ModuleContext): InterfaceDeclarationStructure {
  const { iface, names } = ctx;
  return {
    kind: StructureKind.Interface,
    name: names.handlers,
    isExported: true,
    docs: [
      docText({
        docs: {},
        dbus: `Method implementations for \`${iface.name}\`. Each is called with the in-args and the call's context; a thrown DBusError is sent as is, anything else as \`org.freedesktop.DBus.Error.Failed\`.`,
      }),
    ],
    methods: ctx.methods.map(({ method: m, tsName, inArgs, outArgs }) => {
      const result = outType(ctx, outArgs, 'send');
      const tags: DocTag[] = [
        ...inArgs.map((a) => ({
          tag: 'param',
          text: `${a.tsName} - ${argDoc(a.arg.signature, a.arg.docs)}`,
        })),
        { tag: 'param', text: 'ctx - the caller and the message' },
        ...returnTags(outArgs),
      ];
      return {
        name: tsName,
        docs: [
          docText({ docs: m.docs, dbus: methodDbusLine(ctx, m), deprecated: m.deprecated, tags }),
        ],
        parameters: [
          ...inArgs.map((a) => ({ name: a.tsName, type: tsType(ctx, a.arg.type, 'receive') })),
          { name: 'ctx', type: useType(ctx, 'CallContext') },
        ],
        returnType: `${result} | Promise<${result}>`,
      };
    }),
  };
}

/** Every property in send types: the values a skeleton holds and serves. */
export function propertyValuesInterface(ctx: ModuleContext): InterfaceDeclarationStructure {
  const { iface, names } = ctx;
  return {
    kind: StructureKind.Interface,
    name: names.propertyValues,
    isExported: true,
    docs: [
      docText({ docs: {}, dbus: `Property values a \`${iface.name}\` skeleton holds, as sent.` }),
    ],
    properties: ctx.properties.map(({ property: p, tsName }) => ({
      name: tsName,
      type: tsType(ctx, p.type, 'send'),
      docs: [propertyDoc(ctx, p)],
    })),
  };
}

function skeletonParameters(ctx: ModuleContext): OptionalKind<ParameterDeclarationStructure>[] {
  const { names } = ctx;
  const noProperties = ctx.iface.properties.length === 0;
  return [
    { name: 'connection', type: useType(ctx, 'Connection') },
    { name: 'path', type: 'string' },
    { name: 'handlers', type: names.handlers },
    noProperties
      ? { name: 'properties', type: names.propertyValues, initializer: '{}' }
      : { name: 'properties', type: names.propertyValues },
    {
      name: 'options',
      type: `${useType(ctx, 'SkeletonOptions')}<${names.propertyValues}>`,
      hasQuestionToken: true,
    },
  ];
}

function skeletonParamsDoc(ctx: ModuleContext, first: string): string {
  const props =
    ctx.iface.properties.length === 0
      ? '@param properties - none: the interface has no properties'
      : '@param properties - initial values of every property (change them with `setProperty`)';
  return [
    first,
    '',
    '@param connection - the bus connection (from `connect`)',
    '@param path - the object path to serve',
    `@param handlers - the method implementations (\`${ctx.names.handlers}\`)`,
    props,
    '@param options - `authorize` hook (called before every method call and property access) and `onSet` hook',
  ].join('\n');
}

export function skeletonClass(ctx: ModuleContext): ClassDeclarationStructure {
  const { iface, names } = ctx;
  return {
    kind: StructureKind.Class,
    name: names.skeleton,
    isExported: true,
    extends: `${useValue(ctx, 'SkeletonBase')}<${names.propertyValues}>`,
    docs: [
      docText({
        docs: iface.docs,
        dbus: `Server skeleton exporting \`${iface.name}\` at one object path: dispatches calls to the handlers, serves properties, emits signals.`,
        deprecated: iface.deprecated,
      }),
    ],
    ctors: [
      {
        docs: [
          skeletonParamsDoc(
            ctx,
            `Exports \`${iface.name}\` at \`path\` on \`connection\` at once.`,
          ),
        ],
        parameters: skeletonParameters(ctx),
        statements: [
          `super(connection, ${names.descriptor}, path, handlers, properties, options);`,
        ],
      },
    ],
    methods: ctx.signals.map((n) => ({
      name: n.emitter,
      docs: [
        docText({
          docs: n.signal.docs,
          dbus: `Emits ${signalDbusLine(ctx, n.signal)}`,
          deprecated: n.signal.deprecated,
          tags: signalArgTags(n),
        }),
      ],
      parameters: n.args.map((a) => ({ name: a.tsName, type: tsType(ctx, a.arg.type, 'send') })),
      returnType: 'void',
      statements: [`this.emitSignal(${n.index}, [${n.args.map((a) => a.tsName).join(', ')}]);`],
    })),
  };
}

export function exportFunction(ctx: ModuleContext): FunctionDeclarationStructure {
  const { iface, names } = ctx;
  return {
    kind: StructureKind.Function,
    name: names.exportFunction,
    isExported: true,
    docs: [
      skeletonParamsDoc(
        ctx,
        `Exports \`${iface.name}\` at \`path\` on \`connection\`; same as \`new ${names.skeleton}(...)\`. Call \`unexport()\` on the result to remove it.`,
      ),
    ],
    parameters: skeletonParameters(ctx),
    returnType: names.skeleton,
    statements: [`return new ${names.skeleton}(connection, path, handlers, properties, options);`],
  };
}
