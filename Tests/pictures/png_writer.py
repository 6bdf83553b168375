"""A small PNG writer for the tests: every colour type and bit depth, Adam7, each filter
type, chosen compression (stored, fixed or dynamic Huffman blocks), IDAT split in pieces,
ancillary chunks. Pillow cannot write most of these, so we make them and let Pillow read
them as the reference decoder."""
import random
import struct
import zlib

ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}


def chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def pack_row(samples, depth):
    """samples: a flat list of integers for one row."""
    if depth == 8:
        return bytes(samples)
    if depth == 16:
        return b"".join(struct.pack(">H", s) for s in samples)
    out, acc, bits = bytearray(), 0, 0
    for s in samples:
        acc = (acc << depth) | s
        bits += depth
        if bits == 8:
            out.append(acc)
            acc, bits = 0, 0
    if bits:
        out.append(acc << (8 - bits))
    return bytes(out)


def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else (b if pb <= pc else c)


def filter_row(kind, row, prev, bpp):
    out = bytearray()
    for i, x in enumerate(row):
        a = row[i - bpp] if i >= bpp else 0
        b = prev[i] if prev is not None else 0
        c = prev[i - bpp] if prev is not None and i >= bpp else 0
        pred = [0, a, b, (a + b) // 2, paeth(a, b, c)][kind]
        out.append((x - pred) & 0xFF)
    return bytes([kind]) + bytes(out)


def encode(width, height, color_type, depth, pixels, interlace=False, palette=None, trns=None,
           compression="dynamic", rng=None, idat_pieces=3, extra_chunks=()):
    """pixels: pixels[y][x] is a tuple of CHANNELS[color_type] integers at `depth` bits."""
    rng = rng or random.Random(1)
    channels = CHANNELS[color_type]
    bpp = max(1, channels * depth // 8)
    passes = ADAM7 if interlace else [(0, 0, 1, 1)]
    raw = bytearray()
    for (x0, y0, dx, dy) in passes:
        prev = None
        for y in range(y0, height, dy):
            xs = list(range(x0, width, dx))
            if not xs:
                break
            samples = [s for x in xs for s in pixels[y][x]]
            row = pack_row(samples, depth)
            raw += filter_row(rng.randrange(5), row, prev, bpp)
            prev = row
    if compression == "stored":
        data = zlib.compress(bytes(raw), 0)
    elif compression == "fixed":
        c = zlib.compressobj(9, zlib.DEFLATED, 15, 9, zlib.Z_FIXED)
        data = c.compress(bytes(raw)) + c.flush()
    else:
        data = zlib.compress(bytes(raw), 9)
    out = b"\x89PNG\r\n\x1a\n"
    out += chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, depth, color_type, 0, 0, 1 if interlace else 0))
    out += chunk(b"gAMA", struct.pack(">I", 45455))
    for kind, body in extra_chunks:
        out += chunk(kind, body)
    if palette is not None:
        out += chunk(b"PLTE", b"".join(bytes(p) for p in palette))
    if trns is not None:
        out += chunk(b"tRNS", trns)
    step = max(1, len(data) // idat_pieces + 1)
    for i in range(0, len(data), step):
        out += chunk(b"IDAT", data[i:i + step])
    out += chunk(b"tEXt", b"Comment\x00made for kiosk's tests")
    out += chunk(b"IEND", b"")
    return out
