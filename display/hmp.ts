/**
 * A client for QEMU's human monitor (HMP) in readline mode over any byte stream, e.g. the
 * socket end handed to QEMU with Chardev.Register: QEMU greets with
 * `QEMU 7.2.x monitor - type 'help' for more information\r\n(qemu) `, and answers each command
 * line with its output followed by the next `(qemu) ` prompt. Readline mode echoes what it
 * receives (with terminal escapes), so the echoed command line is removed from the output.
 * Output is bounded and every wait has a timeout.
 */
import type { Duplex } from 'node:stream';

const PROMPT = '(qemu) ';

/** The monitor did not answer as HMP does, timed out, said too much, or the stream closed. */
export class HmpError extends Error {
  override readonly name = 'HmpError';
}

/** Options of {@link HmpMonitor.open}. */
export interface HmpOptions {
  /** Wait for the banner and for each answer (ms, default 10 000). */
  readonly timeoutMs?: number;
  /** Largest banner or answer kept (bytes, default 1 MiB); more is an {@link HmpError}. */
  readonly maxOutputBytes?: number;
}

/** ANSI escape sequences (CSI ... final byte, and ESC + one char) that readline echoes. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: ESC is what this removes
const ESCAPES = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[@-Z\\-_]/g;

/**
 * One HMP session; commands run one at a time, in order.
 *
 * @example
 * ```ts
 * const mon = await HmpMonitor.open(socket);
 * console.log(await mon.command('info version')); // "7.2.19 (Debian 1:7.2+dfsg-7+deb12u18)"
 * mon.close();
 * ```
 */
export class HmpMonitor {
  #buffer = '';
  #waiter: { resolve: (text: string) => void; reject: (e: Error) => void } | undefined;
  #closed: Error | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  /** The banner QEMU printed before the first prompt (`QEMU 7.2.x monitor - ...`). */
  banner = '';

  private constructor(
    private readonly stream: Duplex,
    private readonly timeoutMs: number,
    private readonly maxBytes: number,
  ) {
    stream.setEncoding('latin1');
    stream.on('data', (s: string) => this.#receive(s));
    const closed = (err?: Error) =>
      this.#fail(new HmpError(`monitor stream closed${err ? `: ${err.message}` : ''}`));
    stream.on('error', closed);
    stream.on('close', () => closed());
    stream.on('end', () => closed());
  }

  /** Reads the banner up to the first prompt; rejects with {@link HmpError} otherwise. */
  static async open(stream: Duplex, options: HmpOptions = {}): Promise<HmpMonitor> {
    const mon = new HmpMonitor(
      stream,
      options.timeoutMs ?? 10_000,
      options.maxOutputBytes ?? 1024 * 1024,
    );
    const banner = await mon.#untilPrompt('the banner');
    if (!/^QEMU .* monitor/m.test(banner)) {
      mon.close();
      throw new HmpError(`not a QEMU monitor banner: ${JSON.stringify(banner.slice(0, 200))}`);
    }
    mon.banner = banner.trim();
    return mon;
  }

  /** Runs one command line; resolves with its output (echo and prompt removed, `\r\n` as `\n`). */
  command(line: string): Promise<string> {
    if (/[\r\n]/.test(line)) return Promise.reject(new HmpError('a command is one line'));
    const run = async (): Promise<string> => {
      if (this.#closed) throw this.#closed;
      this.stream.write(`${line}\n`);
      const raw = (await this.#untilPrompt(JSON.stringify(line))).replace(ESCAPES, '');
      const lines = raw.split(/\r?\n/);
      // The echo is the first line (readline redraws it; after escapes are gone the command remains).
      if (lines[0]?.replace(/\r/g, '').trimEnd().endsWith(line.trimEnd())) lines.shift();
      return lines.join('\n').replace(/\r/g, '').replace(/\n$/, '');
    };
    const result = this.#queue.then(run, run);
    this.#queue = result.catch(() => undefined);
    return result;
  }

  /** Closes the stream (QEMU sees the chardev disconnect). */
  close(): void {
    this.#fail(new HmpError('monitor closed'));
    this.stream.destroy();
  }

  #receive(s: string): void {
    this.#buffer += s;
    const waiter = this.#waiter;
    if (waiter === undefined) {
      if (this.#buffer.length > this.maxBytes) this.#buffer = this.#buffer.slice(-PROMPT.length);
      return;
    }
    const end = this.#buffer.indexOf(`\n${PROMPT}`);
    const atStart = end < 0 && this.#buffer.startsWith(PROMPT);
    if (end >= 0 || atStart) {
      const cut = atStart ? 0 : end + 1;
      const text = this.#buffer.slice(0, cut);
      this.#buffer = this.#buffer.slice(cut + PROMPT.length);
      this.#waiter = undefined;
      waiter.resolve(text);
    } else if (this.#buffer.length > this.maxBytes) {
      this.#waiter = undefined;
      waiter.reject(new HmpError(`more than ${this.maxBytes} bytes without a prompt`));
    }
  }

  #untilPrompt(what: string): Promise<string> {
    if (this.#closed) return Promise.reject(this.#closed);
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiter = undefined;
        reject(new HmpError(`no monitor prompt after ${what} within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      this.#waiter = {
        resolve: (t) => {
          clearTimeout(timer);
          resolve(t);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      this.#receive('');
    });
  }

  #fail(err: Error): void {
    this.#closed ??= err;
    const w = this.#waiter;
    this.#waiter = undefined;
    w?.reject(this.#closed);
  }
}
