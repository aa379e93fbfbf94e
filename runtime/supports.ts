/**
 * `proxy.supports(member)`: does the object on the other end really have this member, with
 * the signature the bindings were generated for? Answered from one Introspect of the object,
 * cached per connection, destination and object path (every proxy of that object shares it),
 * so a client generated from newer XML can run against an older service (QEMU 7.2 has no
 * `org.qemu.Display1.VM.Interfaces`) without a failed call per member.
 *
 * The reply comes from a peer: it is size-bounded, parsed without entity expansion, and only
 * names and signatures are kept. A failed Introspect is not cached (the next ask retries).
 */
import { XMLParser } from 'fast-xml-parser';
import type { Connection } from './connection.js';
import type { InterfaceDescriptor } from './descriptor.js';

/** Introspection XML larger than this is refused (real services send a few KiB). */
export const MAX_INTROSPECTION_BYTES = 4 * 1024 * 1024;

/** What one object serves: interface -> member key (see `key`) set. */
export type ServedMembers = ReadonlyMap<string, ReadonlySet<string>>;

const key = {
  method: (name: string, inSig: string, outSig: string) => `m ${name} ${inSig} ${outSig}`,
  signal: (name: string, sig: string) => `s ${name} ${sig}`,
  property: (name: string, type: string) => `p ${name} ${type}`,
};

const cache = new WeakMap<Connection, Map<string, Promise<ServedMembers>>>();

type Attrs = Record<string, string | undefined>;
type XmlElement = Attrs & { arg?: Attrs[]; interface?: XmlElement[]; [k: string]: unknown };

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  processEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  isArray: (name) => ['interface', 'method', 'signal', 'property', 'arg', 'node'].includes(name),
});

const list = (v: unknown): XmlElement[] => (Array.isArray(v) ? (v as XmlElement[]) : []);
const joined = (args: readonly Attrs[], pick: (a: Attrs) => boolean) =>
  args
    .filter(pick)
    .map((a) => a['type'] ?? '')
    .join('');

/** The members of each interface in an Introspect reply (of the object itself, not children). */
export function servedMembers(xml: string): ServedMembers {
  if (Buffer.byteLength(xml) > MAX_INTROSPECTION_BYTES)
    throw new RangeError(`introspection data is larger than ${MAX_INTROSPECTION_BYTES} bytes`);
  const doc = parser.parse(xml) as { node?: XmlElement[] };
  const out = new Map<string, Set<string>>();
  for (const iface of list(doc.node?.[0]?.interface)) {
    const name = iface['name'];
    if (typeof name !== 'string') continue;
    const members = new Set<string>();
    for (const m of list(iface['method'])) {
      const args = list(m.arg);
      members.add(
        key.method(
          m['name'] ?? '',
          joined(args, (a) => (a['direction'] ?? 'in') === 'in'),
          joined(args, (a) => a['direction'] === 'out'),
        ),
      );
    }
    for (const s of list(iface['signal'])) {
      members.add(
        key.signal(
          s['name'] ?? '',
          joined(list(s.arg), () => true),
        ),
      );
    }
    for (const p of list(iface['property'])) {
      members.add(key.property(p['name'] ?? '', p['type'] ?? ''));
    }
    out.set(name, members);
  }
  return out;
}

/** One Introspect per (connection, destination, path), shared by every caller until it fails. */
export function introspectObject(
  connection: Connection,
  destination: string,
  path: string,
  timeoutMs?: number,
): Promise<ServedMembers> {
  let perConnection = cache.get(connection);
  if (perConnection === undefined) {
    perConnection = new Map();
    cache.set(connection, perConnection);
  }
  const id = `${destination}\0${path}`;
  const known = perConnection.get(id);
  if (known !== undefined) return known;
  const asked = (async () => {
    const reply = await connection.call(
      {
        destination,
        path,
        interfaceName: 'org.freedesktop.DBus.Introspectable',
        member: 'Introspect',
        signature: '',
        body: [],
      },
      timeoutMs === undefined ? undefined : { timeoutMs },
    );
    if (reply.signature !== 's' || typeof reply.body[0] !== 'string')
      throw new TypeError(`Introspect of ${path} replied "${reply.signature}", expected "s"`);
    return servedMembers(reply.body[0]);
  })();
  perConnection.set(id, asked);
  asked.catch(() => perConnection.delete(id));
  return asked;
}

/** Forgets what was learnt about an object (after the service restarted or was upgraded). */
export function forgetIntrospection(connection: Connection, destination: string, path: string) {
  cache.get(connection)?.delete(`${destination}\0${path}`);
}

/**
 * Whether `served` has `member` of `d` (its TypeScript or wire name) with the generated
 * signature; with no member, whether the interface is served at all. An unknown member is a
 * RangeError (a typo, not an answer).
 */
export function isSupported(d: InterfaceDescriptor, served: ServedMembers, member?: string) {
  const members = served.get(d.name);
  if (member === undefined) return members !== undefined;
  const is = (x: { name: string; tsName: string }) => x.tsName === member || x.name === member;
  const wanted = [
    ...d.methods.filter(is).map((m) => key.method(m.name, m.inSignature, m.outSignature)),
    ...d.signals.filter(is).map((s) => key.signal(s.name, s.signature)),
    ...d.properties.filter(is).map((p) => key.property(p.name, p.type)),
  ];
  if (wanted.length === 0) throw new RangeError(`${d.name} has no member ${member}`);
  return members !== undefined && wanted.some((k) => members.has(k));
}
