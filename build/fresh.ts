/**
 * The no-change fast path: decides from the output directory alone (no XML parsing, no
 * templates) whether the files there are exactly what this run would write.
 *
 * The run's module names are taken from the generated files present; that guess is right when
 * every check below passes. Each module's hash covers the bytes of its own XML and the module
 * names of the run that wrote it, and index.ts's hash covers the inputs that produced no module;
 * so when all hashes match and the modules' Source lines cover every input, each input is
 * byte-identical to when its output was written, within a run with these very names, and no
 * input can define an interface outside them.
 */
import { join } from 'node:path';
import { readSources } from '../emitters/header.js';
import { INDEX_FILE, outputHash, type RunState } from './fingerprint.js';
import {
  isGenerated,
  listModules,
  type OutputFile,
  readFingerprint,
  readOrUndefined,
} from './write.js';

/** The module name of a generated path (`org.qemu.VMState1.ts` -> `org.qemu.VMState1`). */
export function moduleName(path: string): string {
  return path.slice(0, -'.ts'.length);
}

/** The sorted module names of a run's output paths (index.ts is not a module). */
export function moduleNames(paths: readonly string[]): string[] {
  return paths
    .filter((p) => p !== INDEX_FILE)
    .map(moduleName)
    .sort();
}

/**
 * The files of `outDir` when they are all current for `state` (intact, matching hashes, no
 * orphans, every input accounted for), with the warnings their inputs had; otherwise
 * undefined (generate normally).
 */
export function freshOutputs(
  outDir: string,
  state: RunState,
): { files: OutputFile[]; warnings: number } | undefined {
  const files: { file: OutputFile; sources: string[] }[] = [];
  for (const name of listModules(outDir)) {
    const content = readOrUndefined(join(outDir, name));
    if (content === undefined || !isGenerated(content)) continue;
    const sources = readSources(content);
    if (sources === undefined) return undefined;
    files.push({ file: { path: name, content }, sources });
  }
  const index = files.find((f) => f.file.path === INDEX_FILE);
  if (index === undefined) return undefined;
  const modules = moduleNames(files.map((f) => f.file.path));
  const covered = new Set<string>();
  let warnings = 0;
  for (const { file, sources } of files) {
    const fp = readFingerprint(file.content);
    if (fp === undefined || !fp.intact) return undefined;
    if (fp.hash !== outputHash(state, file.path, sources, modules)) return undefined;
    warnings += fp.warnings;
    if (file !== index.file) for (const s of sources) covered.add(s);
  }
  // index.ts lists exactly the modules' sources; the inputs no module came from are in its hash.
  const listed = [...covered].sort();
  const indexed = [...index.sources].sort();
  if (listed.length !== indexed.length || listed.some((s, i) => s !== indexed[i])) {
    return undefined;
  }
  return { files: files.map((f) => f.file), warnings };
}

/**
 * The content of `outDir/path` when it is exactly what this run would write there (intact,
 * and its hash is this run's hash for it); otherwise undefined. The per-file form of
 * {@link freshOutputs}: when one XML changed, every other module is taken from disk and only
 * the changed one is printed.
 */
export function currentOutput(
  outDir: string,
  state: RunState,
  path: string,
  sources: readonly string[],
  modules: readonly string[],
): string | undefined {
  const content = readOrUndefined(join(outDir, path));
  if (content === undefined || !isGenerated(content)) return undefined;
  const fp = readFingerprint(content);
  if (fp === undefined || !fp.intact) return undefined;
  const hash = outputHash(state, path, sources, modules);
  return hash !== undefined && fp.hash === hash ? content : undefined;
}
