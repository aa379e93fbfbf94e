/**
 * What `lint`, `docs` and `policy` share: XML inputs, defines, overlays, annotations, and the
 * project config file filling in what the caller leaves out. Reads everything and runs the
 * checking front end once.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type CheckResult, check, type SourceInput } from '../generator/check.js';
import { type Diagnostic, sortDiagnostics, unreadableInput } from '../generator/diagnostics.js';
import type { AnnotationOverride } from '../generator/overlay.js';
import type { ProjectConfig } from './config.js';
import { parseDefines } from './options.js';
import { projectGenerateOptions } from './project.js';

/** Inputs and front-end settings, as the command line gives them; the config file adds to them. */
export interface InputOptions {
  /** `NAME=VALUE` values for `$(env.NAME)` in `<?if?>` blocks. */
  readonly define?: readonly string[];
  /** Annotation overlay files (JSON). */
  readonly overlay?: readonly string[];
  /** Annotation overrides, e.g. the CLI's `--annotate WHAT KEY VALUE` triples. */
  readonly annotations?: readonly AnnotationOverride[];
  /** Error codes to report as warnings (DBUS030, DBUS041). */
  readonly relax?: readonly string[];
}

/** The checked inputs, with the config they were read under. */
export interface LoadedInputs {
  readonly config: ProjectConfig;
  readonly result: CheckResult;
  /** Config, overlay and input-reading problems plus the checks' diagnostics, sorted. */
  readonly diagnostics: readonly Diagnostic[];
  /** The XML files read: `files`, or the config's `inputs` when `files` is empty. */
  readonly files: readonly string[];
}

/**
 * Command-line inputs win; without any, the config's `inputs` are used. Overlays and
 * annotations from the config and from `options` are all applied (config first).
 */
export function loadInputs(
  files: readonly string[],
  options: InputOptions,
  cwd = process.cwd(),
): LoadedInputs {
  const project = projectGenerateOptions(
    {
      inputs: files,
      defines: parseDefines(options.define ?? []),
      relax: options.relax ?? [],
      overlays: options.overlay ?? [],
      annotations: options.annotations ?? [],
    },
    cwd,
  );
  const o = project.options;
  if (o === undefined) {
    const result = { documents: [], interfaces: [], diagnostics: [] };
    return { config: project.config, result, diagnostics: project.diagnostics, files: [] };
  }
  const unreadable: Diagnostic[] = [];
  const sources: SourceInput[] = [];
  for (const file of o.inputs) {
    try {
      sources.push({ file, text: readFileSync(resolve(cwd, file), 'utf8') });
    } catch (e) {
      unreadable.push(unreadableInput(file, e));
    }
  }
  const result = check(sources, {
    defines: o.defines ?? {},
    relax: o.relax ?? [],
    annotations: o.annotations ?? [],
  });
  return {
    config: project.config,
    result,
    diagnostics: sortDiagnostics([...project.diagnostics, ...unreadable, ...result.diagnostics]),
    files: o.inputs,
  };
}

/** The error for a run with no XML on the command line and no `inputs` in the config file. */
export function noInput(): Diagnostic {
  return {
    severity: 'error',
    code: 'DBUS090',
    message: 'no input: give XML files or list "inputs" in dbus-codegen.config.json',
    location: { file: '<command line>', line: 1, column: 1 },
  };
}
