/**
 * A D-Bus VARIANT: a value with the signature of its single complete type. Sent variants are
 * validated recursively (the signature must be one complete type and the value must fit it);
 * received variants carry our types (`Buffer` for `ay`, `bigint` for `x`/`t`, `Map` for
 * dicts with non-string keys).
 *
 * @example new Variant('a{sv}', { Name: new Variant('s', 'vm0') })
 */
export class Variant<T = unknown> {
  constructor(
    readonly signature: string,
    readonly value: T,
  ) {}
}
