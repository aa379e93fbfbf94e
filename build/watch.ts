/**
 * `generate --watch`: run once, then again whenever an input changes. Directories are watched
 * rather than files, because editors save by writing a new file and renaming it over the old
 * one, which a watch on the old file would miss. Changes within {@link WatchOptions.debounceMs}
 * are one run; a change during a run queues exactly one more run.
 *
 * After the first run the emitters are loaded and exercised in the background, so the first edit
 * is written as fast as the later ones: an edit's run then
 * parses and checks the inputs and prints only the module whose XML changed.
 *
 * @example
 * ```ts
 * const w = watchGenerate({ inputs: ['interfaces/x.xml'], outDir: 'generated' }, {
 *   onResult: (r) => r.diagnostics.forEach((d) => console.error(formatDiagnostic(d))),
 * });
 * // later: await w.close();
 * ```
 */
import { type FSWatcher, watch as fsWatch } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { type GenerateResult, generate } from './generate.js';
import type { GenerateOptions } from './options.js';

/** Callbacks and extra files of {@link watchGenerate}. */
export interface WatchOptions {
  /** Called after every run (the first one included). */
  readonly onResult?: (result: GenerateResult, changed: readonly string[]) => void;
  /** Called when a run throws (a usage or internal error); watching goes on. */
  readonly onError?: (error: unknown) => void;
  /** Further files whose change triggers a run (overlay files, the config). Default: none. */
  readonly extraFiles?: readonly string[];
  /**
   * Quiet period before a run, in ms. Default: 20 (an editor's write-and-rename save arrives
   * within a few ms; a later event only queues one more run, never a wrong one).
   */
  readonly debounceMs?: number;
}

/** A running {@link watchGenerate}: wait for `ready`, stop with `close()`. */
export interface Watcher {
  /** Settles after the first run and the printer's warm-up (edits meanwhile are queued). */
  readonly ready: Promise<void>;
  /** Number of runs so far. */
  readonly runs: number;
  /** Stops watching; waits for a run in progress. */
  close(): Promise<void>;
}

const DEFAULT_DEBOUNCE_MS = 20;

/** Loads the templates and prints an empty run once (compiles the printer's code paths). */
async function warmPrinter(): Promise<void> {
  try {
    const { emitModules } = await import('../emitters/index.js');
    emitModules({ interfaces: [], command: '', fingerprintLine: '' });
  } catch {
    // only the first edit's speed depends on this; a real problem shows in that run
  }
}

/**
 * Runs {@link generate} once, then again whenever an input or one of `extraFiles` changes
 * (runs never overlap; edits during a run queue one more). The module comment has an example.
 */
export function watchGenerate(options: GenerateOptions, watchOptions: WatchOptions = {}): Watcher {
  const cwd = options.cwd ?? process.cwd();
  const files = [...options.inputs, ...(watchOptions.extraFiles ?? [])].map((f) => resolve(cwd, f));
  const byDir = new Map<string, Set<string>>();
  for (const f of files) {
    const set = byDir.get(dirname(f)) ?? new Set<string>();
    set.add(basename(f));
    byDir.set(dirname(f), set);
  }
  let runs = 0;
  let running: Promise<void> | undefined;
  let pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const runOnce = async (changed: readonly string[]): Promise<void> => {
    try {
      const result = await generate(options);
      runs++;
      watchOptions.onResult?.(result, changed);
    } catch (e) {
      runs++;
      watchOptions.onError?.(e);
    }
  };
  const kick = (): void => {
    if (closed || running !== undefined || pending.size === 0) return;
    const changed = [...pending].sort();
    pending = new Set();
    running = runOnce(changed).finally(() => {
      running = undefined;
      kick(); // changes that arrived during the run
    });
  };
  const schedule = (file: string): void => {
    pending.add(file);
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(kick, watchOptions.debounceMs ?? DEFAULT_DEBOUNCE_MS);
  };

  const watchers: FSWatcher[] = [];
  for (const [dir, names] of byDir) {
    const w = fsWatch(dir, (_event, name) => {
      const n = name?.toString();
      if (n !== undefined && names.has(n)) schedule(resolve(dir, n));
    });
    w.on('error', (e) => watchOptions.onError?.(e));
    watchers.push(w);
  }
  running = runOnce([])
    .then(() => (closed ? undefined : warmPrinter()))
    .finally(() => {
      running = undefined;
      kick();
    });
  const ready = running;

  return {
    ready,
    get runs() {
      return runs;
    },
    async close() {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      for (const w of watchers) w.close();
      await running;
    },
  };
}
