"""Checks kiosk's PNG and JPEG decoders against Pillow (run by check-pictures.sh).

  check_pictures.py --tool .build/debug/kiosk-pictures --work DIR

PNG: every colour type x bit depth x interlace (plus tRNS, palettes with alpha, stored /
fixed / dynamic deflate blocks, every filter type), written by png_writer.py, must decode
pixel-exact to what Pillow reads. JPEG: baseline, progressive, SOF1, each subsampling,
restart markers, greyscale, CMYK, EXIF orientations 1-8, written by Pillow (and cjpeg for
4:4:0 when it is installed), within TOLERANCE per channel of Pillow's decoding. Then
adversarial files: truncations at every 1/16, a 100000x100000 PNG header, a zlib bomb, a
JPEG declaring a huge size: errors, with the decoding process's peak memory bounded.
Prints one line per check and ends with "N passed, N failed".
"""
import argparse
import io
import os
import random
import shutil
import struct
import subprocess
import sys
import zlib

from PIL import Image, ImageOps

import png_writer as pw

# Largest difference allowed per channel between our JPEG decoding and Pillow's
# (libjpeg-turbo, islow IDCT, fancy upsampling), and the largest mean difference.
TOLERANCE_MAX = 3
TOLERANCE_MEAN = 0.5
# DCT-scaled decodes against Pillow's full decode box-averaged (see check_jpeg_reduced).
REDUCED_MAX = 8
REDUCED_MEAN = 1.0

passed = failed = 0


def report(ok, name, detail=""):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
    print(f"{'ok  ' if ok else 'FAIL'} {name}{': ' + detail if detail else ''}")


def decode_all(tool, paths, out_dir, extra=()):
    os.makedirs(out_dir, exist_ok=True)
    for i in range(0, len(paths), 200):
        subprocess.run([tool, "decode", *extra, "--out-dir", out_dir, *paths[i:i + 200]],
                       check=True, stdout=subprocess.DEVNULL)


def ours(out_dir, path):
    """(width, height, rgba bytes) or the error text."""
    name = os.path.join(out_dir, os.path.basename(path))
    if os.path.exists(name + ".rgba"):
        data = open(name + ".rgba", "rb").read()
        w, h = struct.unpack(">II", data[:8])
        return w, h, data[8:]
    if os.path.exists(name + ".err"):
        return open(name + ".err").read().strip()
    return "no output (the tool crashed?)"


# --- PNG ---------------------------------------------------------------------------------

