/**
 * A reader for binary PPM (P6) files, the format of QMP `screendump`: magic, width, height and
 * maxval as decimal numbers separated by whitespace (with `#` comments), one whitespace byte,
 * then the pixels. Only maxval 1..255 (one byte per sample) is read; a 16-bit PPM or a short
 * file is a {@link PpmError} that says where.
 */
import type { Image } from './framebuffer.js';

/** A PPM file that could not be read; `offset` is the byte where the problem is. */
export class PpmError extends Error {
  override readonly name = 'PpmError';
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`PPM at byte ${offset}: ${message}`);
  }
}

/** Largest width or height read (pixels): guards the allocation a header can ask for. */
export const MAX_PPM_SIDE = 65535;

/** Parses a P6 PPM into packed 8-bit RGB (maxval other than 255 is scaled to 0..255). */
export function readPpm(file: Uint8Array): Image {
  let at = 0;
  const isSpace = (c: number | undefined) =>
    c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0b || c === 0x0c;
  const number = (what: string): number => {
    for (;;) {
      while (isSpace(file[at])) at++;
      if (file[at] !== 0x23) break; // '#': comment to end of line
      while (at < file.length && file[at] !== 0x0a) at++;
    }
    const start = at;
    while (at < file.length && file[at]! >= 0x30 && file[at]! <= 0x39 && at - start < 10) at++;
    if (at === start) throw new PpmError(`expected the ${what} (a decimal number)`, start);
    return Number(Buffer.from(file.subarray(start, at)).toString('latin1'));
  };
  if (file[0] !== 0x50 || file[1] !== 0x36)
    throw new PpmError('not a binary PPM (magic "P6" missing)', 0);
  at = 2;
  const width = number('width');
  const height = number('height');
  const maxval = number('maxval');
  if (width < 1 || height < 1 || width > MAX_PPM_SIDE || height > MAX_PPM_SIDE) {
    throw new PpmError(`size ${width}×${height} is outside 1..${MAX_PPM_SIDE}`, 3);
  }
  if (maxval < 1 || maxval > 255) throw new PpmError(`maxval ${maxval} (only 1..255 is read)`, at);
  if (!isSpace(file[at])) throw new PpmError('expected one whitespace byte after maxval', at);
  at++;
  const bytes = width * height * 3;
  if (file.length - at < bytes) {
    throw new PpmError(
      `${width}×${height} needs ${bytes} pixel bytes, ${file.length - at} remain`,
      at,
    );
  }
  const data = Buffer.from(file.subarray(at, at + bytes));
  if (maxval !== 255)
    for (let i = 0; i < data.length; i++)
      data[i] = Math.round((Math.min(data[i]!, maxval) * 255) / maxval);
  return { width, height, channels: 3, data };
}
