/**
 * The validation entry points: one value against a type ({@link checkValue}), a message body
 * against its signature ({@link validateBody}) and values against argument descriptors
 * ({@link validateArgs}), the latter two throwing {@link ValidationError}. They enforce the
 * specification's value rules (ranges, string and object-path/signature grammar, nesting
 * and size limits) on the send-side TypeScript forms (number for 32-bit and smaller
 * integers, bigint or a safe number for x/t, Uint8Array for ay, arrays, tuples for
 * structs, Record or Map for dicts, Variant for v), which
 * include the receive-side forms, so replies and incoming calls go through the same checks.
 * The per-type checks live in basic-checks.ts and compile-type.ts.
 *
 * A check returns `undefined` for a good value, or an {@link Issue} naming where the value
 * broke which rule. Containers add their path segment while the issue travels outwards.
 */

import { parseSignatureCached, type TypeNode } from '../spec/signature.js';
import { type Check, type Issue, issue } from './basic-checks.js';
import { compileType } from './compile-type.js';
import type { ArgDescriptor } from './descriptor.js';
import { type ValidationDirection, ValidationError } from './errors.js';

export { type Check, describeValue, type Issue, isObjectPath } from './basic-checks.js';
export { compileType, MAX_ARRAY_BYTES, MAX_VALUE_DEPTH } from './compile-type.js';

/** Validates one value against a single complete type given as a signature or tree. */
export function checkValue(type: string | TypeNode, value: unknown): Issue | undefined {
  const node = typeof type === 'string' ? parseSignatureCached(type)[0] : type;
  if (node === undefined) return issue('', 'empty signature');
  return compileType(node)(value, 0);
}

/** The full value path: argument name plus the issue's segments. */
export function issuePath(argument: string, i: Issue): string {
  let path = argument;
  for (let k = i.segments.length - 1; k >= 0; k--) path += i.segments[k];
  return path;
}

/** Bodies that already passed validation (so the connection does not check them twice). */
const validatedBodies = new WeakSet<readonly unknown[]>();

/**
 * True (once) when `body` passed {@link validateArgs} and has not been sent since: the mark
 * is consumed, so a caller that mutates and resends an array is checked again.
 */
export function takeValidated(body: readonly unknown[]): boolean {
  return validatedBodies.delete(body);
}

/** Checks per parsed signature (the parse is cached, so this is too). */
const bodyChecks = new WeakMap<readonly TypeNode[], readonly Check[]>();

function bodyChecksFor(signature: string): readonly Check[] {
  const types = parseSignatureCached(signature);
  let checks = bodyChecks.get(types);
  if (checks === undefined) {
    checks = types.map(compileType);
    bodyChecks.set(types, checks);
  }
  return checks;
}

/**
 * Validates a message body against its signature (one value per complete type); throws
 * {@link ValidationError} naming the value as `arg<i>`.
 */
export function validateBody(
  interfaceName: string,
  member: string,
  signature: string,
  body: readonly unknown[],
): void {
  checkEach(
    interfaceName,
    member,
    () => signature,
    bodyChecksFor(signature),
    body,
    (i) => `arg${i}`,
    'argument',
  );
}

/**
 * Runs one check per value, the count first; throws {@link ValidationError} naming a bad
 * value `nameOf(i)`. `signature` (for the count error) is only built when it is needed.
 */
function checkEach(
  interfaceName: string,
  member: string,
  signature: () => string,
  checks: readonly Check[],
  values: readonly unknown[],
  nameOf: (i: number) => string,
  direction: ValidationDirection,
): void {
  if (values.length !== checks.length) {
    throw new ValidationError(
      interfaceName,
      member,
      '',
      '',
      signature(),
      `expected ${checks.length} values, got ${values.length}`,
      direction,
    );
  }
  for (let i = 0; i < checks.length; i++) {
    const bad = checks[i]!(values[i], 0);
    if (bad !== undefined) {
      const name = nameOf(i);
      throw new ValidationError(
        interfaceName,
        member,
        name,
        issuePath(name, bad),
        bad.signature,
        bad.reason,
        direction,
      );
    }
  }
}

/**
 * Validates one value against a type given as a signature (a property value); throws
 * {@link ValidationError} naming `argument` and the path below it.
 */
export function validateValue(
  interfaceName: string,
  member: string,
  argument: string,
  type: string,
  value: unknown,
  direction: ValidationDirection,
): void {
  const bad = checkValue(type, value);
  if (bad !== undefined) {
    throw new ValidationError(
      interfaceName,
      member,
      argument,
      issuePath(argument, bad),
      bad.signature,
      bad.reason,
      direction,
    );
  }
}

const argChecks = new WeakMap<readonly ArgDescriptor[], readonly Check[]>();

function checksFor(args: readonly ArgDescriptor[]): readonly Check[] {
  let checks = argChecks.get(args);
  if (checks === undefined) {
    checks = args.map((a) => compileType(parseSignatureCached(a.type)[0]!));
    argChecks.set(args, checks);
  }
  return checks;
}

/**
 * Validates a list of values against argument descriptors; throws {@link ValidationError}
 * naming the interface, member, argument (its wire name, or tsName when unnamed) and path.
 */
export function validateArgs(
  interfaceName: string,
  member: string,
  args: readonly ArgDescriptor[],
  values: readonly unknown[],
  direction: ValidationDirection = 'argument',
): void {
  checkEach(
    interfaceName,
    member,
    () => args.map((a) => a.type).join(''),
    checksFor(args),
    values,
    (i) => {
      const a = args[i]!;
      return a.name !== '' ? a.name : a.tsName;
    },
    direction,
  );
  validatedBodies.add(values);
}
