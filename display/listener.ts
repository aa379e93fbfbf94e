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
import { Framebuffer, FramebufferError, type FramebufferLimits } from './framebuffer.js';

/** Where QEMU calls the listener. */
export const LISTENER_PATH = '/org/qemu/Display1/Listener';

/** Options of {@link DisplayListener}. */
export interface DisplayListenerOptions {
  /** Limits on the surface a sender may make us keep. */
  readonly limits?: FramebufferLimits;
  /** Called with every refused call (bad frame, DMABUF we cannot map); default: console.warn. */
  readonly onError?: (err: Error) => void;
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
  #waiters: (() => void)[] = [];

  constructor(
    readonly connection: Connection,
    options: DisplayListenerOptions = {},
  ) {
    this.framebuffer = new Framebuffer(options.limits);
    this.#onError =
      options.onError ?? ((e) => console.warn(`dbus-display: listener: ${e.message}`));
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
        update: (x, y, w, h, stride, format, data) =>
          this.#frame(() => fb.update(x, y, w, h, stride, format, data)),
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
