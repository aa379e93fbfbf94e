/**
 * Entry point of the TypeScript emitter: the checked model in, the text of every generated
 * module out. build/generate.ts imports this lazily (ts-morph costs ~0.5 s to load), so
 * nothing in generator/ or build/ may import it eagerly (header.ts, ts-names.ts and
 * markdown.ts, plain code without ts-morph, may be).
 *
 * Modules are built as ts-morph structures (whole files, no manipulation afterwards). ts-morph's
 * structure printer is the printer of record; the fast printer (print/structures.ts) prints the
 * same bytes for the structures we build without loading ts-morph and TypeScript (~1 s), and
 * falls back to ts-morph for anything it does not cover. `printer: 'ts-morph'` (or
 * DBUS_CODEGEN_TS_PRINTER=ts-morph) prints everything with ts-morph.
 */
import type { StatementStructures, Project as TsMorphProject } from 'ts-morph';
import type { Interface } from '../spec/model.js';
import { header } from './header.js';
import { indexModule } from './index-module.js';
import { interfaceModule } from './module.js';
import { printStatements, Unsupported } from './print/structures.js';
import { tsMorph } from './ts-morph.js';
import { nameInterfaces } from './ts-names.js';
import { wrapLongSignatures } from './wrap.js';

export interface EmitInput {
  /**
   * Every interface of the run, each exactly once (identical duplicates already merged by the
   * checks). Any order: emitModules sorts by interface name, so output is byte-identical when
   * the inputs are given in another order.
   */
  readonly interfaces: readonly Interface[];
  /**
   * Source XML paths per interface name, as they should appear in the header (relative to the
   * working directory, forward slashes). An interface missing here uses its `location.file`.
   */
  readonly sources?: ReadonlyMap<string, readonly string[]>;
  /** The command line that regenerates the output, e.g. `dbus-codegen-ts generate interfaces/*.xml -o generated`. */
  readonly command: string;
  /**
   * The fingerprint line (format owned by build/write.ts), e.g.
   * `// dbus-codegen-ts fingerprint: pending`. Emitted verbatim as line 4 of every file; the
   * writer completes it per file, from each module's {@link EmittedModule.sources}.
   */
  readonly fingerprintLine: string;
  /**
   * The finished text of a module that is already current (the writer knows from its
   * fingerprint), or undefined to print it. Lets a run where one XML changed print one module.
   * `modules` are the module names of the whole run, sorted (they decide each module's hash).
   */
  readonly current?: (
    path: string,
    sources: readonly string[],
    modules: readonly string[],
  ) => string | undefined;
  /**
   * `'ts-morph'` prints every module with ts-morph's structure printer (the printer of record);
   * `'fast'` (the default) prints without loading ts-morph when the fast printer covers the
   * module, which gives the same bytes. Default: `DBUS_CODEGEN_TS_PRINTER` when set, else 'fast'.
   */
  readonly printer?: PrinterChoice;
}

/** Which printer prints the modules (see {@link EmitInput.printer}). */
export type PrinterChoice = 'fast' | 'ts-morph';

/** {@link EmitInput.printer} from `DBUS_CODEGEN_TS_PRINTER` (unset or empty: 'fast'). */
export function printerFromEnv(env: NodeJS.ProcessEnv = process.env): PrinterChoice {
  const value = env['DBUS_CODEGEN_TS_PRINTER'];
  if (value === undefined || value === '' || value === 'fast') return 'fast';
  if (value === 'ts-morph') return 'ts-morph';
  throw new Error(
    `DBUS_CODEGEN_TS_PRINTER must be "fast" or "ts-morph", not ${JSON.stringify(value)}`,
  );
}

export interface EmittedModule {
  /** File name relative to the output directory, e.g. `org.qemu.VMState1.ts` or `index.ts`. */
  readonly path: string;
  readonly text: string;
  /** The XML files of its Source line (for index.ts: those of every module). */
  readonly sources: readonly string[];
}

let project: TsMorphProject | undefined;

function printer(): TsMorphProject {
  const { IndentationText, NewLineKind, Project, QuoteKind } = tsMorph();
  project ??= new Project({
    useInMemoryFileSystem: true,
    skipAddingFilesFromTsConfig: true,
    skipFileDependencyResolution: true,
    skipLoadingLibFiles: true,
    manipulationSettings: {
      indentationText: IndentationText.TwoSpaces,
      quoteKind: QuoteKind.Single,
      newLineKind: NewLineKind.LineFeed,
      useTrailingCommas: true,
    },
  });
  return project;
}

