// PNG encoder (read back by an independent Python reader that checks CRCs and undoes the
// filters) and the P6 PPM reader that QMP screendump output is compared with.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Image } from '../../display/framebuffer.js';
import { crc32, encodePng } from '../../display/png.js';
import { PpmError, readPpm } from '../../display/ppm.js';

const READER = path.resolve(import.meta.dirname, '../support/png-read.py');
const tmp = mkdtempSync(path.join(tmpdir(), 'display-png-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function readBack(png: Buffer): Image {
  const file = path.join(tmp, `${Math.random().toString(36).slice(2)}.png`);
  writeFileSync(file, png);
  const [head, hex] = execFileSync('/usr/bin/python3', [READER, file], { encoding: 'utf8' }).split(
    '\n',
  );
  const [width, height, channels] = head!.split(' ').map(Number);
  return {
    width: width!,
    height: height!,
    channels: channels as 3 | 4,
    data: Buffer.from(hex!, 'hex'),
  };
}

function noise(n: number, seed: number): Buffer {
  const b = Buffer.alloc(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    b[i] = s >>> 24;
  }
  return b;
}

describe('encodePng', () => {
  it('computes the standard CRC-32', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(crc32(Buffer.alloc(0))).toBe(0);
  });

  it.each([3, 4] as const)(
    'writes %i-channel images another reader decodes to the same pixels',
    (channels) => {
      const image: Image = {
        width: 37,
        height: 11,
        channels,
        data: noise(37 * 11 * channels, channels),
      };
      const back = readBack(encodePng(image));
      expect(back.width).toBe(37);
      expect(back.height).toBe(11);
      expect(back.channels).toBe(channels);
      expect(back.data.equals(image.data)).toBe(true);
    },
  );

  it('refuses an empty image and data shorter than the size says', () => {
    expect(() => encodePng({ width: 0, height: 1, channels: 3, data: Buffer.alloc(0) })).toThrow(
      /at least one pixel/,
    );
    expect(() => encodePng({ width: 2, height: 2, channels: 3, data: Buffer.alloc(11) })).toThrow(
      /needs 12 bytes, got 11/,
    );
  });
});

describe('readPpm', () => {
  it('reads the P6 header QEMU writes, with comments and other whitespace too', () => {
    const px = Buffer.from([1, 2, 3, 4, 5, 6]);
    const a = readPpm(Buffer.concat([Buffer.from('P6\n2 1\n255\n'), px]));
    expect(a).toEqual({ width: 2, height: 1, channels: 3, data: px });
    const b = readPpm(Buffer.concat([Buffer.from('P6 # made by hand\n 2\t1 # size\n255 '), px]));
    expect(b.data.equals(px)).toBe(true);
  });

  it('scales a maxval other than 255', () => {
    const img = readPpm(Buffer.concat([Buffer.from('P6\n1 1\n15\n'), Buffer.from([15, 0, 7])]));
    expect([...img.data]).toEqual([255, 0, 119]);
  });

  it.each([
    ['P3\n1 1\n255\n', /magic "P6"/],
    ['P6\nx 1\n255\n', /at byte 3: expected the width/],
    ['P6\n0 1\n255\n', /size 0×1/],
    ['P6\n1 1\n65535\n', /maxval 65535/],
    ['P6\n2 2\n255\n\0\0\0', /needs 12 pixel bytes, 3 remain/],
    ['P6\n99999 99999\n255\n', /outside 1\.\.65535/],
  ])('refuses %j with a located PpmError', (text, message) => {
    let err: unknown;
    try {
      readPpm(Buffer.from(text, 'latin1'));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PpmError);
    expect((err as Error).message).toMatch(message);
  });
});
