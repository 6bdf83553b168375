# Tiny demo logos for kiosk-config/demo/logos (palette PNGs drawn with plain Python, a few
# hundred bytes each): python3 kiosk-config/demo/logos/make-logos.py kiosk-config/demo/logos
import math, struct, zlib, sys, os
out = sys.argv[1]
os.makedirs(out, exist_ok=True)

def png(path, w, h, palette, pixels, transparent=None):
    raw = b"".join(b"\x00" + bytes(pixels[y*w:(y+1)*w]) for y in range(h))
    def chunk(t, d): return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 3, 0, 0, 0))
    data += chunk(b"PLTE", b"".join(bytes(c) for c in palette))
    if transparent is not None:
        data += chunk(b"tRNS", bytes(transparent))
    data += chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")
    open(os.path.join(out, path), "wb").write(data)

def draw(w, h, f):
    return [f(x + 0.5, y + 0.5) for y in range(h) for x in range(w)]

S = 96
# Distorsion: concentric rings (wave), magenta on black.
png("distorsion.png", S, S, [(20, 20, 28), (230, 40, 140)],
    draw(S, S, lambda x, y: 1 if int(math.hypot(x - S/2, y - S/2) / 8) % 2 == 0 and math.hypot(x - S/2, y - S/2) < 46 else 0))
# 360 secondes: a ring with a notch, on white.
def ring(x, y):
    r = math.hypot(x - S/2, y - S/2); a = math.atan2(y - S/2, x - S/2)
    return 1 if 28 < r < 42 and not (-0.35 < a < 0.0) else 0
png("360-secondes.png", S, S, [(255, 255, 255), (230, 90, 30)], draw(S, S, ring))
# Labora: a green hexagon on transparent.
def hexagon(x, y):
    dx, dy = abs(x - S/2), abs(y - S/2)
    return 1 if dy < 40 * math.sqrt(3) / 2 and dx < 40 - dy / math.sqrt(3) else 0
png("labora.png", S, S, [(0, 0, 0), (40, 160, 110)], draw(S, S, hexagon), transparent=[0, 255])
# Avant-Goût Studios: wide (2:1) blue band with three squares (a game controller).
W, H = 128, 64
def pads(x, y):
    if 6 < y < 58 and 4 < x < 124:
        if 20 < y < 44 and (18 < x < 42 or 86 < x < 98 or 104 < x < 116): return 2
        return 1
    return 0
png("avant-gout.png", W, H, [(255, 255, 255), (40, 70, 200), (250, 220, 60)], draw(W, H, pads), transparent=[0, 255, 255])
# Le Normographe: black letter-like bars (a stencil N).
def stencil(x, y):
    if not (16 < y < 80): return 0
    if 18 < x < 32 or 64 < x < 78: return 1
    t = (y - 16) / 64
    return 1 if abs(x - (26 + t * 44)) < 7 else 0
png("le-normographe.png", S, S, [(245, 240, 230), (20, 20, 20)], draw(S, S, stencil))
# Cabaroc: a red circus tent (triangle) with a yellow flag.
def tent(x, y):
    if 14 < y < 24 and 48 < x < 62: return 2
    if 22 < y < 82 and abs(x - S/2) < (y - 22) * 0.7: return 1 if int((x - S/2 + 60) / 10) % 2 == 0 else 3
    return 0
png("cabaroc.png", S, S, [(0, 0, 0), (210, 30, 40), (250, 200, 40), (255, 255, 255)], draw(S, S, tent), transparent=[0, 255, 255, 255])
# Écran Total: a cinema screen (wide rectangle) in a dark frame.
W2, H2 = 120, 72
def screen(x, y):
    if 8 < x < 112 and 8 < y < 64: return 2 if 14 < x < 106 and 14 < y < 58 else 1
    return 0
png("ecran-total.png", W2, H2, [(255, 255, 255), (30, 30, 40), (240, 200, 80)], draw(W2, H2, screen), transparent=[0, 255, 255])
# Ondes Courtes: three radio arcs.
def arcs(x, y):
    r = math.hypot(x - 20, y - 76); a = math.atan2(76 - y, x - 20)
    return 1 if 0 < a < math.pi / 2 and any(abs(r - k) < 5 for k in (22, 42, 62)) else 0
png("ondes-courtes.png", S, S, [(255, 255, 255), (120, 60, 170)], draw(S, S, arcs), transparent=[0, 255])
