/**
 * Hand-written interface descriptors for runtime tests (generated ones come from the
 * generator; these keep runtime tests independent of it). Builds the descriptor and its XML.
 */
import type {
  ArgDescriptor,
  EmitsChangedSignalMode,
  InterfaceDescriptor,
  PropertyAccess,
} from '../../runtime/descriptor.js';

type Args = readonly (readonly [name: string, type: string])[];

export interface IfaceSpec {
  readonly methods?: Readonly<
    Record<string, { readonly in?: Args; readonly out?: Args; readonly noReply?: boolean }>
  >;
  readonly signals?: Readonly<Record<string, Args>>;
  readonly properties?: Readonly<
    Record<
      string,
      {
        readonly type: string;
        readonly access: PropertyAccess;
        readonly emits?: EmitsChangedSignalMode;
      }
    >
  >;
}

const camel = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1);
const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

function args(list: Args | undefined): ArgDescriptor[] {
  return (list ?? []).map(([name, type], i) => ({
    name,
    tsName: name === '' ? `arg${i}` : name,
    type,
  }));
}

function argXml(list: readonly ArgDescriptor[], dir?: string): string {
  return list
    .map(
      (a) =>
        `    <arg${a.name ? ` name="${esc(a.name)}"` : ''} type="${esc(a.type)}"${dir ? ` direction="${dir}"` : ''}/>\n`,
    )
    .join('');
}

export function makeInterface(name: string, spec: IfaceSpec): InterfaceDescriptor {
  const methods = Object.entries(spec.methods ?? {}).map(([m, s]) => {
    const inArgs = args(s.in);
    const outArgs = args(s.out);
    return {
      name: m,
      tsName: camel(m),
      inArgs,
      outArgs,
      inSignature: inArgs.map((a) => a.type).join(''),
      outSignature: outArgs.map((a) => a.type).join(''),
      ...(s.noReply ? { noReply: true } : {}),
    };
  });
  const signals = Object.entries(spec.signals ?? {}).map(([s, a]) => {
    const list = args(a);
    return { name: s, tsName: camel(s), args: list, signature: list.map((x) => x.type).join('') };
  });
  const properties = Object.entries(spec.properties ?? {}).map(([p, s]) => ({
    name: p,
    tsName: camel(p),
    type: s.type,
    access: s.access,
    emitsChangedSignal: s.emits ?? 'true',
  }));
  let xml = `<interface name="${name}">\n`;
  for (const m of methods) {
    xml += `  <method name="${m.name}">\n${argXml(m.inArgs, 'in')}${argXml(m.outArgs, 'out')}`;
    if (m.noReply)
      xml += `    <annotation name="org.freedesktop.DBus.Method.NoReply" value="true"/>\n`;
    xml += '  </method>\n';
  }
  for (const s of signals) xml += `  <signal name="${s.name}">\n${argXml(s.args)}  </signal>\n`;
  for (const p of properties) {
    xml += `  <property name="${p.name}" type="${esc(p.type)}" access="${p.access}">\n`;
    xml += `    <annotation name="org.freedesktop.DBus.Property.EmitsChangedSignal" value="${p.emitsChangedSignal}"/>\n  </property>\n`;
  }
  xml += '</interface>';
  return { name, methods, signals, properties, annotations: {}, xml };
}
