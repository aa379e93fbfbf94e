/**
 * fast-check arbitraries for D-Bus types and values in our send-side forms. `dbusNextSafe`
 * restricts them to what dbus-next 0.10.2 itself can marshal (string-keyed dicts, no INT64
 * minimum, finite doubles other than -0, no `h`), so its marshaller can serve as the oracle.
 */
import fc from 'fast-check';
import { DoubleKeyMap } from '../../runtime/double-key-map.js';
import { Variant } from '../../runtime/variant.js';
import { parseSingleType, type TypeNode } from '../../spec/signature.js';

export interface ArbOptions {
  /** Only what dbus-next can marshal (for byte-identity tests). */
  readonly dbusNextSafe?: boolean;
  /** Longest array generated. */
  readonly maxArray?: number;
}

const BASIC = ['y', 'b', 'n', 'q', 'i', 'u', 'x', 't', 'd', 's', 'o', 'g'] as const;

/** Single complete types (as signatures), `ay` favoured, bounded nesting. */
export function typeArb(opts: ArbOptions = {}): fc.Arbitrary<string> {
  const keys = opts.dbusNextSafe ? ['s', 'o', 'g'] : [...BASIC];
  const { type } = fc.letrec<{ type: string; container: string }>((tie) => ({
    type: fc.oneof(
      { depthSize: 'small', maxDepth: 4 },
      fc.constantFrom(...BASIC),
      fc.constant('ay'),
      fc.constant('v'),
      tie('container'),
    ),
    container: fc.oneof(
      tie('type').map((t) => `a${t}`),
      fc.array(tie('type'), { minLength: 1, maxLength: 4 }).map((ts) => `(${ts.join('')})`),
      fc.tuple(fc.constantFrom(...keys), tie('type')).map(([k, v]) => `a{${k}${v}}`),
    ),
  }));
  return type.filter((s) => s.length <= 64);
}

const pathArb = fc
  .array(fc.stringMatching(/^[A-Za-z0-9_]{1,8}$/), { maxLength: 4 })
  .map((parts) => `/${parts.join('/')}`);

const stringArb = fc
  .string({ unit: 'binary', maxLength: 12 })
  .filter((s) => !s.includes('\0') && (s as string & { isWellFormed(): boolean }).isWellFormed());

function basicArb(code: string, opts: ArbOptions): fc.Arbitrary<unknown> {
  switch (code) {
    case 'y':
      return fc.integer({ min: 0, max: 255 });
    case 'b':
      return fc.boolean();
    case 'n':
      return fc.integer({ min: -0x8000, max: 0x7fff });
    case 'q':
      return fc.integer({ min: 0, max: 0xffff });
    case 'i':
      return fc.integer({ min: -0x80000000, max: 0x7fffffff });
    case 'u':
      return fc.integer({ min: 0, max: 0xffffffff });
    case 'x':
      return fc.bigInt({ min: -(2n ** 63n) + (opts.dbusNextSafe ? 1n : 0n), max: 2n ** 63n - 1n });
    case 't':
      return fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
    case 'd':
      return opts.dbusNextSafe
        ? fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => (Object.is(d, -0) ? 0 : d))
        : fc.double();
    case 's':
      return stringArb;
    case 'o':
      return pathArb;
    case 'g':
      return fc
        .array(typeArb(opts), { maxLength: 3 })
        .map((ts) => ts.join(''))
        .filter((s) => s.length <= 255);
    default:
      throw new Error(`no arbitrary for ${code}`);
  }
}

/** A value of the given type, in our send-side forms. */
export function valueArb(type: string | TypeNode, opts: ArbOptions = {}): fc.Arbitrary<unknown> {
  const node = typeof type === 'string' ? parseSingleType(type) : type;
  const max = opts.maxArray ?? 4;
  switch (node.kind) {
    case 'basic':
      return basicArb(node.code, opts);
    case 'variant':
      return typeArb(opts).chain((sig) => valueArb(sig, opts).map((v) => new Variant(sig, v)));
    case 'array':
      if (node.element.signature === 'y') {
        return fc
          .uint8Array({ maxLength: 40 })
          .chain((u) => fc.constantFrom<unknown>(u, Buffer.from(u)));
      }
      return fc.array(valueArb(node.element, opts), { maxLength: max });
    case 'struct':
      return fc.tuple(...node.fields.map((f) => valueArb(f, opts)));
    case 'dict': {
      const code = node.key.code;
      // DOUBLE keys compare with SameValue: -0 and 0 are two keys (a DoubleKeyMap keeps both).
      const entries = fc.uniqueArray(fc.tuple(basicArb(code, opts), valueArb(node.value, opts)), {
        maxLength: max,
        selector: (e) => e[0],
        comparator: code === 'd' ? 'SameValue' : 'SameValueZero',
      });
      if (code === 's' || code === 'o' || code === 'g') {
        // "__proto__" is an ordinary key (received dicts have no prototype); dbus-next's own
        // reader would turn it into a prototype, so the dbus-next oracle tests leave it out.
        return entries.map((es) =>
          Object.fromEntries(
            (es as [string, unknown][]).filter(([k]) => !opts.dbusNextSafe || k !== '__proto__'),
          ),
        );
      }
      return entries.map((es) =>
        code === 'd' ? new DoubleKeyMap(es as [number, unknown][]) : new Map(es),
      );
    }
    default:
      throw new Error('unreachable');
  }
}

/** A body: signature plus one value per complete type. */
export function bodyArb(
  opts: ArbOptions = {},
): fc.Arbitrary<{ signature: string; body: unknown[] }> {
  return fc
    .array(typeArb(opts), { minLength: 1, maxLength: 4 })
    .filter((ts) => ts.join('').length <= 255)
    .chain((ts) =>
      fc
        .tuple(...ts.map((t) => valueArb(t, opts)))
        .map((body) => ({ signature: ts.join(''), body })),
    );
}