/**
 * ts-morph's own structure printer, reached without creating a source file: creating one
 * re-parses the printed text with the TypeScript parser, which is a third of the time of a
 * corpus-sized run and tells us nothing (we never navigate the result). The context is not
 * public API, so any change in ts-morph falls back to the public path (same bytes; tested).
 */
interface PrinterContext {
  createWriter(): { toString(): string };
  structurePrinterFactory: {
    forSourceFile(o: { isAmbient: boolean }): {
      printText(w: unknown, s: { statements: unknown }): void;
    };
  };
}

function directPrinter(): PrinterContext | undefined {
  const ctx = (printer() as unknown as { _context?: Partial<PrinterContext> })._context;
  return typeof ctx?.createWriter === 'function' &&
    typeof ctx.structurePrinterFactory?.forSourceFile === 'function'
    ? (ctx as PrinterContext)
    : undefined;
}

/** Prints through the public API (creates, reads and forgets a source file). */
export function printPublic(path: string, statements: (string | StatementStructures)[]): string {
  const file = printer().createSourceFile(`/${path}`, { statements }, { overwrite: true });
  const text = file.getFullText();
  printer().removeSourceFile(file);
  return text;
}

/** Prints with the structure printer alone; undefined when ts-morph's internals moved. */
export function printDirect(statements: (string | StatementStructures)[]): string | undefined {
  const ctx = directPrinter();
  if (ctx === undefined) return undefined;
  const writer = ctx.createWriter();
  ctx.structurePrinterFactory.forSourceFile({ isAmbient: false }).printText(writer, { statements });
  return writer.toString();
}

/** The fast printer's text, or undefined when a structure needs ts-morph. */
export function printFast(
  statements: readonly (string | StatementStructures)[],
): string | undefined {
  try {
    return printStatements(statements);
  } catch (e) {
    if (e instanceof Unsupported) return undefined;
    throw e;
  }
}

function print(
  path: string,
  statements: (string | StatementStructures)[],
  choice: PrinterChoice,
): string {
  const fast = choice === 'fast' ? printFast(statements) : undefined;
  return wrapLongSignatures(fast ?? printDirect(statements) ?? printPublic(path, statements));
}

function sourcesOf(iface: Interface, input: EmitInput): readonly string[] {
  return input.sources?.get(iface.name) ?? [iface.location.file];
}

/** Emits one module per interface plus `index.ts`, sorted by path. */
export function emitModules(input: EmitInput): EmittedModule[] {
  const interfaces = [...input.interfaces].sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  const choice = input.printer ?? printerFromEnv();
  const names = nameInterfaces(interfaces);
  const moduleNames = interfaces.map((i) => names.get(i.name)!.module).sort();
  const current = (path: string, sources: readonly string[]): string | undefined =>
    input.current?.(path, sources, moduleNames);
  const modules: EmittedModule[] = interfaces.map((iface) => {
    const n = names.get(iface.name)!;
    const path = `${n.module}.ts`;
    const done = current(path, sourcesOf(iface, input));
    if (done !== undefined) return { path, text: done, sources: sourcesOf(iface, input) };
    const text = print(path, interfaceModule(iface, n), choice);
    const head = header({
      sources: sourcesOf(iface, input),
      command: input.command,
      fingerprintLine: input.fingerprintLine,
    });
    return { path: `${n.module}.ts`, text: head + text, sources: sourcesOf(iface, input) };
  });
  const allSources = [...new Set(interfaces.flatMap((i) => sourcesOf(i, input)))].sort();
  const indexText =
    current('index.ts', allSources) ??
    header({
      sources: allSources,
      command: input.command,
      fingerprintLine: input.fingerprintLine,
    }) +
      print(
        'index.ts',
        indexModule(
          interfaces.map((i) => ({
            module: names.get(i.name)!.module,
            prefix: names.get(i.name)!.prefix,
          })),
        ),
        choice,
      );
  modules.push({ path: 'index.ts', text: indexText, sources: allSources });
  return modules.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
