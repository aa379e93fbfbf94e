/**
 * Pixman format codes, as QEMU sends them in Listener.Scanout/Update: a 32-bit code
 * `bpp << 24 | type << 16 | a << 12 | r << 8 | g << 4 | b` (pixman.h, PIXMAN_FORMAT). Only the
 * direct-colour types (ARGB, ABGR, BGRA, RGBA) describe a surface QEMU can scan out; indexed,
 * grey and YUV codes are refused with a typed error rather than guessed at. Pixels are read as
 * little-endian integers of `bpp` bits, which is what pixman does on the x86/arm hosts QEMU
 * runs on (a big-endian host's QEMU would send the byte-swapped codes, e.g. b8g8r8x8).
 */

/** A pixman format code QEMU's display surfaces use, by its pixman name. */
export const PixmanFormat = {
  x8r8g8b8: 0x20020888,
  a8r8g8b8: 0x20028888,
  x8b8g8r8: 0x20030888,
  a8b8g8r8: 0x20038888,
  b8g8r8x8: 0x20080888,
  b8g8r8a8: 0x20088888,
  r8g8b8x8: 0x20090888,
  r8g8b8a8: 0x20098888,
  x2r10g10b10: 0x20020aaa,
  a2r10g10b10: 0x20022aaa,
  x2b10g10r10: 0x20030aaa,
  a2b10g10r10: 0x20032aaa,
  r8g8b8: 0x18020888,
  b8g8r8: 0x18030888,
  r5g6b5: 0x10020565,
  b5g6r5: 0x10030565,
  x1r5g5b5: 0x10020555,
  a1r5g5b5: 0x10021555,
  x1b5g5r5: 0x10030555,
  a1b5g5r5: 0x10031555,
} as const;

const TYPE_ARGB = 2;
const TYPE_ABGR = 3;
const TYPE_BGRA = 8;
const TYPE_RGBA = 9;

/** Where each channel sits in a pixel, and how to widen it to 8 bits. */
export interface PixelLayout {
  readonly code: number;
  /** Bytes per pixel (2, 3 or 4). */
  readonly bytesPerPixel: number;
  readonly shift: {
    readonly r: number;
    readonly g: number;
    readonly b: number;
    readonly a: number;
  };
  readonly bits: { readonly r: number; readonly g: number; readonly b: number; readonly a: number };
  /** True when the format carries alpha (a > 0 bits). */
  readonly hasAlpha: boolean;
}

/** A pixel format code this module cannot decode. */
export class UnsupportedPixelFormatError extends Error {
  override readonly name = 'UnsupportedPixelFormatError';
  constructor(readonly code: number) {
    super(
      `pixman format 0x${(code >>> 0).toString(16).padStart(8, '0')} is not supported (${describe(code)})`,
    );
  }
}

function describe(code: number): string {
  const bpp = code >>> 24;
  const type = (code >>> 16) & 0xff;
  const known = Object.entries(PixmanFormat).find(([, v]) => v === code >>> 0);
  if (known) return known[0];
  return `bpp ${bpp}, type ${type}; only 16, 24 and 32 bpp ARGB/ABGR/BGRA/RGBA are decoded`;
}

/** Name of a known format code (`x8r8g8b8`), or its hex form. */
export function pixmanFormatName(code: number): string {
  const known = Object.entries(PixmanFormat).find(([, v]) => v === code >>> 0);
  return known ? known[0] : `0x${(code >>> 0).toString(16).padStart(8, '0')}`;
}

const layouts = new Map<number, PixelLayout>();

/** The layout of `code`; throws {@link UnsupportedPixelFormatError} for anything not direct-colour. */
export function pixelLayout(code: number): PixelLayout {
  code >>>= 0;
  const cached = layouts.get(code);
  if (cached) return cached;
  const bpp = code >>> 24;
  const type = (code >>> 16) & 0xff;
  const a = (code >>> 12) & 0xf;
  const r = (code >>> 8) & 0xf;
  const g = (code >>> 4) & 0xf;
  const b = code & 0xf;
  // pixman stores widths of 10 as 0xa; any channel over 8 bits needs a 32-bit pixel.
  if (![16, 24, 32].includes(bpp) || a + r + g + b > bpp || r === 0 || g === 0 || b === 0) {
    throw new UnsupportedPixelFormatError(code);
  }
  let shift: PixelLayout['shift'];
  if (type === TYPE_ARGB) shift = { b: 0, g: b, r: b + g, a: b + g + r };
  else if (type === TYPE_ABGR) shift = { r: 0, g: r, b: r + g, a: r + g + b };
  else if (type === TYPE_BGRA) {
    // pixman: the channels are packed from the top; alpha (if any) right below red.
    const bs = bpp - b;
    shift = { b: bs, g: bs - g, r: bs - g - r, a: bs - g - r - a };
  } else if (type === TYPE_RGBA) {
    const rs = bpp - r;
    shift = { r: rs, g: rs - g, b: rs - g - b, a: rs - g - b - a };
  } else throw new UnsupportedPixelFormatError(code);
  const layout: PixelLayout = {
    code,
    bytesPerPixel: bpp / 8,
    shift,
    bits: { r, g, b, a },
    hasAlpha: a > 0,
  };
  layouts.set(code, layout);
  return layout;
}

