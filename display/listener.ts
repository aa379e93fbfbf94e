/**
 * The client side of QEMU's display: an `org.qemu.Display1.Listener` object at
 * `/org/qemu/Display1/Listener` that keeps a {@link Framebuffer} from Scanout and Update. It
 * is served on the peer-to-peer connection whose other end was handed to
 * Console.RegisterListener (see register.ts), but works on any connection. QEMU first asks
 * Properties.GetAll (its main loop waits for that answer), then sends Scanout/Update with
 * NO_REPLY_EXPECTED, so a refused frame cannot be answered: it is reported to `onError` and
 * the framebuffer keeps its last good state.
 */
import { ListenerSkeleton } from '../generated/org.qemu.Display1.Listener.js';
import { type Connection, DBusError, ErrorNames } from '../runtime/index.js';
import {
  Framebuffer,
  FramebufferError,
  type FramebufferLimits,
  isWholeRect,
  type Rect,
} from './framebuffer.js';

/** Where QEMU calls the listener. */
export const LISTENER_PATH = '/org/qemu/Display1/Listener';

/** Options of {@link DisplayListener}. */
export interface DisplayListenerOptions {
  /** Limits on the surface a sender may make us keep. */
  readonly limits?: FramebufferLimits;
  /** Called with every refused call (bad frame, DMABUF we cannot map); default: console.warn. */
  readonly onError?: (err: Error) => void;
  /**
   * The console's current size (its Width/Height properties). QEMU 7.2 sends no Scanout when
   * the guest changes mode: the first sign is an Update outside the surface. The surface then
   * grows to hold it (within the limits) and is set to this size once it answers. Without
   * it, such an Update is refused.
   */
  readonly consoleSize?: () => Promise<{ width: number; height: number }>;
}

/** The guest pointer, as the last MouseSet/CursorDefine said. */
export interface CursorState {
  x: number;
  y: number;
  visible: boolean;
  /** Last CursorDefine: size, hot spot and 32-bit ARGB pixels (undefined before one). */
  shape?: { width: number; height: number; hotX: number; hotY: number; data: Buffer } | undefined;
}

/** Largest cursor image kept (pixels per side); QEMU's cursors are 64×64 or smaller. */
const MAX_CURSOR_SIDE = 512;

/**
 * A Display1 listener exported on a connection. `framebuffer` is the current screen;
 * `nextChange()` resolves at the next accepted Scanout or Update, `disabled` turns true on
 * Disable.
 *
 * @example
 * ```ts
 * const listener = new DisplayListener(p2pConnection);
 * await listener.nextChange(5000); // the first Scanout
 * writeFileSync('shot.png', encodePng(listener.framebuffer.toImage()));
 * ```
 */
export class DisplayListener {
  readonly framebuffer: Framebuffer;
  readonly cursor: CursorState = { x: 0, y: 0, visible: false };
  /** True after QEMU sent Disable (the console was turned off), until the next Scanout. */
  disabled = false;
  readonly #skeleton: ListenerSkeleton;
  readonly #onError: (err: Error) => void;
  readonly #consoleSize: DisplayListenerOptions['consoleSize'];
  #waiters: (() => void)[] = [];
  /** A consoleSize query is running / another one is needed after it. */
  #settling = false;
  #settleAgain = false;

  constructor(
    readonly connection: Connection,
    options: DisplayListenerOptions = {},
  ) {
    this.framebuffer = new Framebuffer(options.limits);
    this.#onError =
      options.onError ?? ((e) => console.warn(`dbus-display: listener: ${e.message}`));
    this.#consoleSize = options.consoleSize;
    const fb = this.framebuffer;
    this.#skeleton = new ListenerSkeleton(
      connection,
      LISTENER_PATH,
      {
        scanout: (w, h, stride, format, data) =>
          this.#frame(() => {
            fb.scanout(w, h, stride, format, data);
            this.disabled = false;
          }),
        update: (x, y, width, height, stride, format, data) =>
          this.#frame(() => {
            const rect = { x, y, width, height };
            this.#growFor(rect);
            fb.update(rect, stride, format, data);
          }),
        // DMABUFs are GPU memory (`-display dbus,gl=on`); this listener reads pixels only.
        // The runtime closes the received fd once the handler returns.
        scanoutDMABUF: () => this.#refuse('ScanoutDMABUF is not supported (use gl=off)'),
        updateDMABUF: () => this.#refuse('UpdateDMABUF is not supported (use gl=off)'),
        disable: () => {
          this.disabled = true;
          this.#wake();
        },
        mouseSet: (x, y, on) => {
          this.cursor.x = x;
          this.cursor.y = y;
          this.cursor.visible = on !== 0;
        },
        cursorDefine: (width, height, hotX, hotY, data) => {
          const ok =
            width >= 0 &&
            height >= 0 &&
            width <= MAX_CURSOR_SIDE &&
            height <= MAX_CURSOR_SIDE &&
            data.length === width * height * 4;
          if (!ok)
            return this.#refuse(`CursorDefine: ${width}×${height} with ${data.length} bytes`);
          this.cursor.shape = { width, height, hotX, hotY, data: Buffer.from(data) };
        },
      },
      // QEMU 7.2 ignores it; newer QEMUs read it to pick shared-memory scanouts, which this
      // listener does not serve.
      { interfaces: [] },
    );
  }

  /** Resolves at the next accepted Scanout, Update or Disable; rejects after `timeoutMs`. */
  nextChange(timeoutMs: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== done);
        reject(new Error(`no display update within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        resolve();
      };
      this.#waiters.push(done);
    });
  }

  /** Resolves once `predicate()` holds, checking now and after every change. */
  async until(predicate: () => boolean, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) await this.nextChange(Math.max(1, deadline - Date.now()));
  }

  /**
   * Sets the surface size (the console's Width/Height changed), keeping the shared pixels.
   * A refused size goes to `onError`.
   */
  resize(width: number, height: number): void {
    if (!this.framebuffer.hasSurface) return;
    try {
      this.framebuffer.resize(width, height);
    } catch (e) {
      this.#onError(e as Error);
      return;
    }
    this.#wake();
  }

  /** Removes the object from the connection (does not close the connection). */
  unexport(): void {
    this.#skeleton.unexport();
  }

  #frame(apply: () => void): void {
    try {
      apply();
    } catch (e) {
      if (!(e instanceof FramebufferError)) throw e;
      this.#onError(e);
      throw new DBusError(ErrorNames.InvalidArgs, e.message);
    }
    this.#wake();
  }

  /** An Update outside the surface means a mode change QEMU did not announce by Scanout. */
  #growFor(rect: Rect): void {
    const fb = this.framebuffer;
    if (!isWholeRect(rect) || !fb.hasSurface || this.#consoleSize === undefined) return;
    const right = rect.x + rect.width;
    const bottom = rect.y + rect.height;
    if (right <= fb.width && bottom <= fb.height) return;
    fb.resize(Math.max(fb.width, right), Math.max(fb.height, bottom));
    void this.#settle();
  }

  /** Asks the console's size (again, if the surface grew meanwhile) and takes it. */
  async #settle(): Promise<void> {
    if (this.#settling) {
      this.#settleAgain = true;
      return;
    }
    this.#settling = true;
    try {
      do {
        this.#settleAgain = false;
        const size = await this.#consoleSize!();
        this.resize(size.width, size.height);
      } while (this.#settleAgain);
    } catch (e) {
      this.#onError(e as Error);
    } finally {
      this.#settling = false;
    }
  }

  #refuse(message: string): never {
    const err = new DBusError(ErrorNames.NotSupported, message);
    this.#onError(err);
    throw err;
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }
}
