/**
 * What every `generate` run does first, and all the CLI's quick start (cli/quick.ts) does: read
 * the inputs, build the regenerate command and the run's settings, and decide from the output
 * headers alone whether the output is already current (fresh.ts). Nothing here loads the parser,
 * the checks or the emitters.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { type Diagnostic, unreadableInput } from '../generator/diagnostics.js';
import type { RunState } from './fingerprint.js';
import { freshOutputs } from './fresh.js';
import { type GenerateOptions, type ResolvedOptions, resolveOptions } from './options.js';
import { shellQuote } from './shell.js';
import type { OutputFile } from './write.js';

export interface Prepared {
  readonly o: ResolvedOptions;
  readonly inputs: InputFile[];
  readonly unreadable: Diagnostic[];
  readonly outDir: string;
  readonly cmd: string;
  readonly state: RunState;
  /** The output directory's files when all are current for this run (see fresh.ts). */
  readonly fresh: { files: OutputFile[]; warnings: number } | undefined;
}

/** Reads the inputs and decides from the output headers alone whether the output is current. */
export function prepare(options: GenerateOptions): Prepared {
  const o = resolveOptions(options);
  const { files: inputs, unreadable } = readInputs(o);
  const outDir = resolve(o.cwd, o.outDir);
  const cmd = command(o, inputs);
  const state: RunState = {
    settings: JSON.stringify({
      defines: sortedEntries(o.defines),
      relax: [...o.relax].sort(),
      // Triples only: where an override was written does not change the output.
      ...(o.annotations.length > 0
        ? { annotations: o.annotations.map((a) => [a.target, a.name, a.value]) }
        : {}),
      command: cmd,
    }),
    inputs: new Map(inputs.map((i) => [i.file, i.bytes])),
  };
  const fresh = unreadable.length === 0 ? freshOutputs(outDir, state) : undefined;
  return { o, inputs, unreadable, outDir, cmd, state, fresh };
}

/**
 * How many files the output has when it is exactly what {@link prepare}'s run would write and
 * its inputs had no warnings (nothing to parse, check or print); otherwise undefined. The CLI's
 * quick start runs this before loading anything else.
 */
export function currentFileCount(options: GenerateOptions): number | undefined {
  const { fresh } = prepare(options);
  return fresh !== undefined && fresh.warnings === 0 ? fresh.files.length : undefined;
}

export interface InputFile {
  /** As shown in headers and diagnostics. */
  readonly file: string;
  /** Resolved against `cwd` once (path.resolve is slow in a process that just started). */
  readonly abs: string;
  readonly bytes: Uint8Array;
}

/** Reads every input once; sorted and de-duplicated so input order never matters. */
function readInputs(o: ResolvedOptions): { files: InputFile[]; unreadable: Diagnostic[] } {
  const read = new Map<string, InputFile>();
  const unreadable: Diagnostic[] = [];
  for (const input of o.inputs) {
    const abs = resolve(o.cwd, input);
    const file = display(o.cwd, abs);
    if (read.has(file)) continue;
    try {
      read.set(file, { file, abs, bytes: readFileSync(abs) });
    } catch (e) {
      unreadable.push(unreadableInput(file, e));
    }
  }
  const files = [...read.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { files, unreadable };
}

/** A path relative to `cwd` when inside it, with forward slashes, for headers and messages. */
export function display(cwd: string, abs: string): string {
  const rel = relative(cwd, abs);
  const p = rel === '' || rel.startsWith('..') || isAbsolute(rel) ? abs : rel;
  return p.split(sep).join('/');
}

function sortedEntries(r: Readonly<Record<string, string>>): [string, string][] {
  return Object.entries(r).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The regenerate command for headers: deterministic (sorted inputs and defines). */
function command(o: ResolvedOptions, sources: readonly InputFile[]): string {
  if (o.command !== undefined) return o.command;
  const parts = ['dbus-codegen-ts generate', ...inputArgs(o, sources)];
  parts.push('-o', shellQuote(display(o.cwd, resolve(o.cwd, o.outDir))));
  for (const [k, v] of sortedEntries(o.defines)) parts.push('--define', shellQuote(`${k}=${v}`));
  for (const code of [...o.relax].sort()) parts.push('--relax', code);
  // Overlay files and --annotate, expanded, so the command alone reproduces the output.
  for (const a of o.annotations)
    parts.push('--annotate', shellQuote(a.target), shellQuote(a.name), shellQuote(a.value));
  return parts.join(' ');
}

/**
 * The inputs as the command names them: `dir/*.xml` when they are exactly the files a shell
 * expands that to (every `*.xml` of one directory, dotfiles excluded), else each file.
 */
function inputArgs(o: ResolvedOptions, sources: readonly InputFile[]): string[] {
  const files = sources.map((s) => shellQuote(s.file));
  const dirs = new Set(sources.map((s) => dirname(s.abs)));
  const [dir] = dirs;
  if (dirs.size !== 1 || dir === undefined) return files;
  let xml: string[];
  try {
    xml = readdirSync(dir, { withFileTypes: true })
      .filter((e) => (e.isFile() || e.isSymbolicLink()) && /^[^.].*\.xml$/.test(e.name))
      .map((e) => join(dir, e.name));
  } catch {
    return files;
  }
  const inputs = new Set(sources.map((s) => s.abs));
  if (xml.length !== inputs.size || !xml.every((f) => inputs.has(f))) return files;
  return [dir === resolve(o.cwd) ? '*.xml' : `${shellQuote(display(o.cwd, dir))}/*.xml`];
}
