/**
 * The D-Bus -> TypeScript type mapping (emitters/types.ts) checked on generated code: send types on
 * proxy arguments and property `set`, receive types on proxy results, `get` and signal listeners;
 * the reverse on skeleton handlers. Fixture: test/types/fixtures/org.example.Mapping1.xml,
 * generated into test/types/generated/ (test/unit/emitters-fixture.test.ts keeps it current).
 */
import type {
  CallContext,
  CallOptions,
  UnixFd,
  Unsubscribe,
  Variant,
} from 'dbus-codegen-ts/runtime';
import { describe, expectTypeOf, test } from 'vitest';
import {
  exportMapping1,
  type Mapping1Handlers,
  Mapping1Interface,
  type Mapping1Properties,
  type Mapping1PropertyValues,
  type Mapping1Proxy,
  type Mapping1Signals,
  type Mapping1Skeleton,
  type Mapping1WritableProperties,
} from './generated/org.example.Mapping1.js';

type P = Mapping1Proxy;
type H = Mapping1Handlers;

describe('proxy methods', () => {
  test('0 out-args -> Promise<void>', () => {
    expectTypeOf<P['nothing']>().parameters.toEqualTypeOf<[options?: CallOptions | undefined]>();
    expectTypeOf<P['nothing']>().returns.toEqualTypeOf<Promise<void>>();
  });

  test('1 out-arg -> its value; ay sends Uint8Array, receives Buffer', () => {
    expectTypeOf<P['bytes']>().parameters.toEqualTypeOf<[Uint8Array, (CallOptions | undefined)?]>();
    expectTypeOf<P['bytes']>().returns.toEqualTypeOf<Promise<Buffer>>();
  });

  test('x and t: bigint, send also accepts number', () => {
    expectTypeOf<P['int64']>().parameters.toEqualTypeOf<
      [bigint | number, (CallOptions | undefined)?]
    >();
    expectTypeOf<P['int64']>().returns.toEqualTypeOf<Promise<bigint>>();
  });

  test('basic types', () => {
    expectTypeOf<P['basics']>().parameters.toEqualTypeOf<
      [
        number,
        boolean,
        number,
        number,
        number,
        number,
        number,
        string,
        string,
        string,
        UnixFd | number,
        (CallOptions | undefined)?,
      ]
    >();
  });

  test('several out-args -> object keyed by out names; a{sv} Record of Variant, a{us} Map', () => {
    expectTypeOf<P['dicts']>().parameters.toEqualTypeOf<
      [Readonly<Record<string, Variant>>, ReadonlyMap<number, string>, (CallOptions | undefined)?]
    >();
    expectTypeOf<P['dicts']>().returns.toEqualTypeOf<
      Promise<{ vardict: Record<string, Variant>; numbers: Map<number, string> }>
    >();
  });

  test('structs are tuples (readonly when sent)', () => {
    expectTypeOf<P['structs']>().parameters.toEqualTypeOf<
      [
        readonly [number, string],
        readonly (readonly [bigint | number, Uint8Array])[],
        (CallOptions | undefined)?,
      ]
    >();
    expectTypeOf<P['structs']>().returns.toEqualTypeOf<Promise<[number, string]>>();
  });

  test('v is Variant', () => {
    expectTypeOf<P['variants']>().parameters.toEqualTypeOf<[Variant, (CallOptions | undefined)?]>();
    expectTypeOf<P['variants']>().returns.toEqualTypeOf<Promise<Variant[]>>();
  });

  test('unnamed args are argN', () => {
    expectTypeOf<P['unnamed']>().returns.toEqualTypeOf<Promise<{ arg0: string[]; arg1: number }>>();
  });

  test('reserved words: member names stay, parameters are escaped', () => {
    expectTypeOf<P['delete']>().parameters.toEqualTypeOf<
      [string, string, (CallOptions | undefined)?]
    >();
  });
});

describe('proxy properties and signals', () => {
  test('readable properties in receive types, write-only ones absent', () => {
    expectTypeOf<Mapping1Properties>().toEqualTypeOf<{
      big: bigint;
      props: Record<string, Variant>;
      strings: string[];
    }>();
  });

  test('writable properties in send types', () => {
    expectTypeOf<Mapping1WritableProperties>().toEqualTypeOf<{
      big: bigint | number;
      secret: Uint8Array;
      strings: readonly string[];
    }>();
  });

  test('get/set/getAll are typed by property name', async () => {
    const p = {} as P;
    expectTypeOf(p.get('big')).toEqualTypeOf<Promise<bigint>>();
    expectTypeOf(p.get('props')).toEqualTypeOf<Promise<Record<string, Variant>>>();
    expectTypeOf(p.set('big', 1)).toEqualTypeOf<Promise<void>>();
    expectTypeOf(p.set('secret', new Uint8Array(1))).toEqualTypeOf<Promise<void>>();
    expectTypeOf(p.getAll()).toEqualTypeOf<Promise<Partial<Mapping1Properties>>>();
    // @ts-expect-error: write-only properties cannot be read
    p.get('secret');
    // @ts-expect-error: read-only properties cannot be written
    p.set('props', {});
    // @ts-expect-error: wrong value type
    p.set('big', 'x');
  });

  test('signal listeners get receive types', () => {
    expectTypeOf<Mapping1Signals['changed']>().toEqualTypeOf<[string, bigint, [number, number]]>();
    const p = {} as P;
    expectTypeOf(
      p.on('changed', (name, count, where) => {
        expectTypeOf(name).toEqualTypeOf<string>();
        expectTypeOf(count).toEqualTypeOf<bigint>();
        expectTypeOf(where).toEqualTypeOf<[number, number]>();
      }),
    ).toEqualTypeOf<Promise<Unsubscribe>>();
    // @ts-expect-error: no such signal
    p.on('nope', () => {});
  });
});

describe('skeleton', () => {
  test('handlers take receive types and the call context, return send types or promises', () => {
    expectTypeOf<H['bytes']>().parameters.toEqualTypeOf<[Buffer, CallContext]>();
    expectTypeOf<H['bytes']>().returns.toEqualTypeOf<Uint8Array | Promise<Uint8Array>>();
    expectTypeOf<H['int64']>().parameters.toEqualTypeOf<[bigint, CallContext]>();
    expectTypeOf<H['int64']>().returns.toEqualTypeOf<bigint | number | Promise<bigint | number>>();
    expectTypeOf<H['nothing']>().returns.toEqualTypeOf<void | Promise<void>>();
    expectTypeOf<H['dicts']>().returns.toEqualTypeOf<
      | { vardict: Readonly<Record<string, Variant>>; numbers: ReadonlyMap<number, string> }
      | Promise<{
          vardict: Readonly<Record<string, Variant>>;
          numbers: ReadonlyMap<number, string>;
        }>
    >();
  });

  test('property values are send types, every property included', () => {
    expectTypeOf<Mapping1PropertyValues>().toEqualTypeOf<{
      big: bigint | number;
      props: Readonly<Record<string, Variant>>;
      secret: Uint8Array;
      strings: readonly string[];
    }>();
  });

  test('typed emitters', () => {
    expectTypeOf<Mapping1Skeleton['emitChanged']>().parameters.toEqualTypeOf<
      [string, bigint | number, readonly [number, number]]
    >();
    expectTypeOf(exportMapping1).returns.toEqualTypeOf<Mapping1Skeleton>();
  });

  test('the descriptor is an InterfaceDescriptor', () => {
    expectTypeOf(Mapping1Interface.name).toEqualTypeOf<string>();
  });
});
