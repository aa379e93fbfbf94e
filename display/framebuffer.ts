/**
 * The guest's screen as QEMU describes it to a Display1 listener: Scanout replaces the whole
 * surface (size, stride, pixman format, pixels), Update overwrites a rectangle of it. Every
 * size a peer sends is checked against the data it came with and against the limits before
 * anything is allocated, so a hostile or buggy sender gets a {@link FramebufferError}, not an
 * out-of-memory or a write past the surface.
 */
import { convertRows, encodeRows, type PixelLayout, pixelLayout } from './pixman.js';

/** Why a Scanout or Update was refused. */
export type FramebufferErrorCode =
  | 'too-large'
  | 'bad-stride'
  | 'short-data'
  | 'out-of-bounds'
  | 'no-surface'
  | 'unsupported-format';

/** A Scanout or Update that does not describe a valid surface or rectangle. */
export class FramebufferError extends Error {
  override readonly name = 'FramebufferError';
  constructor(
    readonly code: FramebufferErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Limits on what a sender may make us hold. */
export interface FramebufferLimits {
  /** Widest surface accepted (pixels, default 16384: QEMU's own display maximum). */
  readonly maxWidth?: number;
  /** Tallest surface accepted (pixels, default 16384). */
  readonly maxHeight?: number;
  /** Largest surface in bytes, stride included (default 256 MiB). */
  readonly maxBytes?: number;
}

/** Default {@link FramebufferLimits}. */
export const DEFAULT_FRAMEBUFFER_LIMITS: Required<FramebufferLimits> = {
  maxWidth: 16384,
  maxHeight: 16384,
  maxBytes: 256 * 1024 * 1024,
};

/** A decoded image: `width`×`height` pixels, `channels` bytes each, rows packed. */
export interface Image {
  readonly width: number;
  readonly height: number;
  readonly channels: 3 | 4;
  readonly data: Buffer;
}

/** A rectangle of a surface, in pixels from its top-left corner (Listener.Update's first four). */
export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** Whether `r` has whole, non-negative coordinates and sizes. */
export function isWholeRect(r: Rect): boolean {
  return [r.x, r.y, r.width, r.height].every((n) => Number.isInteger(n) && n >= 0);
}

const isU32 = (n: number): boolean => Number.isInteger(n) && n >= 0 && n <= 0xffffffff;

/**
 * One console's surface. Feed it the Listener calls (`scanout`, `update`); read it with
 * `toImage()`. A surface is kept in the format QEMU sent it in, so Updates in that format are
 * row copies and nothing is converted until a screenshot is taken.
 *
 * @example
 * ```ts
 * const fb = new Framebuffer();
 * fb.scanout(640, 480, 2560, PixmanFormat.x8r8g8b8, data);
 * const png = encodePng(fb.toImage());
 * ```
 */
export class Framebuffer {
  #width = 0;
  #height = 0;
  #stride = 0;
  #layout: PixelLayout | undefined;
  #data: Buffer = Buffer.alloc(0);
  /** Incremented by every accepted Scanout and Update (a cheap "has it changed" check). */
  generation = 0;
  readonly limits: Required<FramebufferLimits>;

  constructor(limits: FramebufferLimits = {}) {
    this.limits = { ...DEFAULT_FRAMEBUFFER_LIMITS, ...limits };
  }

  get width(): number {
    return this.#width;
  }
  get height(): number {
    return this.#height;
  }
  /** The pixman format code of the surface (0 before the first Scanout). */
  get format(): number {
    return this.#layout?.code ?? 0;
  }
  /** True once a Scanout was accepted. */
  get hasSurface(): boolean {
    return this.#layout !== undefined;
  }

  #layoutOf(code: number): PixelLayout {
    try {
      return pixelLayout(code);
    } catch (e) {
      throw new FramebufferError('unsupported-format', (e as Error).message);
    }
  }

  /** Checks that `height` rows of `width` pixels fit in `data` at `stride`; returns row bytes. */
  #checkRows(
    what: string,
    width: number,
    height: number,
    stride: number,
    layout: PixelLayout,
    data: Uint8Array,
  ): number {
    const rowBytes = width * layout.bytesPerPixel;
    if (!isU32(stride) || (height > 0 && stride < rowBytes)) {
      throw new FramebufferError(
        'bad-stride',
        `${what}: stride ${stride} is less than ${width} pixels × ${layout.bytesPerPixel} bytes`,
      );
    }
    const need = height === 0 ? 0 : stride * (height - 1) + rowBytes;
    if (data.length < need) {
      throw new FramebufferError(
        'short-data',
        `${what}: ${width}×${height} at stride ${stride} needs ${need} bytes, got ${data.length}`,
      );
    }
    return rowBytes;
  }