def png_cases(rng):
    cases = []
    sizes = [(37, 23), (1, 1), (3, 9), (8, 8), (130, 3)]
    compressions = ["dynamic", "fixed", "stored"]
    n = 0
    for ct, depths in [(0, [1, 2, 4, 8, 16]), (2, [8, 16]), (3, [1, 2, 4, 8]), (4, [8, 16]), (6, [8, 16])]:
        for depth in depths:
            for interlace in (False, True):
                for variant in ("plain", "trns"):
                    if variant == "trns" and ct in (4, 6):
                        continue
                    for (w, h) in sizes if variant == "plain" else sizes[:1]:
                        n += 1
                        channels = pw.CHANNELS[ct]
                        top = (1 << depth) - 1
                        palette = trns = None
                        if ct == 3:
                            count = min(1 << depth, 200)
                            palette = [(rng.randrange(256), rng.randrange(256), rng.randrange(256)) for _ in range(count)]
                            top = count - 1
                            if variant == "trns":
                                trns = bytes(rng.randrange(256) for _ in range(max(1, count // 2)))
                        px = [[tuple(rng.randrange(top + 1) for _ in range(channels)) for _ in range(w)] for _ in range(h)]
                        key = None
                        if variant == "trns" and ct in (0, 2):
                            key = px[h // 2][w // 2]
                            for y in range(0, h, 3):
                                px[y][(y * 7) % w] = key
                            trns = b"".join(struct.pack(">H", s) for s in key)
                        name = f"png-ct{ct}-d{depth}-{'adam7' if interlace else 'plain'}-{variant}-{w}x{h}.png"
                        data = pw.encode(w, h, ct, depth, px, interlace=interlace, palette=palette, trns=trns,
                                         compression=compressions[n % 3], rng=rng,
                                         extra_chunks=[(b"zzZz", b"private ancillary"), (b"acTL", struct.pack(">II", 1, 0))])
                        cases.append((name, data, px, ct, depth, key))
    return cases


def pillow_png_rgba(path, px, ct, depth, key):
    im = Image.open(path)
    im.load()
    w, h = im.size
    out = bytearray()
    if im.mode in ("P", "PA"):
        rgba = im.convert("RGBA")
        return w, h, rgba.tobytes()
    if im.mode in ("LA", "RGB", "RGBA"):
        rgba = im.convert("RGBA").tobytes() if im.mode != "RGB" else None
        if im.mode == "RGB":
            rgb = im.tobytes()
            for i in range(w * h):
                x, y = i % w, i // w
                a = 0 if key is not None and px[y][x] == key else 255
                out += rgb[3 * i:3 * i + 3] + bytes([a])
            return w, h, bytes(out)
        return w, h, rgba
    # Grey: "1", "L" (1, 2, 4 or 8 bits, scaled by Pillow) or "I;16" (full 16 bits).
    values = list(im.getdata()) if not hasattr(im, "get_flattened_data") else list(im.get_flattened_data())
    for i, v in enumerate(values):
        g = v >> 8 if depth == 16 else (255 if (im.mode == "1" and v) else v)
        x, y = i % w, i // w
        # Pillow keeps the tRNS key (info["transparency"]) but applies it only to 8-bit
        # grey; the key is compared here with the sample at its own bit depth.
        a = 0 if key is not None and px[y][x] == key else 255
        out += bytes([g, g, g, a])
    return w, h, bytes(out)


def check_png(tool, work, rng):
    cases = png_cases(rng)
    src = os.path.join(work, "png")
    os.makedirs(src, exist_ok=True)
    paths = []
    for name, data, *_ in cases:
        path = os.path.join(src, name)
        open(path, "wb").write(data)
        paths.append(path)
    out = os.path.join(work, "png-out")
    decode_all(tool, paths, out)
    for (name, data, px, ct, depth, key), path in zip(cases, paths):
        if key is not None:
            info = Image.open(path).info.get("transparency")
            # Pillow reports a 1-bit image's key scaled to its "1" mode (1 -> 255).
            expected_key = (key[0] * 255 if depth == 1 else key[0]) if ct == 0 else tuple(key)
            if info != expected_key:
                report(False, name, f"Pillow reads the tRNS key as {info}, written {expected_key}")
                continue
        ref = pillow_png_rgba(path, px, ct, depth, key)
        got = ours(out, path)
        if isinstance(got, str):
            report(False, name, got)
        elif got[:2] != ref[:2]:
            report(False, name, f"size {got[:2]} != {ref[:2]}")
        else:
            diffs = sum(1 for a, b in zip(got[2], ref[2]) if a != b)
            report(diffs == 0, name, "" if diffs == 0 else f"{diffs} bytes differ from Pillow")
    return paths


# --- JPEG --------------------------------------------------------------------------------

def test_photo(w, h, seed):
    """A deterministic picture with smooth gradients, hard edges, saturated colour and noise."""
    rng = random.Random(seed)
    im = Image.new("RGB", (w, h))
    pixels = im.load()
    for y in range(h):
        for x in range(w):
            r = (x * 255) // max(1, w - 1)
            g = (y * 255) // max(1, h - 1)
            b = 255 - (r + g) // 2
            if (x // 16 + y // 16) % 5 == 0:
                r, g, b = 230, 20, 40
            if (x - w // 2) ** 2 + (y - h // 2) ** 2 < (min(w, h) // 4) ** 2:
                r, g, b = 20, 60, 220
            n = rng.randrange(-12, 13)
            pixels[x, y] = (max(0, min(255, r + n)), max(0, min(255, g + n)), max(0, min(255, b + n)))
    return im


def jpeg_cases(work):
    cases = []
    photo = test_photo(203, 157, 7)
    big = test_photo(640, 480, 8)

    def save(name, im, **kw):
        b = io.BytesIO()
        im.save(b, "JPEG", quality=kw.pop("quality", 90), **kw)
        cases.append((name, b.getvalue()))
        return b.getvalue()

    for sub_name, sub in (("444", 0), ("422", 1), ("420", 2)):
        save(f"jpeg-baseline-{sub_name}.jpg", photo, subsampling=sub)
        save(f"jpeg-progressive-{sub_name}.jpg", photo, subsampling=sub, progressive=True)
        save(f"jpeg-restart-{sub_name}.jpg", photo, subsampling=sub, restart_marker_blocks=3)
        save(f"jpeg-progressive-restart-{sub_name}.jpg", photo, subsampling=sub, progressive=True, restart_marker_blocks=2)
    save("jpeg-big-420.jpg", big, subsampling=2)
    save("jpeg-big-progressive-420.jpg", big, subsampling=2, progressive=True, optimize=True)
    save("jpeg-quality-50-422.jpg", photo, subsampling=1, quality=50)
    save("jpeg-quality-100-444.jpg", photo, subsampling=0, quality=100)
    base = save("jpeg-optimized-420.jpg", photo, subsampling=2, optimize=True)
    # SOF1 (extended sequential, 8-bit Huffman) decodes as baseline: same file, other marker.
    i = base.index(b"\xff\xc0")
    cases.append(("jpeg-sof1-420.jpg", base[:i] + b"\xff\xc1" + base[i + 2:]))
    grey = photo.convert("L")
    save("jpeg-grey.jpg", grey)
    save("jpeg-grey-progressive.jpg", grey, progressive=True)
    save("jpeg-grey-restart.jpg", grey, restart_marker_blocks=5)
    save("jpeg-cmyk.jpg", photo.convert("CMYK"))
    save("jpeg-cmyk-progressive.jpg", photo.convert("CMYK"), progressive=True)
    small = test_photo(61, 37, 9)
    for orientation in range(1, 9):
        exif = Image.Exif()
        exif[0x0112] = orientation
        save(f"jpeg-exif-orientation-{orientation}.jpg", small, subsampling=2, exif=exif.tobytes())
    if shutil.which("cjpeg"):
        ppm = os.path.join(work, "photo.ppm")
        photo.save(ppm)
        for name, args in (("jpeg-cjpeg-440.jpg", ["-sample", "1x2"]),
                           ("jpeg-cjpeg-440-progressive.jpg", ["-sample", "1x2", "-progressive"]),
                           ("jpeg-cjpeg-411.jpg", ["-sample", "4x1"]),
                           ("jpeg-cjpeg-restart-rows.jpg", ["-sample", "2x2", "-restart", "1"])):
            data = subprocess.run(["cjpeg", "-quality", "90", *args, ppm], check=True, capture_output=True).stdout
            cases.append((name, data))
    else:
        print("note: cjpeg (libjpeg-turbo-progs) not installed: no 4:4:0 file")
    return cases


def check_jpeg(tool, work):
    cases = jpeg_cases(work)
    src = os.path.join(work, "jpeg")
    os.makedirs(src, exist_ok=True)
    paths = []
    for name, data in cases:
        path = os.path.join(src, name)
        open(path, "wb").write(data)
        paths.append(path)
    out = os.path.join(work, "jpeg-out")
    decode_all(tool, paths, out)
    worst = 0
    for path in paths:
        name = os.path.basename(path)
        im = Image.open(path)
        im = ImageOps.exif_transpose(im)
        ref = im.convert("RGBA")
        got = ours(out, path)
        if isinstance(got, str):
            report(False, name, got)
            continue
        if got[:2] != ref.size:
            report(False, name, f"size {got[:2]} != Pillow's {ref.size}")
            continue
        a, b = got[2], ref.tobytes()
        diffs = [abs(a[i] - b[i]) for i in range(len(a)) if i % 4 != 3]
        alpha_ok = all(a[i] == 255 for i in range(3, len(a), 4))
        biggest, mean = max(diffs), sum(diffs) / len(diffs)
        worst = max(worst, biggest)
        ok = biggest <= TOLERANCE_MAX and mean <= TOLERANCE_MEAN and alpha_ok
        report(ok, name, f"max difference {biggest}, mean {mean:.3f} per channel")
    print(f"JPEG: largest difference from Pillow {worst} (tolerance {TOLERANCE_MAX}, mean {TOLERANCE_MEAN})")
    return paths


def smooth_photo(w, h):
    """Gradients only: what DCT scaling keeps almost exactly, whatever the subsampling."""
    im = Image.new("RGB", (w, h))
    pixels = im.load()
    for y in range(h):
        for x in range(w):
            pixels[x, y] = ((x * 255) // (w - 1), (y * 255) // (h - 1), 255 - ((x + y) * 255) // (w + h - 2))
    return im


def check_jpeg_reduced(tool, work, jpeg_paths):
    """DCT-scaled decoding (what the renderer asks for a picture shown small): files decoded
    at 1/2, 1/4 and 1/8 against Pillow's full decode averaged over the same squares
    (Image.reduce), the true small picture. Smooth files must be within REDUCED_MAX /
    REDUCED_MEAN of it. On the test photo's hard saturated edges, subsampled chroma at 1/8
    holds one colour per 16 pixels, so colours bleed whoever decodes: there we ask to be
    no further from the true small picture, on average, than libjpeg's own DCT-scaled
    decoding (Pillow's draft mode) is."""
    src = os.path.join(work, "jpeg-reduced")
    os.makedirs(src, exist_ok=True)
    smooth = []
    for sub_name, sub, progressive in (("444", 0, False), ("420", 2, False), ("422-progressive", 1, True)):
        path = os.path.join(src, f"jpeg-smooth-{sub_name}.jpg")
        smooth_photo(323, 241).save(path, "JPEG", quality=90, subsampling=sub, progressive=progressive)
        smooth.append(path)
    picks = smooth + [p for p in jpeg_paths if os.path.basename(p) in (
        "jpeg-baseline-444.jpg", "jpeg-baseline-420.jpg", "jpeg-progressive-422.jpg", "jpeg-restart-420.jpg",
        "jpeg-big-420.jpg", "jpeg-big-progressive-420.jpg", "jpeg-grey.jpg", "jpeg-cmyk.jpg",
        "jpeg-exif-orientation-6.jpg", "jpeg-cjpeg-440.jpg")]

    def difference(a, b):
        diffs = [abs(a[i] - b[i]) for i in range(len(a)) if i % 4 != 3]
        return max(diffs), sum(diffs) / len(diffs)

    worst = 0
    for scale in (2, 4, 8):
        for path in picks:
            im = ImageOps.exif_transpose(Image.open(path)).convert("RGB")
            w, h = im.size
            want = ((w + scale - 1) // scale, (h + scale - 1) // scale)
            out = os.path.join(work, f"jpeg-reduced-{scale}")
            decode_all(tool, [path], out, ("--at-least", f"{want[0]}x{want[1]}"))
            name = f"{os.path.basename(path)} at 1/{scale}"
            got = ours(out, path)
            if isinstance(got, str):
                report(False, name, got)
                continue
            ref = im.reduce(scale).convert("RGBA").tobytes()
            if got[:2] != want:
                report(False, name, f"size {got[:2]} != {want}")
                continue
            biggest, mean = difference(got[2], ref)
            if path in smooth or "444" in path or "grey" in path or "cmyk" in path:
                worst = max(worst, biggest)
                report(biggest <= REDUCED_MAX and mean <= REDUCED_MEAN, name, f"max difference {biggest}, mean {mean:.3f} per channel")
            else:
                draft = Image.open(path)
                draft.draft("RGB", (draft.size[0] // scale, draft.size[1] // scale))
                draft = ImageOps.exif_transpose(draft).convert("RGBA")
                libjpeg = difference(draft.tobytes(), ref) if draft.size == want else None
                ok = libjpeg is not None and mean <= libjpeg[1] + 0.25
                report(ok, name, f"max difference {biggest}, mean {mean:.3f} (libjpeg scaled: " +
                       (f"max {libjpeg[0]}, mean {libjpeg[1]:.3f})" if libjpeg else f"size {draft.size})"))
    print(f"JPEG reduced, smooth or unsubsampled: largest difference {worst} (tolerance {REDUCED_MAX}, mean {REDUCED_MEAN})")


# --- Adversarial -------------------------------------------------------------------------

def peak(tool, path, *extra):
    r = subprocess.run([tool, "peak", *extra, path], capture_output=True, text=True)
    lines = r.stdout.strip().splitlines()
    kib = int(lines[-1].split("=")[1]) if lines and lines[-1].startswith("peak_kib=") else -1
    return (lines[0] if lines else f"exit {r.returncode}: {r.stderr.strip()[-200:]}"), kib


def check_adversarial(tool, work, png_paths, jpeg_paths):
    src = os.path.join(work, "bad")
    os.makedirs(src, exist_ok=True)
    # Truncations at every 1/16 of the length.
    picks = [p for p in png_paths if "ct6-d8-adam7-plain-37x23" in p or "ct2-d16-plain-plain-37x23" in p or "ct3-d4-adam7-trns" in p]
    picks += [p for p in jpeg_paths if os.path.basename(p) in ("jpeg-baseline-420.jpg", "jpeg-progressive-420.jpg", "jpeg-restart-422.jpg", "jpeg-grey-progressive.jpg")]
    cut_paths = []
    for path in picks:
        data = open(path, "rb").read()
        for k in range(1, 16):
            cut = os.path.join(src, f"cut{k:02d}-{os.path.basename(path)}")
            open(cut, "wb").write(data[:len(data) * k // 16])
            cut_paths.append(cut)
    out = os.path.join(work, "bad-out")
    decode_all(tool, cut_paths, out)
    bad = [os.path.basename(p) + ": " + (ours(out, p) if isinstance(ours(out, p), str) else "decoded") for p in cut_paths if not isinstance(ours(out, p), str) or "crashed" in ours(out, p)]
    report(not bad, f"{len(cut_paths)} truncated files are errors", "; ".join(bad[:5]))

    # Bounded memory: the baseline is the peak of decoding a tiny valid file.
    tiny = next(p for p in png_paths if "1x1" in p)
    _, baseline = peak(tool, tiny)
    allowance = 16 * 1024  # KiB above the baseline

    def huge_png(w, h, raw_len, name):
        ihdr = struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0)
        c = zlib.compressobj(9)
        body = bytearray()
        zero = bytes(1 << 20)
        left = raw_len
        while left > 0:
            body += c.compress(zero[:min(left, len(zero))])
            left -= len(zero)
        body += c.flush()
        data = b"\x89PNG\r\n\x1a\n" + pw.chunk(b"IHDR", ihdr) + pw.chunk(b"IDAT", bytes(body)) + pw.chunk(b"IEND", b"")
        path = os.path.join(src, name)
        open(path, "wb").write(data)
        return path

    for path, why in ((huge_png(100000, 100000, 1 << 20, "png-header-100000x100000.png"), "100000x100000 header"),
                      (huge_png(8192, 8192, 1 << 20, "png-header-8192x8192.png"), "8192x8192 (268 MB decoded) header"),
                      (huge_png(1000, 1000, 1 << 30, "png-zlib-bomb.png"), "zlib bomb: 1000x1000 declared, 1 GiB inflated")):
        result, kib = peak(tool, path)
        ok = result.startswith("error") and 0 < kib <= baseline + allowance + (4 * 1024 if "bomb" in why else 0)
        report(ok, why, f"{result}; peak {kib} KiB (tiny file: {baseline} KiB)")

    base = open(next(p for p in jpeg_paths if p.endswith("jpeg-baseline-420.jpg")), "rb").read()
    i = base.index(b"\xff\xc0")
    for w, h in ((60000, 60000), (8000, 8000), (65535, 1)):
        data = base[:i + 5] + struct.pack(">HH", h, w) + base[i + 9:]
        path = os.path.join(src, f"jpeg-declares-{w}x{h}.jpg")
        open(path, "wb").write(data)
        result, kib = peak(tool, path)
        ok = result.startswith("error") and 0 < kib <= baseline + allowance
        report(ok, f"JPEG declaring {w}x{h}", f"{result}; peak {kib} KiB")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tool", required=True)
    parser.add_argument("--work", required=True)
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    rng = random.Random(16)
    png_paths = check_png(args.tool, args.work, rng)
    jpeg_paths = check_jpeg(args.tool, args.work)
    check_jpeg_reduced(args.tool, args.work, jpeg_paths)
    check_adversarial(args.tool, args.work, png_paths, jpeg_paths)
    print(f"pictures: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
