#!/usr/bin/python3
"""An independent PNG reader for tests: checks the signature and every chunk's CRC (zlib.crc32),
inflates the IDATs, undoes all five row filters, and prints `WIDTH HEIGHT CHANNELS` then the raw
pixels (hex) on stdout. Only 8-bit RGB (colour type 2) and RGBA (6), no interlace."""
import struct
import sys
import zlib

data = open(sys.argv[1], 'rb').read()
if data[:8] != b'\x89PNG\r\n\x1a\n':
    sys.exit('bad signature')
pos = 8
idat = b''
ihdr = None
while pos < len(data):
    (length,) = struct.unpack('>I', data[pos:pos + 4])
    ctype = data[pos + 4:pos + 8]
    body = data[pos + 8:pos + 8 + length]
    (crc,) = struct.unpack('>I', data[pos + 8 + length:pos + 12 + length])
    if zlib.crc32(ctype + body) != crc:
        sys.exit('bad CRC in ' + ctype.decode())
    if ctype == b'IHDR':
        ihdr = struct.unpack('>IIBBBBB', body)
    elif ctype == b'IDAT':
        idat += body
    elif ctype == b'IEND':
        break
    pos += 12 + length
w, h, depth, colour, comp, filt, interlace = ihdr
if depth != 8 or colour not in (2, 6) or interlace != 0:
    sys.exit('unsupported PNG')
ch = 3 if colour == 2 else 4
raw = zlib.decompress(idat)
stride = w * ch
out = bytearray()
prev = bytearray(stride)
for y in range(h):
    f = raw[y * (stride + 1)]
    row = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = row[i - ch] if i >= ch else 0
        b = prev[i]
        c = prev[i - ch] if i >= ch else 0
        if f == 1:
            row[i] = (row[i] + a) & 255
        elif f == 2:
            row[i] = (row[i] + b) & 255
        elif f == 3:
            row[i] = (row[i] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            pr = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
            row[i] = (row[i] + pr) & 255
        elif f != 0:
            sys.exit('bad filter %d' % f)
    out += row
    prev = row
print(w, h, ch)
print(out.hex())
