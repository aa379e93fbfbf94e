/**
 * Hand-built model objects for emitter tests, so that the emitters can be tested without the
 * parser: `iface('org.example.Thing1', { methods: [method('Load', ['ay data'], [])] })`.
 * Arg specs are `"<signature> <name>"` or just `"<signature>"` for an unnamed arg.
 */
import type {
  Access,
  Annotation,
  Arg,
  Direction,
  Docs,
  Interface,
  Method,
  Property,
  Signal,
} from '../../spec/model.js';
import { parseSingleType } from '../../spec/signature.js';

const at = { file: 'test.xml', line: 1, column: 1 };

export function arg(spec: string, direction: Direction, docs: Docs = {}): Arg {
  const [signature, name] = spec.split(' ') as [string, string | undefined];
  return {
    kind: 'arg',
    name,
    signature,
    type: parseSingleType(signature),
    direction,
    docs,
    annotations: [],
    location: at,
  };
}

export function annotation(name: string, value: string): Annotation {
  return { kind: 'annotation', name, value, location: at };
}

export function method(
  name: string,
  inArgs: readonly string[] = [],
  outArgs: readonly string[] = [],
  extra: Partial<Method> = {},
): Method {
  const ins = inArgs.map((s) => arg(s, 'in'));
  const outs = outArgs.map((s) => arg(s, 'out'));
  return {
    kind: 'method',
    name,
    inArgs: ins,
    outArgs: outs,
    inSignature: ins.map((a) => a.signature).join(''),
    outSignature: outs.map((a) => a.signature).join(''),
    noReply: false,
    deprecated: false,
    docs: {},
    annotations: [],
    location: at,
    ...extra,
  };
}

export function signal(
  name: string,
  args: readonly string[] = [],
  extra: Partial<Signal> = {},
): Signal {
  const list = args.map((s) => arg(s, 'out'));
  return {
    kind: 'signal',
    name,
    args: list,
    signature: list.map((a) => a.signature).join(''),
    deprecated: false,
    docs: {},
    annotations: [],
    location: at,
    ...extra,
  };
}

export function property(
  name: string,
  signature: string,
  access: Access = 'read',
  extra: Partial<Property> = {},
): Property {
  return {
    kind: 'property',
    name,
    signature,
    type: parseSingleType(signature),
    access,
    emitsChangedSignal: 'true',
    deprecated: false,
    docs: {},
    annotations: [],
    location: at,
    ...extra,
  };
}

export function iface(
  name: string,
  members: {
    methods?: readonly Method[];
    signals?: readonly Signal[];
    properties?: readonly Property[];
  } = {},
  extra: Partial<Interface> = {},
): Interface {
  return {
    kind: 'interface',
    name,
    methods: members.methods ?? [],
    signals: members.signals ?? [],
    properties: members.properties ?? [],
    deprecated: false,
    docs: {},
    annotations: [],
    location: { file: `interfaces/${name}.xml`, line: 1, column: 1 },
    xml: `<interface name="${name}"></interface>`,
    ...extra,
  };
}

/** org.qemu.VMState1 as in QEMU's docs. */
export const vmstate1 = iface(
  'org.qemu.VMState1',
  {
    methods: [method('Load', ['ay data']), method('Save', [], ['ay data'])],
    properties: [property('Id', 's', 'read', { docs: { text: 'Helper id.' } })],
  },
  { docs: { text: 'QEMU dbus-vmstate helper.' } },
);
