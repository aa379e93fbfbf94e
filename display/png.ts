/**
 * A PNG encoder for screenshots: 8-bit RGB or RGBA, no interlace, every row with filter type
 * 1 (Sub, which suits screen content), one IDAT compressed with node:zlib. The CRC-32 is
 * computed here (zlib.crc32 exists only from Node 20.15/22.2).
 */
import { deflateSync } from 'node:zlib';
import type { Image } from './framebuffer.js';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (ISO 3309, the one PNG and zlib use) of `bytes`. */
export function crc32(bytes: Uint8Array, crc = 0): number {
  let c = ~crc >>> 0;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.allocUnsafe(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** Options of {@link encodePng}. */
export interface PngOptions {
  /** zlib level 0..9 (default 6). */
  readonly level?: number;
}

/** Encodes an {@link Image} (packed 8-bit RGB or RGBA rows) as a PNG file. */
export function encodePng(image: Image, options: PngOptions = {}): Buffer {
  const { width, height, channels, data } = image;
  const rowBytes = width * channels;
  if (data.length < rowBytes * height) {
    throw new RangeError(
      `image ${width}×${height}×${channels} needs ${rowBytes * height} bytes, got ${data.length}`,
    );
  }
  if (width === 0 || height === 0) throw new RangeError('a PNG needs at least one pixel');
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = channels === 4 ? 6 : 2; // colour type: RGBA or RGB
  // compression 0, filter method 0, no interlace
  const raw = Buffer.allocUnsafe((rowBytes + 1) * height);
  for (let y = 0; y < height; y++) {
    const src = y * rowBytes;
    const dst = y * (rowBytes + 1);
    raw[dst] = 1; // Sub: each byte minus the same channel of the pixel to its left
    for (let i = 0; i < channels; i++) raw[dst + 1 + i] = data[src + i]!;
    for (let i = channels; i < rowBytes; i++)
      raw[dst + 1 + i] = (data[src + i]! - data[src + i - channels]!) & 0xff;
  }
  const idat = deflateSync(raw, { level: options.level ?? 6 });
  return Buffer.concat([
    SIGNATURE,
    chunk('IHDR', ihdr),
    chunk('IDAT', idat),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
