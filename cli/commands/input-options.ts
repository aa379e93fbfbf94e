/**
 * What `lint`, `docs` (and `generate`) share: XML inputs, `--define`, `--overlay`,
 * `--annotate WHAT KEY VALUE`, and the project config file filling in what the command line
 * leaves out. Reads everything and runs the checking front end once.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { type CheckResult, check, type SourceInput } from '../check.js';
import type { ProjectConfig } from '../config.js';
import { type Diagnostic, sortDiagnostics, unreadableInput } from '../diagnostics.js';
import { parseDefines } from '../options.js';
import type { AnnotationOverride } from '../overlay.js';
import { getCommandLineAnnotations } from '../overlay-file.js';
import { projectGenerateOptions } from '../project.js';

export { getCommandLineAnnotations, setCommandLineAnnotations } from '../overlay-file.js';

export interface InputOptions {
  readonly define?: readonly string[];
  readonly overlay?: readonly string[];
  /** `--annotate` triples, lifted out of argv by the CLI (see extractAnnotateArgs). */
  readonly annotations?: readonly AnnotationOverride[];
  readonly relax?: readonly string[];
}

export function addInputOptions(cmd: Command): Command {
  const collect = (v: string, prev: string[] = []) => [...prev, v];
  return cmd
    .option(
      '-D, --define <name=value>',
      'value for $(env.NAME) in <?if?> blocks (repeatable)',
      collect,
    )
    .option('--overlay <file>', 'annotation overlay file (JSON, repeatable)', collect)
    .option(
      '--relax <code>',
      'report this error code as a warning: DBUS030 or DBUS041 (repeatable)',
      collect,
    )
    .option(
      '--annotate <what>',
      'WHAT KEY VALUE: add or change an annotation, gdbus-codegen syntax (repeatable)',
    );
}

export interface LoadedInputs {
  readonly config: ProjectConfig;
  readonly result: CheckResult;
  /** Config, overlay and input-reading problems plus the checks' diagnostics, sorted. */
  readonly diagnostics: readonly Diagnostic[];
  readonly files: readonly string[];
}

/**
 * Command-line inputs win; without any, the config's `inputs` are used. Overlays and
 * annotations from the config and the command line are all applied (config first).
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
      annotations: options.annotations ?? getCommandLineAnnotations(),
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
