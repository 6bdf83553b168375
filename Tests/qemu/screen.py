"""Compares QEMU screendumps (PPM) with kioskctl render (PNG), standard library only.

  screen.py compare SCREEN.ppm EXPECTED.png DIFF.ppm [TAG [ROTATION]]
                                                       exit 0 when every pixel matches;
                                                       else writes DIFF with them in magenta;
                                                       ROTATION 90: EXPECTED is the picture of
                                                       `[screen] rotation = 90`, turned onto
                                                       the panel before comparing
  screen.py share A.ppm B.ppm                          prints the share of equal pixels
  screen.py black SCREEN.ppm                           prints the share of black pixels
"""
import struct
import sys
import zlib


def read_ppm(path):
    data = open(path, "rb").read()
    fields, i = [], 0
    while len(fields) < 4:
        while data[i:i + 1].isspace():
            i += 1
        if data[i:i + 1] == b"#":
            while data[i:i + 1] != b"\n":
                i += 1
            continue
        j = i
        while not data[j:j + 1].isspace():
            j += 1
        fields.append(data[i:j])
        i = j
    i += 1
    assert fields[0] == b"P6" and fields[3] == b"255", fields
    w, h = int(fields[1]), int(fields[2])
    return w, h, data[i:i + w * h * 3]


def read_png(path):
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    i, idat = 8, b""
    while i < len(data):
        n, kind = struct.unpack(">I4s", data[i:i + 8])
        body = data[i + 8:i + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and ctype in (2, 6), (depth, ctype)
        elif kind == b"IDAT":
            idat += body
        i += 12 + n
    raw = zlib.decompress(idat)
    bpp = 3 if ctype == 2 else 4
    stride = w * bpp
    out, prev = bytearray(), bytearray(stride)
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        prev = line
        if bpp == 4:
            for x in range(w):
                out += line[x * 4:x * 4 + 3]
        else:
            out += line
    return w, h, bytes(out)


def turned_quarter(w, h, picture):
    """The panel showing `picture` (w x h) with `[screen] rotation = 90`: the picture's
    pixel (x, y) is on the panel at (h - 1 - y, x); the panel is h wide and w high."""
    panel = bytearray(w * h * 3)
    for y in range(h):
        for x in range(w):
            o = (x * h + (h - 1 - y)) * 3
            panel[o:o + 3] = picture[(y * w + x) * 3:(y * w + x) * 3 + 3]
    return h, w, bytes(panel)


def compare(screen_path, expected_path, diff_path, tag, rotation="0"):
    sw, sh, screen = read_ppm(screen_path)
    ew, eh, expected = read_png(expected_path)
    if rotation == "90":
        ew, eh, expected = turned_quarter(ew, eh, expected)
    if (sw, sh) != (ew, eh):
        print(f"{tag}: FAIL: the screen is {sw}x{sh}, the render {ew}x{eh}", file=sys.stderr)
        return 1
    diff = [i // 3 for i in range(0, len(screen), 3) if screen[i:i + 3] != expected[i:i + 3]]
    if diff:
        xs = [p % sw for p in diff]
        ys = [p // sw for p in diff]
        print(f"{tag}: FAIL: {len(diff)} of {sw * sh} pixels differ, within x {min(xs)}..{max(xs)}, y {min(ys)}..{max(ys)}", file=sys.stderr)
        marked = bytearray(expected)
        for p in diff:
            marked[p * 3:p * 3 + 3] = b"\xff\x00\xff"
        open(diff_path, "wb").write(b"P6\n%d %d\n255\n" % (sw, sh) + bytes(marked))
        return 1
    print(f"{tag}: ok: {screen_path.rsplit('/', 1)[-1]} ({sw}x{sh}) matches kioskctl render pixel for pixel", file=sys.stderr)
    return 0


def share(a_path, b_path):
    a, b = read_ppm(a_path)[2], read_ppm(b_path)[2]
    n = min(len(a), len(b)) // 3
    samples = range(0, n, 7)
    return sum(a[k * 3:k * 3 + 3] == b[k * 3:k * 3 + 3] for k in samples) / max(1, len(samples))


def black(path):
    pixels = read_ppm(path)[2]
    n = len(pixels) // 3
    return sum(pixels[k * 3:k * 3 + 3] == b"\0\0\0" for k in range(n)) / max(1, n)


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "compare":
        sys.exit(compare(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5] if len(sys.argv) > 5 else "screen", sys.argv[6] if len(sys.argv) > 6 else "0"))
    elif command == "share":
        print(f"{share(sys.argv[2], sys.argv[3]):.4f}")
    elif command == "black":
        print(f"{black(sys.argv[2]):.4f}")
    else:
        sys.exit(f"unknown command {command}")
