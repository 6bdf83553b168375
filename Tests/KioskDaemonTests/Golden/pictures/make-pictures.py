# The pictures of PictureGoldenTests (Tests/KioskDaemonTests/Framebuffer/), made with
# Pillow and the shipped Lato; run from this folder with Tests/pictures' virtual environment:
#   ../../../../.build-venv/pictures/bin/python make-pictures.py
from PIL import Image, ImageDraw, ImageFont
import os, random
FONTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../../assets/fonts")
def font(size, bold=True):
    return ImageFont.truetype(os.path.join(FONTS, "Lato-Bold.ttf" if bold else "Lato-Regular.ttf"), size)
# Logo: transparent background, two overlapping discs and a wordmark.
logo = Image.new("RGBA", (520, 160), (0, 0, 0, 0))
d = ImageDraw.Draw(logo)
d.ellipse((8, 8, 152, 152), fill=(232, 93, 4, 255))
d.ellipse((70, 30, 170, 130), fill=(255, 186, 8, 210))
d.text((190, 22), "mixeur", font=font(80), fill=(255, 255, 255, 255))
d.text((194, 110), "créer · partager", font=font(30, bold=False), fill=(255, 220, 160, 235))
logo.save("logo.png", optimize=True)

def photo(w, h, seed, hue):
    rng = random.Random(seed)
    im = Image.new("RGB", (w, h))
    px = im.load()
    for y in range(h):
        for x in range(w):
            t = y / h
            r = int(hue[0] * (1 - t) + 20 * t); g = int(hue[1] * (1 - t) + 10 * t); b = int(hue[2] * (1 - t) + 60 * t)
            px[x, y] = (r, g, b)
    d = ImageDraw.Draw(im, "RGBA")
    for _ in range(14):
        cx, cy, rad = rng.randrange(w), rng.randrange(h // 2), rng.randrange(w // 20, w // 6)
        col = (rng.randrange(150, 256), rng.randrange(80, 220), rng.randrange(40, 200), 90)
        d.ellipse((cx - rad, cy - rad, cx + rad, cy + rad), fill=col)
    # A stage / table silhouette.
    d.rectangle((0, int(h * 0.78), w, h), fill=(15, 12, 25, 255))
    for i in range(7):
        x = int(w * (0.12 + i * 0.12)); hh = int(h * (0.18 + 0.05 * (i % 3)))
        d.ellipse((x - h // 30, int(h * 0.78) - hh - h // 15, x + h // 30, int(h * 0.78) - hh), fill=(10, 8, 20, 255))
        d.rectangle((x - h // 22, int(h * 0.78) - hh, x + h // 22, int(h * 0.8)), fill=(10, 8, 20, 255))
    return im
# Conference: baseline 4:2:0 JPEG, landscape.
photo(1600, 900, 1, (40, 90, 170)).save("event-conference.jpg", quality=82, subsampling=2)
# Screening: a landscape picture stored sideways with EXIF orientation 6 (as a phone writes it), progressive.
scr = photo(1280, 720, 2, (150, 40, 90))
stored = scr.transpose(Image.Transpose.ROTATE_90)  # orientation 6 means: rotate 90 CW to show
exif = Image.Exif(); exif[0x0112] = 6
stored.save("event-screening.jpg", quality=80, subsampling=2, progressive=True, exif=exif.tobytes())
# Concert: a PNG.
photo(960, 640, 3, (200, 140, 30)).save("event-concert.png", optimize=True)
# Poster: A-series portrait, big type, 4:2:0 JPEG.
w, h = 1240, 1754
poster = Image.new("RGB", (w, h), (245, 236, 220))
d = ImageDraw.Draw(poster)
for i in range(12):
    d.ellipse((w // 2 - 60 * (12 - i), 620 - 60 * (12 - i), w // 2 + 60 * (12 - i), 620 + 60 * (12 - i)),
              fill=[(230, 57, 70), (29, 53, 87), (69, 123, 157), (168, 218, 220)][i % 4])
d.text((w // 2, 1330), "FESTIVAL", font=font(190), fill=(29, 53, 87), anchor="mm")
d.text((w // 2, 1500), "des arts numériques", font=font(84), fill=(230, 57, 70), anchor="mm")
d.text((w // 2, 1640), "27 — 29 novembre", font=font(70), fill=(29, 53, 87), anchor="mm")
poster.save("poster-festival.jpg", quality=80, subsampling=2)
