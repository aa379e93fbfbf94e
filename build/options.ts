/**
 * The one options type of `generate()` and its one defaults object. Unknown options are
 * refused (a typo must not silently do nothing), every default is documented here.
 */
import { type Code, RELAXABLE, UsageError } from '../generator/diagnostics.js';
import type { AnnotationOverride } from '../generator/overlay.js';

/**
 * Options of `generate()` and `watchGenerate()`. Unknown keys are refused with a
 * {@link UsageError}.
 *
 * @example
 * ```ts
 * const options: GenerateOptions = { inputs: ['interfaces/org.example.Thing1.xml'], outDir: 'generated', check: true };
 * ```
 */
export interface GenerateOptions {
  /** Introspection XML files to read. Required, at least one. */
  readonly inputs: readonly string[];
  /** Directory the TypeScript modules are written to (created when missing). Required. */
  readonly outDir: string;
  /** `NAME -> VALUE` for `$(env.NAME)` in QEMU-style `<?if?>` blocks. Default: `{}`. */
  readonly defines?: Readonly<Record<string, string>>;
  /** Write nothing; report every stale or missing file (CI mode). Default: `false`. */
  readonly check?: boolean;
  /** Error codes to report as warnings (only `DBUS030`, `DBUS041`). Default: `[]`. */
  readonly relax?: readonly Code[];
  /** Fail on warnings too. Default: `false`. */
  readonly warningsAsErrors?: boolean;
  /**
   * Annotations to add or change before any check, gdbus-codegen `--annotate` semantics
   * (`{ target: 'org.Iface.Method()', name, value }`, see generator/overlay.ts). A target that
   * matches nothing is an error. Default: `[]`.
   */
  readonly annotations?: readonly AnnotationOverride[];
  /**
   * Directory that paths in headers, diagnostics and the regenerate command are relative to.
   * Default: `process.cwd()`.
   */
  readonly cwd?: string;
  /**
   * The regenerate command written into each header. Default: built from the options,
   * `dbus-codegen-ts generate <inputs, sorted> -o <outDir> [--define N=V]...`.
   */
  readonly command?: string;
}

export type ResolvedOptions = Required<Omit<GenerateOptions, 'command'>> & {
  readonly command: string | undefined;
};

/** Every default in one place. */
export const DEFAULTS = {
  defines: {},
  check: false,
  relax: [],
  warningsAsErrors: false,
  annotations: [],
} as const satisfies Partial<GenerateOptions>;

const KNOWN = new Set([
  'inputs',
  'outDir',
  'defines',
  'check',
  'relax',
  'warningsAsErrors',
  'annotations',
  'cwd',
  'command',
]);
const DEFINE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Validates options and fills in defaults; throws {@link UsageError} on anything wrong. */
export function resolveOptions(raw: GenerateOptions): ResolvedOptions {
  if (typeof raw !== 'object' || raw === null) throw new UsageError('options must be an object');
  const unknown = Object.keys(raw).filter((k) => !KNOWN.has(k));
  if (unknown.length > 0) {
    throw new UsageError(
      `unknown option${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `"${u}"`).join(', ')}; known: ${[...KNOWN].join(', ')}`,
    );
  }
  if (!Array.isArray(raw.inputs) || raw.inputs.length === 0) {
    throw new UsageError('"inputs" must list at least one XML file');
  }
  for (const i of raw.inputs) {
    if (typeof i !== 'string' || i === '') throw new UsageError('"inputs" must be file paths');
  }
  if (typeof raw.outDir !== 'string' || raw.outDir === '') {
    throw new UsageError('"outDir" must be a directory path');
  }
  const defines = raw.defines ?? DEFAULTS.defines;
  for (const [k, v] of Object.entries(defines)) {
    if (!DEFINE_NAME.test(k)) throw new UsageError(`define name "${k}" is not a valid name`);
    if (typeof v !== 'string') throw new UsageError(`define "${k}" must have a string value`);
  }
  const relax = raw.relax ?? DEFAULTS.relax;
  for (const code of relax) {
    if (!RELAXABLE.includes(code)) {
      throw new UsageError(`--relax ${code}: only ${RELAXABLE.join(', ')} can be relaxed`);
    }
  }
  return {
    inputs: raw.inputs,
    outDir: raw.outDir,
    defines,
    check: bool(raw.check, 'check') ?? DEFAULTS.check,
    relax,
    warningsAsErrors: bool(raw.warningsAsErrors, 'warningsAsErrors') ?? DEFAULTS.warningsAsErrors,
    annotations: annotationsOf(raw.annotations),
    cwd: raw.cwd ?? process.cwd(),
    command: raw.command,
  };
}

function annotationsOf(v: unknown): readonly AnnotationOverride[] {
  if (v === undefined) return DEFAULTS.annotations;
  const ok =
    Array.isArray(v) &&
    v.every(
      (a) =>
        typeof a === 'object' &&
        a !== null &&
        ['target', 'name', 'value'].every(
          (k) => typeof (a as Record<string, unknown>)[k] === 'string',
        ),
    );
  if (!ok)
    throw new UsageError('"annotations" must be an array of { target, name, value } strings');
  return v as readonly AnnotationOverride[];
}

function bool(v: unknown, name: string): boolean | undefined {
  if (v === undefined || typeof v === 'boolean') return v;
  throw new UsageError(`"${name}" must be true or false`);
}

/** Parses `NAME=VALUE` flags (CLI `--define`). */
export function parseDefines(pairs: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of pairs) {
    const eq = p.indexOf('=');
    const name = eq === -1 ? p : p.slice(0, eq);
    if (!DEFINE_NAME.test(name)) throw new UsageError(`--define ${p}: expected NAME=VALUE`);
    if (eq === -1) throw new UsageError(`--define ${p}: expected NAME=VALUE`);
    out[name] = p.slice(eq + 1);
  }
  return out;
}