  /** Listener.Scanout: a new surface. Throws {@link FramebufferError}; the old surface stays then. */
  scanout(width: number, height: number, stride: number, format: number, data: Uint8Array): void {
    const { maxWidth, maxHeight, maxBytes } = this.limits;
    if (!isU32(width) || !isU32(height) || width > maxWidth || height > maxHeight) {
      throw new FramebufferError(
        'too-large',
        `Scanout: ${width}×${height} exceeds the ${maxWidth}×${maxHeight} limit`,
      );
    }
    const layout = this.#layoutOf(format);
    const rowBytes = this.#checkRows('Scanout', width, height, stride, layout, data);
    // Stored packed (stride = row bytes): the sender's padding is not ours to keep.
    const bytes = rowBytes * height;
    if (bytes > maxBytes) {
      throw new FramebufferError(
        'too-large',
        `Scanout: ${bytes} bytes exceed the limit of ${maxBytes}`,
      );
    }
    const copy = Buffer.allocUnsafe(bytes);
    if (stride === rowBytes) copy.set(data.subarray(0, bytes));
    else
      for (let y = 0; y < height; y++)
        copy.set(data.subarray(y * stride, y * stride + rowBytes), y * rowBytes);
    this.#width = width;
    this.#height = height;
    this.#stride = rowBytes;
    this.#layout = layout;
    this.#data = copy;
    this.generation++;
  }

  /**
   * Changes the surface size, keeping the pixels the old and new sizes share (the rest is
   * black) and the format. QEMU 7.2 sends no Scanout when the guest changes mode (e.g. VGA
   * graphics to 720×400 text): only Updates in the new size and the Console's Width/Height.
   * Throws {@link FramebufferError} (`no-surface`, `too-large`).
   */
  resize(width: number, height: number): void {
    const layout = this.#layout;
    if (layout === undefined) throw new FramebufferError('no-surface', 'resize before any Scanout');
    const { maxWidth, maxHeight, maxBytes } = this.limits;
    if (!isU32(width) || !isU32(height) || width > maxWidth || height > maxHeight) {
      throw new FramebufferError(
        'too-large',
        `resize: ${width}×${height} exceeds the ${maxWidth}×${maxHeight} limit`,
      );
    }
    const rowBytes = width * layout.bytesPerPixel;
    if (rowBytes * height > maxBytes) {
      throw new FramebufferError(
        'too-large',
        `resize: ${rowBytes * height} bytes exceed the limit of ${maxBytes}`,
      );
    }
    if (width === this.#width && height === this.#height) return;
    const next = Buffer.alloc(rowBytes * height);
    const keep = Math.min(rowBytes, this.#stride);
    for (let y = 0; y < Math.min(height, this.#height); y++) {
      next.set(this.#data.subarray(y * this.#stride, y * this.#stride + keep), y * rowBytes);
    }
    this.#width = width;
    this.#height = height;
    this.#stride = rowBytes;
    this.#data = next;
    this.generation++;
  }

  /** Listener.Update: overwrites a rectangle of the current surface. Throws {@link FramebufferError}. */
  update(rect: Rect, stride: number, format: number, data: Uint8Array): void {
    const surface = this.#layout;
    if (surface === undefined)
      throw new FramebufferError('no-surface', 'Update before any Scanout');
    const { x, y, width, height } = rect;
    if (!isWholeRect(rect) || x + width > this.#width || y + height > this.#height) {
      throw new FramebufferError(
        'out-of-bounds',
        `Update: rectangle ${width}×${height} at (${x},${y}) is not inside the ${this.#width}×${this.#height} surface`,
      );
    }
    const layout = this.#layoutOf(format);
    const rowBytes = this.#checkRows('Update', width, height, stride, layout, data);
    const dst = this.#data;
    const at = y * this.#stride + x * surface.bytesPerPixel;
    if (layout.code === surface.code) {
      for (let r = 0; r < height; r++)
        dst.set(data.subarray(r * stride, r * stride + rowBytes), at + r * this.#stride);
    } else {
      // Another format than the surface's (rare): through RGBA, row by row to stay small.
      const row = Buffer.allocUnsafe(width * 4);
      for (let r = 0; r < height; r++) {
        convertRows(layout, data, r * stride, stride, width, 1, 4, row, 0, 0);
        encodeRows(surface, row, 0, 0, width, 1, dst, at + r * this.#stride, 0);
      }
    }
    this.generation++;
  }

  /** The surface as packed 8-bit RGB (default, like a PPM screendump) or RGBA. */
  toImage(channels: 3 | 4 = 3): Image {
    const out = Buffer.allocUnsafe(this.#width * this.#height * channels);
    if (this.#layout !== undefined) {
      convertRows(
        this.#layout,
        this.#data,
        0,
        this.#stride,
        this.#width,
        this.#height,
        channels,
        out,
        0,
        this.#width * channels,
      );
    }
    return { width: this.#width, height: this.#height, channels, data: out };
  }
}
