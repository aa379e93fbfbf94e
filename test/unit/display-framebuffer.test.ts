// The framebuffer a Display1 listener keeps: pixman formats decoded to RGB(A) as pixman does,
// Scanout/Update checked (sizes vs data, rectangle inside the surface, limits) before anything
// is allocated or written.
import { describe, expect, it } from 'vitest';
import { Framebuffer, FramebufferError } from '../../display/framebuffer.js';
import { PixmanFormat, pixelLayout, UnsupportedPixelFormatError } from '../../display/pixman.js';

/** One pixel of `format` given as its little-endian memory bytes, decoded to RGBA. */
function decode(format: number, bytes: number[]): number[] {
  const fb = new Framebuffer();
  fb.scanout(1, 1, bytes.length, format, Buffer.from(bytes));
  return [...fb.toImage(4).data];
}

describe('pixman formats', () => {
  it.each([
    ['x8r8g8b8', [0x30, 0x20, 0x10, 0x99], [0x10, 0x20, 0x30, 255]],
    ['a8r8g8b8', [0x30, 0x20, 0x10, 0x80], [0x10, 0x20, 0x30, 0x80]],
    ['x8b8g8r8', [0x10, 0x20, 0x30, 0x99], [0x10, 0x20, 0x30, 255]],
    ['a8b8g8r8', [0x10, 0x20, 0x30, 0x40], [0x10, 0x20, 0x30, 0x40]],
    ['b8g8r8x8', [0x99, 0x10, 0x20, 0x30], [0x10, 0x20, 0x30, 255]],
    ['b8g8r8a8', [0x40, 0x10, 0x20, 0x30], [0x10, 0x20, 0x30, 0x40]],
    ['r8g8b8x8', [0x99, 0x30, 0x20, 0x10], [0x10, 0x20, 0x30, 255]],
    ['r8g8b8a8', [0x40, 0x30, 0x20, 0x10], [0x10, 0x20, 0x30, 0x40]],
    ['r8g8b8', [0x30, 0x20, 0x10], [0x10, 0x20, 0x30, 255]],
    ['b8g8r8', [0x10, 0x20, 0x30], [0x10, 0x20, 0x30, 255]],
    ['r5g6b5', [0x00, 0xf8], [255, 0, 0, 255]],
    ['r5g6b5', [0xe0, 0x07], [0, 255, 0, 255]],
    ['r5g6b5', [0x10, 0x84], [0x84, 0x82, 0x84, 255]], // pixman widens by repeating the bits
    ['b5g6r5', [0x1f, 0x00], [255, 0, 0, 255]],
    ['x1r5g5b5', [0x1f, 0x80], [0, 0, 255, 255]],
    ['a1r5g5b5', [0x00, 0xfc], [255, 0, 0, 255]],
    ['a1r5g5b5', [0x00, 0x7c], [255, 0, 0, 0]],
    ['x2r10g10b10', [0xff, 0x03, 0x00, 0xc0], [0, 0, 255, 255]],
  ] as const)('%s %j is RGBA %j', (name, bytes, rgba) => {
    expect(decode(PixmanFormat[name], [...bytes])).toEqual(rgba);
  });

  it('refuses indexed, grey, YUV and unknown codes with a typed error naming the code', () => {
    for (const code of [0x08010008, 0x08040000 | 0x0888, 0x100f0000, 0x20000000, 0]) {
      expect(() => pixelLayout(code)).toThrow(UnsupportedPixelFormatError);
    }
    expect(() => pixelLayout(0x08010008)).toThrow(/0x08010008/);
  });
});

