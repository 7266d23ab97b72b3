#!/usr/bin/env python3
"""Prints how many pixels of a PNG (8-bit RGB/RGBA, non-interlaced) are close to a colour,
and how many distinct colours it has: `png-colors.py FILE RRGGBB` -> "match=N distinct=M total=T".
Used by the browser test to tell a styled page from a blank or unstyled one."""
import struct
import sys
import zlib

path, target = sys.argv[1], sys.argv[2]
tr, tg, tb = int(target[0:2], 16), int(target[2:4], 16), int(target[4:6], 16)
data = open(path, "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
pos, idat, width, height, ctype = 8, b"", 0, 0, 0
while pos < len(data):
    length, kind = struct.unpack(">I4s", data[pos:pos + 8])
    chunk = data[pos + 8:pos + 8 + length]
    if kind == b"IHDR":
        width, height, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", chunk)
        assert depth == 8 and ctype in (2, 6) and interlace == 0, "unsupported PNG"
    elif kind == b"IDAT":
        idat += chunk
    pos += 12 + length
bpp = 4 if ctype == 6 else 3
raw = zlib.decompress(idat)
stride = width * bpp
prev = bytearray(stride)
match, colours, offset = 0, set(), 0
for _ in range(height):
    kind = raw[offset]
    row = bytearray(raw[offset + 1:offset + 1 + stride])
    offset += 1 + stride
    for i in range(stride):
        a = row[i - bpp] if i >= bpp else 0
        b = prev[i]
        c = prev[i - bpp] if i >= bpp else 0
        if kind == 1: row[i] = (row[i] + a) & 255
        elif kind == 2: row[i] = (row[i] + b) & 255
        elif kind == 3: row[i] = (row[i] + (a + b) // 2) & 255
        elif kind == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            row[i] = (row[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    for x in range(0, stride, bpp):
        r, g, bl = row[x], row[x + 1], row[x + 2]
        colours.add((r, g, bl))
        if abs(r - tr) < 24 and abs(g - tg) < 24 and abs(bl - tb) < 24:
            match += 1
    prev = row
print("match=%d distinct=%d total=%d" % (match, len(colours), width * height))
