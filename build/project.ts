/**
 * Command line + `dbus-codegen.config.json` -> {@link GenerateOptions}. The command line wins
 * for single values (inputs, output directory); lists add up (defines, relax, overlays,
 * annotations: config first). This is what lets a project run `npx dbus-codegen-ts` with no
 * arguments: everything comes from its config file.
 */
import { resolve } from 'node:path';
import { type Code, type Diagnostic, Diagnostics } from '../generator/diagnostics.js';
import type { AnnotationOverride } from '../generator/overlay.js';
import { CONFIG_FILE, expandInputs, loadConfig, type ProjectConfig } from './config.js';
import type { GenerateOptions } from './options.js';
import { loadOverlayFile } from './overlay-file.js';

/** What a command line gives {@link projectGenerateOptions}; what it leaves out comes from the config. */
export interface ProjectFlags {
  /** XML files from the command line (empty: the config's `inputs`). */
  readonly inputs?: readonly string[];
  /** `-o` (absent: the config's `outDir`). */
  readonly outDir?: string;
  /** `-D NAME=VALUE` values, added to the config's `defines` (these win per name). */
  readonly defines?: Readonly<Record<string, string>>;
  /** Error codes to report as warnings, added to the config's `relax`. */
  readonly relax?: readonly string[];
  /** Overlay files, read after the config's `overlays`. */
  readonly overlays?: readonly string[];
  /** Annotation overrides (`--annotate`), applied after the config's and the overlays'. */
  readonly annotations?: readonly AnnotationOverride[];
}

/** The merged result of {@link projectGenerateOptions}. */
export interface ProjectOptions {
  /** Complete options for `generate()`, or undefined when `diagnostics` hold errors. */
  readonly options: GenerateOptions | undefined;
  /** The config file as read (defaults when there is none). */
  readonly config: ProjectConfig;
  /** Config and overlay problems (located), and "no inputs". */
  readonly diagnostics: readonly Diagnostic[];
  /** Files whose change should re-run generate (`--watch`): overlays and the config. */
  readonly watchFiles: readonly string[];
}

/**
 * Merges `flags` with `dbus-codegen.config.json` found in `cwd`, reading its overlay files, into
 * complete {@link GenerateOptions}; problems come back as located diagnostics, never thrown.
 *
 * @example
 * ```ts
 * import { generate, projectGenerateOptions } from 'dbus-codegen-ts';
 * const p = projectGenerateOptions({ outDir: 'out' });
 * if (p.options !== undefined) await generate(p.options);
 * ```
 */
export function projectGenerateOptions(flags: ProjectFlags, cwd = process.cwd()): ProjectOptions {
  const diags = new Diagnostics();
  const config = loadConfig(cwd, diags);
  const where = { file: config.file ?? '<command line>', line: 1, column: 1 };
  const inputs = flags.inputs?.length
    ? [...flags.inputs]
    : expandInputs(config.inputs, cwd, diags, where);
  const overlays = [...config.overlays, ...(flags.overlays ?? [])];
  const annotations = [
    ...config.annotations,
    ...overlays.flatMap((f) => loadOverlayFile(f, diags, cwd)),
    ...(flags.annotations ?? []),
  ];
  if (inputs.length === 0 && !diags.hasErrors) {
    diags.error(
      'DBUS090',
      `no input: give XML files, or create ${CONFIG_FILE} with "inputs" (e.g. { "inputs": ["interfaces/*.xml"], "outDir": "generated" })`,
      where,
    );
  }
  const watchFiles = [...overlays, ...(config.file ? [config.file] : [])].map((f) =>
    resolve(cwd, f),
  );
  if (diags.hasErrors) return { options: undefined, config, diagnostics: diags.items, watchFiles };
  const options: GenerateOptions = {
    inputs,
    outDir: flags.outDir ?? config.outDir,
    defines: { ...config.defines, ...flags.defines },
    relax: [...config.relax, ...(flags.relax ?? [])] as Code[],
    annotations,
    cwd,
    // Config-driven runs regenerate with the same bare command.
    ...(flags.inputs?.length ? {} : { command: 'dbus-codegen-ts generate' }),
  };
  return { options, config, diagnostics: diags.items, watchFiles };
}
