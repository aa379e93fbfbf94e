/**
 * `dbus-codegen.config.json`: what a project would otherwise type on every command line, so
 * `npx dbus-codegen-ts` with no arguments regenerates its code. The file is looked up in the
 * working directory only (no walking up: a config found by accident is worse than none).
 * Unknown keys are refused with a located error; every default is listed in
 * {@link CONFIG_DEFAULTS} and documented on {@link ProjectConfig}.
 *
 * @example
 * ```json
 * {
 *   "inputs": ["interfaces/*.xml"],
 *   "outDir": "src/generated",
 *   "overlays": ["dbus-overlay.json"],
 *   "lint": { "busNames": ["com.example.Helper1"] },
 *   "docs": { "outDir": "docs/dbus" }
 * }
 * ```
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Diagnostics } from '../generator/diagnostics.js';
import type { AnnotationOverride } from '../generator/overlay.js';
import type { Location } from '../spec/model.js';
import { CONFIG_FILE } from './config-file.js';
import {
  type JsonEntry,
  JsonSyntaxError,
  type JsonValue,
  parseJsonLocated,
} from './json-located.js';

export { CONFIG_FILE };

/** The config file's settings, each with the default {@link CONFIG_DEFAULTS} gives it. */
export interface ProjectConfig {
  /** XML files, directories (every `*.xml` inside) or globs (`*`, `?`, `**`). Default: `[]`. */
  readonly inputs: readonly string[];
  /** Where `generate` writes. Default: `"generated"`. */
  readonly outDir: string;
  /** `$(env.NAME)` values for `<?if?>` blocks. Default: `{}`. */
  readonly defines: Readonly<Record<string, string>>;
  /** Overlay files (build/overlay-file.ts format). Default: `[]`. */
  readonly overlays: readonly string[];
  /** Inline annotation overrides `{ target, name, value }`. Default: `[]`. */
  readonly annotations: readonly AnnotationOverride[];
  /** Error codes reported as warnings (see RELAXABLE). Default: `[]`. */
  readonly relax: readonly string[];
  readonly lint: {
    /** Findings are errors. Default: `false`. */
    readonly strict: boolean;
    /** Name prefixes the project owns (`org.qemu` only for QEMU). Default: `[]`. */
    readonly owners: readonly string[];
    /** Well-known bus names checked for a version. Default: `[]`. */
    readonly busNames: readonly string[];
    /** Lint codes to skip. Default: `[]`. */
    readonly disable: readonly string[];
  };
  readonly docs: {
    /** Where `docs` writes Markdown. Default: `"docs"`. */
    readonly outDir: string;
    /** Title of index.md. Default: `"D-Bus interfaces"`. */
    readonly title: string;
  };
  /** The config file (absolute), or undefined when defaults only. */
  readonly file: string | undefined;
  /** Where the `lint.busNames` key is, for lint diagnostics. */
  readonly busNamesLocation: Location | undefined;
}

/** The value of every setting the config file leaves out. */
export const CONFIG_DEFAULTS: ProjectConfig = {
  inputs: [],
  outDir: 'generated',
  defines: {},
  overlays: [],
  annotations: [],
  relax: [],
  lint: { strict: false, owners: [], busNames: [], disable: [] },
  docs: { outDir: 'docs', title: 'D-Bus interfaces' },
  file: undefined,
  busNamesLocation: undefined,
};

type Kind = 'string' | 'strings' | 'boolean' | 'record' | 'annotations' | 'object';
const TOP: Record<string, Kind> = {
  $schema: 'string',
  inputs: 'strings',
  outDir: 'string',
  defines: 'record',
  overlays: 'strings',
  annotations: 'annotations',
  relax: 'strings',
  lint: 'object',
  docs: 'object',
};
const LINT: Record<string, Kind> = {
  strict: 'boolean',
  owners: 'strings',
  busNames: 'strings',
  disable: 'strings',
};
const DOCS: Record<string, Kind> = { outDir: 'string', title: 'string' };

/**
 * Reads `dir/dbus-codegen.config.json` when present (else the defaults). Relative paths in the
 * file stay relative to `dir`, which is where the commands run. Problems are DBUS08x errors.
 */
