"""The Pillow side of kiosk-bench's picture decoding figure.

  picture_peer.py --out DIR [--runs N]

Writes DIR/bench-1920x1080.jpg (quality 90, 4:2:0, baseline) and DIR/bench-1920x1080.png
(RGB, Pillow's default compression) from one deterministic picture (gradients, noise,
shapes: poster-like), then times Pillow decoding each N times (Image.open + load, after
one warm-up) and prints `jpeg.median_ms=`, `png.median_ms=` (and best) lines.
"""
import argparse
import io
import os
import time

from PIL import Image, ImageDraw


def picture():
    w, h = 1920, 1080
    across = Image.linear_gradient("L").rotate(90).resize((w, h))
    down = Image.linear_gradient("L").resize((w, h))
    noise = Image.effect_noise((w, h), 24).point(lambda v: v // 2 + 64)
    im = Image.merge("RGB", (across, down, noise))
    draw = ImageDraw.Draw(im)
    for i in range(12):
        x, y = 150 * i + 20, 80 + (i * 97) % 800
        draw.ellipse((x, y, x + 220, y + 220), fill=(230 - 15 * i, 40 + 15 * i, 90))
        draw.rectangle((x, 900 - i * 20, x + 120, 1000), fill=(20, 20 + 18 * i, 200))
    return im


def timed(data, runs):
    samples = []
    for i in range(runs + 1):
        start = time.perf_counter()
        im = Image.open(io.BytesIO(data))
        im.load()
        if i:
            samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return samples[len(samples) // 2], samples[0]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    im = picture()
    files = {}
    for kind, kw in (("jpeg", dict(format="JPEG", quality=90, subsampling=2)), ("png", dict(format="PNG"))):
        b = io.BytesIO()
        im.save(b, **kw)
        path = os.path.join(args.out, f"bench-1920x1080.{'jpg' if kind == 'jpeg' else 'png'}")
        open(path, "wb").write(b.getvalue())
        files[kind] = b.getvalue()
    for kind, data in files.items():
        median, best = timed(data, args.runs)
        print(f"{kind}.median_ms={median:.3f}")
        print(f"{kind}.best_ms={best:.3f}")
        print(f"{kind}.bytes={len(data)}")


if __name__ == "__main__":
    main()
