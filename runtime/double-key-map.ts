/**
 * The received form of a dict with DOUBLE keys (`a{dV}`): a `Map` that keeps `-0` and `0` as
 * two keys. A plain `Map` compares keys with SameValueZero and stores `-0` as `0`, so a peer's
 * `-0.0` key would come back as `0` (or merge with a `0` key). Here the `-0` entry is held
 * apart and iterated first; everything else behaves like `Map` (it is one: `instanceof Map`).
 * NaN keys still compare equal to each other, as in `Map` (the last one wins).
 */
export class DoubleKeyMap<V = unknown> extends Map<number, V> {
  #negZero: { value: V } | undefined;

  constructor(entries?: Iterable<readonly [number, V]>) {
    super(); // Map's constructor would call set() before #negZero exists
    if (entries !== undefined) for (const [k, v] of entries) this.set(k, v);
  }

  override get(key: number): V | undefined {
    return Object.is(key, -0) ? this.#negZero?.value : super.get(key);
  }

  override set(key: number, value: V): this {
    if (Object.is(key, -0)) this.#negZero = { value };
    else super.set(key, value);
    return this;
  }

  override has(key: number): boolean {
    return Object.is(key, -0) ? this.#negZero !== undefined : super.has(key);
  }

  override delete(key: number): boolean {
    if (!Object.is(key, -0)) return super.delete(key);
    const had = this.#negZero !== undefined;
    this.#negZero = undefined;
    return had;
  }

  override clear(): void {
    this.#negZero = undefined;
    super.clear();
  }

  override get size(): number {
    return super.size + (this.#negZero === undefined ? 0 : 1);
  }

  override *entries(): MapIterator<[number, V]> {
    if (this.#negZero !== undefined) yield [-0, this.#negZero.value];
    yield* super.entries();
  }

  override *keys(): MapIterator<number> {
    for (const [k] of this.entries()) yield k;
  }

  override *values(): MapIterator<V> {
    for (const [, v] of this.entries()) yield v;
  }

  override [Symbol.iterator](): MapIterator<[number, V]> {
    return this.entries();
  }

  override forEach(
    fn: (value: V, key: number, map: Map<number, V>) => void,
    thisArg?: unknown,
  ): void {
    for (const [k, v] of this.entries()) fn.call(thisArg, v, k, this);
  }
}