/**
 * Widening table for a channel of `bits` bits: narrower channels repeat their bits (pixman's
 * expansion, so 5-bit 31 is 255 and 6-bit 0x20 is 0x82), wider ones drop the low bits.
 */
function widen(bits: number): Uint8Array {
  const n = 1 << bits;
  const lut = new Uint8Array(n);
  for (let v = 0; v < n; v++) {
    if (bits >= 8) lut[v] = v >>> (bits - 8);
    else {
      let out = 0;
      let have = 0;
      while (have < 8) {
        out = (out << bits) | v;
        have += bits;
      }
      lut[v] = out >>> (have - 8);
    }
  }
  return lut;
}
const widenCache = new Map<number, Uint8Array>();
function widenLut(bits: number): Uint8Array {
  let lut = widenCache.get(bits);
  if (!lut) {
    lut = widen(bits);
    widenCache.set(bits, lut);
  }
  return lut;
}

/** The pixel at byte `off` of `src` as an integer (little-endian, `bytesPerPixel` bytes). */
function readPixel(src: Uint8Array, off: number, bytes: number): number {
  if (bytes === 4)
    return (src[off]! | (src[off + 1]! << 8) | (src[off + 2]! << 16) | (src[off + 3]! << 24)) >>> 0;
  if (bytes === 3) return src[off]! | (src[off + 1]! << 8) | (src[off + 2]! << 16);
  return src[off]! | (src[off + 1]! << 8);
}

/**
 * Converts `height` rows of `width` pixels in `layout` (rows `stride` bytes apart, from
 * `srcOffset`) into packed 8-bit RGB (3 channels) or RGBA (4; opaque when the format has no
 * alpha), written to `out` from `outOffset` with rows `outStride` bytes apart.
 */
export function convertRows(
  layout: PixelLayout,
  src: Uint8Array,
  srcOffset: number,
  stride: number,
  width: number,
  height: number,
  channels: 3 | 4,
  out: Uint8Array,
  outOffset: number,
  outStride: number,
): void {
  const bpp = layout.bytesPerPixel;
  if (layout.code === PixmanFormat.x8r8g8b8 || layout.code === PixmanFormat.a8r8g8b8) {
    // The format QEMU's VGA sends: bytes B, G, R, X in memory. A plain byte shuffle.
    const alpha = layout.hasAlpha;
    for (let y = 0; y < height; y++) {
      let s = srcOffset + y * stride;
      let o = outOffset + y * outStride;
      for (let x = 0; x < width; x++, s += 4, o += channels) {
        out[o] = src[s + 2]!;
        out[o + 1] = src[s + 1]!;
        out[o + 2] = src[s]!;
        if (channels === 4) out[o + 3] = alpha ? src[s + 3]! : 255;
      }
    }
    return;
  }
  const { shift, bits } = layout;
  const lr = widenLut(bits.r);
  const lg = widenLut(bits.g);
  const lb = widenLut(bits.b);
  const la = layout.hasAlpha ? widenLut(bits.a) : undefined;
  const mr = (1 << bits.r) - 1;
  const mg = (1 << bits.g) - 1;
  const mb = (1 << bits.b) - 1;
  const ma = (1 << bits.a) - 1;
  for (let y = 0; y < height; y++) {
    let s = srcOffset + y * stride;
    let o = outOffset + y * outStride;
    for (let x = 0; x < width; x++, s += bpp, o += channels) {
      const p = readPixel(src, s, bpp);
      out[o] = lr[(p >>> shift.r) & mr]!;
      out[o + 1] = lg[(p >>> shift.g) & mg]!;
      out[o + 2] = lb[(p >>> shift.b) & mb]!;
      if (channels === 4) out[o + 3] = la ? la[(p >>> shift.a) & ma]! : 255;
    }
  }
}

/**
 * Encodes packed 8-bit RGBA pixels into `layout` (narrower channels keep their top bits), for
 * an Update whose format differs from the surface's. Rows as in {@link convertRows}.
 */
export function encodeRows(
  layout: PixelLayout,
  rgba: Uint8Array,
  rgbaOffset: number,
  rgbaStride: number,
  width: number,
  height: number,
  dst: Uint8Array,
  dstOffset: number,
  dstStride: number,
): void {
  const { shift, bits } = layout;
  const bpp = layout.bytesPerPixel;
  const put = (v: number, n: number, at: number): number =>
    n === 0 ? 0 : ((v >>> Math.max(0, 8 - n)) << Math.max(0, n - 8)) << at;
  for (let y = 0; y < height; y++) {
    let s = rgbaOffset + y * rgbaStride;
    let d = dstOffset + y * dstStride;
    for (let x = 0; x < width; x++, s += 4, d += bpp) {
      const p =
        (put(rgba[s]!, bits.r, shift.r) |
          put(rgba[s + 1]!, bits.g, shift.g) |
          put(rgba[s + 2]!, bits.b, shift.b) |
          put(rgba[s + 3]!, bits.a, shift.a)) >>>
        0;
      for (let i = 0; i < bpp; i++) dst[d + i] = (p >>> (8 * i)) & 0xff;
    }
  }
}
