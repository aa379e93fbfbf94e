/**
 * Base class of generated client proxies. Every argument is validated before anything is
 * sent and every reply is validated before it is returned (a peer may be less trusted).
 * Members other than the contract's are `#private` so generated method names cannot clash.
 */
import type { CallOptions, Connection, IncomingMessage, Unsubscribe } from './connection.js';
import type {
  ArgDescriptor,
  InterfaceDescriptor,
  MethodDescriptor,
  PropertyDescriptor,
  SignalDescriptor,
} from './descriptor.js';
import { ValidationError } from './errors.js';
import { subscribeSignal } from './signals.js';
import { introspectObject, isSupported } from './supports.js';
import { validateArgs, validateValue } from './validate.js';
import { Variant } from './variant.js';

/** Per-proxy defaults for its calls. */
export interface ProxyOptions {
  /** Default reply timeout for this proxy's calls (ms; default: the connection's, 25 s). */
  readonly timeoutMs?: number;
}

const PROPERTIES = 'org.freedesktop.DBus.Properties';

interface Index {
  readonly props: ReadonlyMap<string, PropertyDescriptor>;
  readonly propsByWire: ReadonlyMap<string, PropertyDescriptor>;
  readonly signals: ReadonlyMap<string, SignalDescriptor>;
}
const indexes = new WeakMap<InterfaceDescriptor, Index>();

function indexOf(d: InterfaceDescriptor): Index {
  let ix = indexes.get(d);
  if (ix === undefined) {
    ix = {
      props: new Map(d.properties.map((p) => [p.tsName, p])),
      propsByWire: new Map(d.properties.map((p) => [p.name, p])),
      signals: new Map(d.signals.map((s) => [s.tsName, s])),
    };
    indexes.set(d, ix);
  }
  return ix;
}

/** 0 out args -> undefined, 1 -> the value, more -> an object keyed by tsName. */
export function packOutArgs(outArgs: readonly ArgDescriptor[], body: readonly unknown[]): unknown {
  if (outArgs.length === 0) return undefined;
  if (outArgs.length === 1) return body[0];
  const out: Record<string, unknown> = {};
  for (let i = 0; i < outArgs.length; i++) out[outArgs[i]!.tsName] = body[i];
  return out;
}

function checkReply(d: InterfaceDescriptor, m: MethodDescriptor, reply: IncomingMessage): void {
  if (reply.signature !== m.outSignature) {
    throw new ValidationError(
      d.name,
      m.name,
      '',
      '',
      m.outSignature,
      `reply has signature "${reply.signature}", expected "${m.outSignature}"`,
      'reply',
    );
  }
  validateArgs(d.name, m.name, m.outArgs, reply.body, 'reply');
}

/** Unwraps a property's variant from the peer, checking its signature and value. */
function unwrapProperty(d: InterfaceDescriptor, p: PropertyDescriptor, v: unknown): unknown {
  if (!(v instanceof Variant) || v.signature !== p.type) {
    const got = v instanceof Variant ? `"${v.signature}"` : typeof v;
    throw new ValidationError(
      d.name,
      p.name,
      p.name,
      p.name,
      p.type,
      `peer sent ${got}, expected "${p.type}"`,
      'reply',
    );
  }
  validateValue(d.name, p.name, p.name, p.type, v.value, 'reply');
  return v.value;
}

/** What Properties.Get, GetAll and Set reply: other reply bodies are not decoded. */
const PROPERTY_REPLIES: Readonly<Record<string, string>> = { Get: 'v', GetAll: 'a{sv}', Set: '' };

/**
 * What every generated `XProxy` extends: calls to one interface of one remote object
 * (destination + path), with arguments and replies validated against the descriptor, typed
 * property access (`get`, `set`, `getAll`) and typed signal subscription (`on`,
 * `onPropertiesChanged`). `P`, `W`, `S` are the interface's readable properties, writable
 * properties and signal argument tuples; generated code supplies them.
 *
 * @example
 * ```ts
 * const conn = await connect(address);
 * const vm = new VMState1Proxy(conn, ':1.7', '/org/qemu/VMState1');
 * const id = await vm.get('id'); // string, checked against "s"
 * const off = await vm.onPropertiesChanged((changed) => {}); // await off() to stop
 * ```
 */
export class ProxyBase<
  P extends object,
  W extends object,
  S extends Record<string, readonly unknown[]>,
