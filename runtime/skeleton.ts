/**
 * Base class of generated server skeletons. Constructing one exports it on the connection's
 * object server at `path`; handlers are plain objects whose methods are named by the
 * methods' TypeScript names and are called with the in-args (receive-side forms) and a
 * {@link CallContext}. Members other than the contract's are `#private` so that generated
 * `emitXxx` methods cannot clash with them.
 */
import type { Authorizer } from './auth.js';
import type { Connection } from './connection.js';
import type { InterfaceDescriptor, MethodDescriptor, PropertyDescriptor } from './descriptor.js';
import { DBusError, ErrorNames, ValidationError } from './errors.js';
import { type CallContext, type ExportEntry, ObjectServer, PROPERTIES } from './object-server.js';
import { isObjectPath, validateArgs, validateValue } from './validate.js';
import { Variant } from './variant.js';

export type { AuthorizationRequest, Authorizer } from './auth.js';
export type { CallContext } from './object-server.js';

/** Options of a {@link SkeletonBase}: authorization and a hook on remote property sets. */
export interface SkeletonOptions<P> {
  /** Called before every method call and property access; false answers AccessDenied. */
  readonly authorize?: Authorizer;
  /**
   * Called for a remote Properties.Set after the value was validated; throw a DBusError to
   * refuse. When it returns, the value is stored and PropertiesChanged emitted.
   */
  readonly onSet?: (
    name: keyof P & string,
    value: unknown,
    ctx: CallContext,
  ) => void | Promise<void>;
}

type Handler = (...args: unknown[]) => unknown;

/** Handler result -> out-arg list (0 outs: none, 1: the value, more: object by tsName). */
function unpackResult(m: MethodDescriptor, result: unknown): readonly unknown[] {
  if (m.outArgs.length === 0) return [];
  if (m.outArgs.length === 1) return [result];
  if (typeof result !== 'object' || result === null) {
    throw new ValidationError(
      '',
      m.name,
      '',
      '',
      m.outSignature,
      'handler must return an object of out-args',
      'reply',
    );
  }
  const r = result as Record<string, unknown>;
  return m.outArgs.map((a) => r[a.tsName]);
}

/**
 * What every generated `XSkeleton` extends: exports the user's handlers for one interface at
 * a path on a connection. Incoming calls are validated before a handler sees them and
 * replies before they are sent; Properties Get/Set/GetAll and Introspect are answered from
 * the descriptor and the property values; `emitX` methods and property updates send signals
 * as `EmitsChangedSignal` says. `unexport()` removes it.
 *
 * @example
 * ```ts
 * const skel = new VMState1Skeleton(conn, '/org/qemu/VMState1', {
 *   save: () => Buffer.from('state'),
 *   load: (data) => {},
 * }, { id: 'my-helper' }, { authorize: allowUids(['qemu']) });
 * await conn.requestName('org.qemu.VMState1');
 * ```
 */
export class SkeletonBase<P extends object> {
  readonly #descriptor: InterfaceDescriptor;
  readonly #properties: P;
  readonly #entry: ExportEntry;
  readonly #props: ReadonlyMap<string, PropertyDescriptor>;
  #exported = true;

  constructor(
    readonly connection: Connection,
    descriptor: InterfaceDescriptor,
    readonly path: string,
    handlers: object,
    properties: P,
    options: SkeletonOptions<P> = {},
  ) {
    if (!isObjectPath(path)) throw new TypeError(`"${path}" is not a valid object path`);
    this.#descriptor = descriptor;
    this.#properties = properties;
    this.#props = new Map(descriptor.properties.map((p) => [p.tsName, p]));
    const onSet = options.onSet;
    this.#entry = {
      descriptor,
      path,
      authorize: options.authorize,
      invoke: async (m, args, ctx) => {
        const fn = (handlers as Record<string, unknown>)[m.tsName];
        if (typeof fn !== 'function') {
          throw new DBusError(
            ErrorNames.NotSupported,
            `${descriptor.name}.${m.name} is not implemented`,
          );
        }
        const result = await (fn as Handler).apply(handlers, [...args, ctx]);
        return unpackResult(m, result);
      },
      read: (p) => (this.#properties as Record<string, unknown>)[p.tsName],
      write: async (p, value, ctx) => {
        if (onSet) await onSet(p.tsName as keyof P & string, value, ctx);
        this.#store(p, value);
      },
    };
    ObjectServer.for(connection).add(this.#entry);
  }

  /** The current value of a property (TypeScript name). */
  getProperty<K extends keyof P & string>(name: K): P[K] {
    return this.#properties[name];
  }

  /**
   * Sets a property locally: validates it, stores it and emits PropertiesChanged as its
   * EmitsChangedSignal annotation says (true: with the value; invalidates: name only;
   * const/false: nothing).
   */
  setProperty<K extends keyof P & string>(name: K, value: P[K]): void {
    const p = this.#props.get(name);
    if (p === undefined) throw new RangeError(`${this.#descriptor.name} has no property ${name}`);
    validateValue(this.#descriptor.name, p.name, p.name, p.type, value, 'property');
    this.#store(p, value);
  }

  #store(p: PropertyDescriptor, value: unknown): void {
    const props = this.#properties as Record<string, unknown>;
    const old = props[p.tsName];
    props[p.tsName] = value;
    const primitive = value === null || (typeof value !== 'object' && typeof value !== 'function');
    if (primitive && Object.is(old, value)) return;
    if (!this.#exported || this.connection.closed) return;
    if (p.emitsChangedSignal === 'true') {
      this.#emitChanged({ [p.name]: new Variant(p.type, value) }, []);
    } else if (p.emitsChangedSignal === 'invalidates') {
      this.#emitChanged({}, [p.name]);
    }
  }

  #emitChanged(changed: Record<string, Variant>, invalidated: string[]): void {
    this.connection.emitSignal({
      path: this.path,
      interfaceName: PROPERTIES,
      member: 'PropertiesChanged',
      signature: 'sa{sv}as',
      body: [this.#descriptor.name, changed, invalidated],
    });
  }

  /** Emits `descriptor.signals[index]` with validated `args` (send-side forms). */
  protected emitSignal(index: number, args: readonly unknown[]): void {
    const d = this.#descriptor;
    const s = d.signals[index];
    if (s === undefined) throw new RangeError(`${d.name} has no signal #${index}`);
    validateArgs(d.name, s.name, s.args, args, 'signal');
    this.connection.emitSignal({
      path: this.path,
      interfaceName: d.name,
      member: s.name,
      signature: s.signature,
      body: args,
    });
  }

  /** Removes this interface from its path; later calls get UnknownInterface/UnknownObject. */
  unexport(): void {
    if (!this.#exported) return;
    this.#exported = false;
    ObjectServer.for(this.connection).remove(this.#entry);
  }
}
