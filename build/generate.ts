/**
 * The programmatic API: introspection XML files in, TypeScript modules out.
 *
 * @example
 * ```ts
 * import { generate, formatDiagnostic } from 'dbus-codegen-ts';
 * const result = await generate({ inputs: ['interfaces/org.qemu.VMState1.xml'], outDir: 'generated' });
 * for (const d of result.diagnostics) console.error(formatDiagnostic(d));
 * process.exitCode = result.exitCode;
 * ```
 */
import { resolve } from 'node:path';
import type { CheckedInterface } from '../generator/check.js';
import {
  type Diagnostic,
  hasErrors,
  sortDiagnostics,
  UsageError,
} from '../generator/diagnostics.js';
import type { ModuleApiChange } from '../generator/diff/summary.js';
import type { Interface } from '../spec/model.js';
import { INDEX_FILE, outputHash, type RunState } from './fingerprint.js';
import { currentOutput, moduleNames } from './fresh.js';
import type { GenerateOptions, ResolvedOptions } from './options.js';
import { outputNameProblem } from './output-path.js';
import { display, type InputFile, prepare } from './prepare.js';
import { type FileStatus, type OutputFile, pendingLine, stamp, writeOutputs } from './write.js';

/** One output file of a {@link generate} run, with what the run did to it. */
export interface GeneratedFile {
  /** Where the file lives, relative to `cwd` when inside it (forward slashes). */
  readonly path: string;
  readonly content: string;
  /**
   * `written`/`unchanged` when writing; `unchanged`/`stale`/`missing` with `check`. A file the
   * run no longer produces (its XML was removed) is `deleted`, or `stale` with `check`; its
   * content is then what was on disk.
   */
  readonly status: FileStatus;
}

/** What {@link generate} did: the diagnostics, every output file and its status. */
export interface GenerateResult {
  /** Every problem found in the inputs, sorted by file and position. */
  readonly diagnostics: readonly Diagnostic[];
  /** Every output file of the run; empty when the inputs have errors (nothing is written). */
  readonly files: readonly GeneratedFile[];
  /** 0 ok; 1 errors in the inputs, or (with `check`) stale or missing files. */
  readonly exitCode: 0 | 1;
  /** True when the output was already current and the templates were not loaded. */
  readonly fastPath: boolean;
  /** Per rewritten module, its API changes since the module it replaces (not with `check`). */
  readonly apiChanges?: readonly ModuleApiChange[];
}

/** Generates (or, with `check`, verifies) the modules for `options.inputs`. */
export async function generate(options: GenerateOptions): Promise<GenerateResult> {
  const { o, inputs, unreadable, outDir, cmd, state, fresh } = prepare(options);
  // Output of this exact run exists and its inputs were clean: nothing to re-check or print.
  if (fresh !== undefined && fresh.warnings === 0) return unchanged(o, fresh.files, []);

  // Lazy, like the templates: the fast path above needs neither the parser nor the checks.
  const { check } = await import('../generator/check.js');
  const sources = inputs.map((i) => ({ file: i.file, text: decodeUtf8(i, unreadable) }));
  const checked = check(sources, {
    defines: o.defines,
    relax: o.relax,
    annotations: o.annotations,
  });
  let diagnostics = sortDiagnostics([
    ...unreadable,
    ...checked.diagnostics,
    ...checked.interfaces.flatMap(({ iface }) => moduleNameProblems(iface)),
  ]);
  if (o.warningsAsErrors) {
    diagnostics = diagnostics.map((d) => ({ ...d, severity: 'error' as const }));
  }
  if (hasErrors(diagnostics)) return { diagnostics, files: [], exitCode: 1, fastPath: false };
  if (fresh !== undefined) return unchanged(o, fresh.files, diagnostics);

  const warnings = diagnostics.filter((d) => d.severity === 'warning');
  const files = await emit(checked.interfaces, cmd, state, warnings, outDir);
  const apiChanges = o.check
    ? undefined
    : (await import('../generator/diff/summary.js')).moduleApiChanges(
        outDir,
        files,
        checked.interfaces.map((i) => i.iface),
      );
  const results = writeOutputs(outDir, files, o.check).map((r) => shown(o, r.file, r.status));
  const bad = results.some(
    (f) => f.status === 'stale' || f.status === 'missing' || f.status === 'orphan',
  );
  return {
    diagnostics,
    files: results,
    exitCode: bad ? 1 : 0,
    fastPath: false,
    ...(apiChanges !== undefined ? { apiChanges } : {}),
  };
}