describe('Framebuffer', () => {
  const W = 4;
  const H = 3;
  const x8 = PixmanFormat.x8r8g8b8;
  const surface = (stride = W * 4) => {
    const data = Buffer.alloc(stride * H, 0xee);
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) data.writeUInt32LE(0x10000 * y + x, y * stride + x * 4);
    return data;
  };

  it('keeps a Scanout with padding in its stride, and applies Updates in place', () => {
    const fb = new Framebuffer();
    fb.scanout(W, H, W * 4 + 8, x8, surface(W * 4 + 8));
    expect([fb.width, fb.height, fb.format]).toEqual([W, H, x8]);
    const patch = Buffer.alloc(2 * 4 * 2);
    patch.writeUInt32LE(0x00aabbcc, 0);
    patch.writeUInt32LE(0x00ddeeff, 12);
    fb.update({ x: 1, y: 1, width: 2, height: 2 }, 8, x8, patch);
    const img = fb.toImage();
    const px = (x: number, y: number) => [
      ...img.data.subarray((y * W + x) * 3, (y * W + x) * 3 + 3),
    ];
    expect(px(0, 0)).toEqual([0, 0, 0]);
    expect(px(3, 2)).toEqual([2, 0, 3]);
    expect(px(1, 1)).toEqual([0xaa, 0xbb, 0xcc]);
    expect(px(2, 2)).toEqual([0xdd, 0xee, 0xff]);
    expect(px(2, 1)).toEqual([0, 0, 0]);
    expect(fb.generation).toBe(2);
  });

  it('converts an Update in another format into the surface format', () => {
    const fb = new Framebuffer();
    fb.scanout(W, H, W * 4, x8, surface());
    fb.update(
      { x: 0, y: 0, width: 1, height: 1 },
      2,
      PixmanFormat.r5g6b5,
      Buffer.from([0x00, 0xf8]),
    );
    expect([...fb.toImage().data.subarray(0, 3)]).toEqual([255, 0, 0]);
  });

  const refused = (fn: () => void): FramebufferError => {
    try {
      fn();
    } catch (e) {
      expect(e).toBeInstanceOf(FramebufferError);
      return e as FramebufferError;
    }
    throw new Error('accepted');
  };

  it('refuses bad Scanouts before allocating, and keeps the old surface', () => {
    const fb = new Framebuffer({ maxWidth: 100, maxHeight: 100, maxBytes: 1000 });
    fb.scanout(W, H, W * 4, x8, surface());
    expect(refused(() => fb.scanout(101, 1, 404, x8, Buffer.alloc(404))).code).toBe('too-large');
    expect(refused(() => fb.scanout(100, 100, 400, x8, Buffer.alloc(0))).code).toBe('short-data');
    expect(refused(() => fb.scanout(20, 20, 80, x8, Buffer.alloc(1600))).code).toBe('too-large');
    expect(refused(() => fb.scanout(4, 1, 15, x8, Buffer.alloc(16))).code).toBe('bad-stride');
    expect(refused(() => fb.scanout(4, 2, 16, x8, Buffer.alloc(31))).message).toMatch(
      /needs 32 bytes, got 31/,
    );
    expect(refused(() => fb.scanout(1, 1, 4, 0x08010008, Buffer.alloc(4))).code).toBe(
      'unsupported-format',
    );
    expect(refused(() => fb.scanout(-1, 1, 4, x8, Buffer.alloc(4))).code).toBe('too-large');
    expect([fb.width, fb.height]).toEqual([W, H]);
  });

  it('refuses Updates outside the surface, short, or before any Scanout', () => {
    const fb = new Framebuffer();
    expect(
      refused(() => fb.update({ x: 0, y: 0, width: 1, height: 1 }, 4, x8, Buffer.alloc(4))).code,
    ).toBe('no-surface');
    fb.scanout(W, H, W * 4, x8, surface());
    const before = fb.toImage().data;
    for (const [x, y, w, h] of [
      [3, 0, 2, 1],
      [0, 2, 1, 2],
      [-1, 0, 1, 1],
      [0, 0, 1.5, 1],
      [0x7fffffff, 0, 1, 1],
    ] as const) {
      expect(
        refused(() => fb.update({ x, y, width: w, height: h }, 64, x8, Buffer.alloc(64))).code,
      ).toBe('out-of-bounds');
    }
    expect(
      refused(() => fb.update({ x: 0, y: 0, width: 2, height: 2 }, 8, x8, Buffer.alloc(15))).code,
    ).toBe('short-data');
    expect(fb.toImage().data.equals(before)).toBe(true);
  });

  it('resize keeps the shared pixels, blacks the rest, and is bounded', () => {
    const fb = new Framebuffer({ maxWidth: 10, maxHeight: 10 });
    expect(refused(() => fb.resize(2, 2)).code).toBe('no-surface');
    fb.scanout(W, H, W * 4, x8, surface());
    fb.resize(2, 4);
    expect([fb.width, fb.height]).toEqual([2, 4]);
    const img = fb.toImage();
    expect([...img.data.subarray(3, 6)]).toEqual([0, 0, 1]); // (1,0) kept
    expect([...img.data.subarray(15, 18)]).toEqual([2, 0, 1]); // (1,2) kept
    expect([...img.data.subarray(18, 24)]).toEqual([0, 0, 0, 0, 0, 0]); // row 3 is new
    expect(refused(() => fb.resize(11, 1)).code).toBe('too-large');
    expect(refused(() => fb.resize(1.5, 1)).code).toBe('too-large');
  });
});