> {
  readonly #options: ProxyOptions;

  constructor(
    readonly connection: Connection,
    readonly descriptor: InterfaceDescriptor,
    readonly destination: string,
    readonly path: string,
    options: ProxyOptions = {},
  ) {
    this.#options = options;
  }

  #callOptions(options: CallOptions | undefined): CallOptions | undefined {
    if (this.#options.timeoutMs === undefined) return options;
    return { timeoutMs: this.#options.timeoutMs, ...options };
  }

  /** Calls `descriptor.methods[index]` with `args` (send-side forms). */
  protected async callMethod(
    index: number,
    args: readonly unknown[],
    options?: CallOptions,
  ): Promise<unknown> {
    const d = this.descriptor;
    const m = d.methods[index];
    if (m === undefined) throw new RangeError(`${d.name} has no method #${index}`);
    validateArgs(d.name, m.name, m.inArgs, args);
    const call = {
      destination: this.destination,
      path: this.path,
      interfaceName: d.name,
      member: m.name,
      signature: m.inSignature,
      body: args,
      replySignature: m.outSignature,
    };
    if (m.noReply) {
      this.connection.callNoReply(call, options);
      return undefined;
    }
    const reply = await this.connection.call(call, this.#callOptions(options));
    checkReply(d, m, reply);
    return packOutArgs(m.outArgs, reply.body);
  }

  #prop(name: string): PropertyDescriptor {
    const p = indexOf(this.descriptor).props.get(name);
    if (p === undefined) throw new RangeError(`${this.descriptor.name} has no property ${name}`);
    return p;
  }

  #propsCall(member: string, signature: string, body: readonly unknown[], options?: CallOptions) {
    return this.connection.call(
      {
        destination: this.destination,
        path: this.path,
        interfaceName: PROPERTIES,
        member,
        signature,
        body,
        replySignature: PROPERTY_REPLIES[member],
      },
      this.#callOptions(options),
    );
  }

  /** Reads a property (org.freedesktop.DBus.Properties.Get); `name` is its TypeScript name. */
  async get<K extends keyof P & string>(name: K, options?: CallOptions): Promise<P[K]> {
    const p = this.#prop(name);
    const reply = await this.#propsCall('Get', 'ss', [this.descriptor.name, p.name], options);
    if (reply.signature !== 'v') {
      throw new ValidationError(
        this.descriptor.name,
        p.name,
        p.name,
        p.name,
        'v',
        `Get replied "${reply.signature}"`,
        'reply',
      );
    }
    return unwrapProperty(this.descriptor, p, reply.body[0]) as P[K];
  }

  /** Writes a property (Properties.Set); the value is validated before sending. */
  async set<K extends keyof W & string>(
    name: K,
    value: W[K],
    options?: CallOptions,
  ): Promise<void> {
    const p = this.#prop(name);
    validateValue(this.descriptor.name, p.name, p.name, p.type, value, 'property');
    await this.#propsCall(
      'Set',
      'ssv',
      [this.descriptor.name, p.name, new Variant(p.type, value)],
      options,
    );
  }

  /** Reads all readable properties (Properties.GetAll), keyed by TypeScript name. */
  async getAll(options?: CallOptions): Promise<Partial<P>> {
    const reply = await this.#propsCall('GetAll', 's', [this.descriptor.name], options);
    if (reply.signature !== 'a{sv}') {
      throw new ValidationError(
        this.descriptor.name,
        'GetAll',
        '',
        '',
        'a{sv}',
        `GetAll replied "${reply.signature}"`,
        'reply',
      );
    }
    const byWire = indexOf(this.descriptor).propsByWire;
    const out: Record<string, unknown> = {};
    for (const [wire, v] of Object.entries(reply.body[0] as Record<string, unknown>)) {
      const p = byWire.get(wire);
      if (p !== undefined) out[p.tsName] = unwrapProperty(this.descriptor, p, v);
    }
    return out as Partial<P>;
  }

  /**
   * Whether the remote object has `member` (TypeScript or wire name of a method, property or
   * signal) with the generated signature; with no argument, whether it serves the interface.
   * One Introspect per object, cached (runtime/supports.ts): ask before calling a member an
   * older service may lack.
   */
  async supports(member?: string, options?: CallOptions): Promise<boolean> {
    const timeoutMs = this.#callOptions(options)?.timeoutMs;
    const served = await introspectObject(this.connection, this.destination, this.path, timeoutMs);
    return isSupported(this.descriptor, served, member);
  }

  /** Subscribes to a signal by TypeScript name; resolves once the match rule is added. */
  async on<K extends keyof S & string>(
    signal: K,
    listener: (...args: S[K]) => void,
  ): Promise<Unsubscribe> {
    const d = this.descriptor;
    const s = indexOf(d).signals.get(signal);
    if (s === undefined) throw new RangeError(`${d.name} has no signal ${signal}`);
    return subscribeSignal(
      this.connection,
      { sender: this.destination, path: this.path, interfaceName: d.name, member: s.name },
      (msg) => {
        if (msg.signature !== s.signature) return;
        try {
          validateArgs(d.name, s.name, s.args, msg.body, 'signal');
        } catch (err) {
          console.warn(`dbus-codegen-ts: dropped signal: ${(err as Error).message}`);
          return;
        }
        listener(...(msg.body as unknown as S[K]));
      },
      s.signature,
    );
  }

  /** Subscribes to PropertiesChanged for this interface, with values checked and renamed. */
  async onPropertiesChanged(
    listener: (changed: Partial<P>, invalidated: (keyof P & string)[]) => void,
  ): Promise<Unsubscribe> {
    const d = this.descriptor;
    const byWire = indexOf(d).propsByWire;
    return subscribeSignal(
      this.connection,
      {
        sender: this.destination,
        path: this.path,
        interfaceName: PROPERTIES,
        member: 'PropertiesChanged',
        arg0: d.name,
      },
      (msg) => {
        if (msg.signature !== 'sa{sv}as') return;
        const changed: Record<string, unknown> = {};
        const invalidated: (keyof P & string)[] = [];
        try {
          for (const [wire, v] of Object.entries(msg.body[1] as Record<string, unknown>)) {
            const p = byWire.get(wire);
            if (p !== undefined) changed[p.tsName] = unwrapProperty(d, p, v);
          }
        } catch (err) {
          console.warn(`dbus-codegen-ts: dropped PropertiesChanged: ${(err as Error).message}`);
          return;
        }
        for (const wire of msg.body[2] as string[]) {
          const p = byWire.get(wire);
          if (p !== undefined) invalidated.push(p.tsName as keyof P & string);
        }
        listener(changed as Partial<P>, invalidated);
      },
      'sa{sv}as',
    );
  }
}