function unchanged(
  o: ResolvedOptions,
  files: readonly OutputFile[],
  diagnostics: readonly Diagnostic[],
): GenerateResult {
  const shownFiles = files.map((f) => shown(o, f, 'unchanged'));
  return { diagnostics, files: shownFiles, exitCode: 0, fastPath: true };
}

async function emit(
  interfaces: readonly CheckedInterface[],
  cmd: string,
  state: RunState,
  warnings: readonly Diagnostic[],
  outDir: string,
): Promise<OutputFile[]> {
  // Lazy: the fast path above never needs the emitters (which load ts-morph, ~1 s, only for
  // a structure their own printer does not cover).
  const { emitModules, printerFromEnv } = await import('../emitters/index.js');
  let printer: ReturnType<typeof printerFromEnv>;
  try {
    printer = printerFromEnv();
  } catch (e) {
    throw new UsageError((e as Error).message); // a bad DBUS_CODEGEN_TS_PRINTER value
  }
  const modules = emitModules({
    printer,
    interfaces: interfaces.map((i) => i.iface),
    sources: new Map(interfaces.map((i) => [i.iface.name, i.sources])),
    command: cmd,
    fingerprintLine: pendingLine(),
    // Files already current are reused (their hash covers everything that decides them).
    current: (path, sources, modules) => currentOutput(outDir, state, path, sources, modules),
  });
  const names = moduleNames(modules.map((m) => m.path));
  // Each warning is counted once: in the module of its file, else in index.ts.
  const inModule = new Set(modules.filter((m) => m.path !== INDEX_FILE).flatMap((m) => m.sources));
  return stamp(
    modules.map((m) => ({ path: m.path, content: m.text, sources: m.sources })),
    (m) => {
      const hash = outputHash(state, m.path, m.sources, names);
      if (hash === undefined)
        throw new Error(`internal error: ${m.path} has a source outside the inputs`);
      const counted =
        m.path === INDEX_FILE
          ? warnings.filter((w) => !inModule.has(w.location.file))
          : warnings.filter((w) => m.sources.includes(w.location.file));
      return { hash, warnings: counted.length };
    },
  );
}

const lenient = new TextDecoder('utf-8');
const strict = new TextDecoder('utf-8', { fatal: true });

/** Introspection XML is UTF-8; a byte sequence that is not is located, not silently replaced. */
function decodeUtf8(input: InputFile, diagnostics: Diagnostic[]): string {
  try {
    return strict.decode(input.bytes);
  } catch {
    const text = lenient.decode(input.bytes);
    const at = text.indexOf('\uFFFD');
    const before = text.slice(0, at);
    const line = before.split('\n').length;
    const column = at - before.lastIndexOf('\n');
    diagnostics.push({
      severity: 'error',
      code: 'DBUS001',
      message: 'XML is not well-formed: the file is not valid UTF-8 here',
      location: { file: input.file, line, column },
    });
    return text;
  }
}

function shown(o: ResolvedOptions, f: OutputFile, status: FileStatus): GeneratedFile {
  return { path: display(o.cwd, resolve(o.cwd, o.outDir, f.path)), content: f.content, status };
}

/** Most file systems cap a file name at 255 bytes; the module is `<interface name>.ts`. */
const MAX_FILE_NAME_BYTES = 255;

function moduleNameProblems(iface: Interface): Diagnostic[] {
  const escapes = outputNameProblem(iface.name, `${iface.name}.ts`, iface.location);
  if (escapes !== undefined) return [escapes];
  const bytes = Buffer.byteLength(`${iface.name}.ts`);
  if (bytes <= MAX_FILE_NAME_BYTES) return [];
  return [
    {
      severity: 'error',
      code: 'DBUS063',
      message: `interface name "${iface.name.slice(0, 40)}..." is ${bytes - 3} bytes: its module "<name>.ts" would exceed the ${MAX_FILE_NAME_BYTES}-byte file name limit`,
      location: iface.location,
    },
  ];
}