export function loadConfig(
  dir: string,
  diags: Diagnostics,
  file = join(dir, CONFIG_FILE),
): ProjectConfig {
  if (!existsSync(file)) return CONFIG_DEFAULTS;
  const shown = relative(process.cwd(), file) || file;
  let root: JsonValue;
  try {
    root = parseJsonLocated(shown, readFileSync(file, 'utf8'));
  } catch (e) {
    if (!(e instanceof JsonSyntaxError)) throw e;
    diags.error('DBUS080', e.message, e.location);
    return CONFIG_DEFAULTS;
  }
  if (root.kind !== 'object') {
    diags.error('DBUS080', 'the config file must hold one JSON object', root.location);
    return CONFIG_DEFAULTS;
  }
  const top = readObject(root.entries, TOP, '', diags);
  const lintObj = objectEntries(root.entries, 'lint');
  const docsObj = objectEntries(root.entries, 'docs');
  const lint = lintObj ? readObject(lintObj, LINT, 'lint.', diags) : {};
  const docs = docsObj ? readObject(docsObj, DOCS, 'docs.', diags) : {};
  const d = CONFIG_DEFAULTS;
  return {
    inputs: (top['inputs'] as string[] | undefined) ?? d.inputs,
    outDir: (top['outDir'] as string | undefined) ?? d.outDir,
    defines: (top['defines'] as Record<string, string> | undefined) ?? d.defines,
    overlays: (top['overlays'] as string[] | undefined) ?? d.overlays,
    annotations: (top['annotations'] as AnnotationOverride[] | undefined) ?? d.annotations,
    relax: (top['relax'] as string[] | undefined) ?? d.relax,
    lint: {
      strict: (lint['strict'] as boolean | undefined) ?? d.lint.strict,
      owners: (lint['owners'] as string[] | undefined) ?? d.lint.owners,
      busNames: (lint['busNames'] as string[] | undefined) ?? d.lint.busNames,
      disable: (lint['disable'] as string[] | undefined) ?? d.lint.disable,
    },
    docs: {
      outDir: (docs['outDir'] as string | undefined) ?? d.docs.outDir,
      title: (docs['title'] as string | undefined) ?? d.docs.title,
    },
    file,
    busNamesLocation: lintObj?.find((e) => e.key === 'busNames')?.keyLocation,
  };
}

function objectEntries(
  entries: readonly JsonEntry[],
  key: string,
): readonly JsonEntry[] | undefined {
  const v = entries.find((e) => e.key === key)?.value;
  return v?.kind === 'object' ? v.entries : undefined;
}

function readObject(
  entries: readonly JsonEntry[],
  schema: Record<string, Kind>,
  prefix: string,
  diags: Diagnostics,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const e of entries) {
    const kind = schema[e.key];
    if (kind === undefined) {
      const known = Object.keys(schema).filter((k) => k !== '$schema');
      const near = known.find((k) => k.toLowerCase() === e.key.toLowerCase());
      diags.error(
        'DBUS081',
        `unknown config key "${prefix}${e.key}"${near ? ` (did you mean "${prefix}${near}"?)` : ''}; known keys: ${known.map((k) => prefix + k).join(', ')}`,
        e.keyLocation,
      );
      continue;
    }
    const value = readValue(e.value, kind, `${prefix}${e.key}`, diags);
    if (value !== undefined) out[e.key] = value;
  }
  return out;
}

function readValue(v: JsonValue, kind: Kind, key: string, diags: Diagnostics): unknown {
  const wrong = (what: string): undefined => {
    diags.error('DBUS082', `config key "${key}" must be ${what}`, v.location);
    return undefined;
  };
  switch (kind) {
    case 'string':
      return v.kind === 'string' ? v.value : wrong('a string');
    case 'boolean':
      return v.kind === 'boolean' ? v.value : wrong('true or false');
    case 'object':
      return v.kind === 'object' ? {} : wrong('an object');
    case 'strings':
      return v.kind === 'array' && v.items.every((i) => i.kind === 'string')
        ? v.items.map((i) => (i.kind === 'string' ? i.value : ''))
        : wrong('an array of strings');
    case 'record':
      return v.kind === 'object' && v.entries.every((e) => e.value.kind === 'string')
        ? Object.fromEntries(
            v.entries.map((e) => [e.key, e.value.kind === 'string' ? e.value.value : '']),
          )
        : wrong('an object of strings');
    case 'annotations':
      return readAnnotations(v, key, diags, wrong);
    default: {
      const never: never = kind;
      return never;
    }
  }
}

function readAnnotations(
  v: JsonValue,
  key: string,
  diags: Diagnostics,
  wrong: (what: string) => undefined,
): AnnotationOverride[] | undefined {
  if (v.kind !== 'array') return wrong('an array of { target, name, value }');
  const out: AnnotationOverride[] = [];
  for (const item of v.items) {
    const fields = item.kind === 'object' ? item.entries : [];
    const get = (k: string) => {
      const f = fields.find((e) => e.key === k)?.value;
      return f?.kind === 'string' ? f.value : undefined;
    };
    const extra = fields.find((e) => !['target', 'name', 'value'].includes(e.key));
    const [target, name, value] = [get('target'), get('name'), get('value')];
    if (
      item.kind !== 'object' ||
      extra ||
      target === undefined ||
      name === undefined ||
      value === undefined
    ) {
      diags.error(
        'DBUS082',
        `each "${key}" entry must be { "target", "name", "value" } (strings only)`,
        extra?.keyLocation ?? item.location,
      );
      continue;
    }
    out.push({ target, name, value, location: item.location });
  }
  return out;
}

export { expandInputs } from './config-inputs.js';
