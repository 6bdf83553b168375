"""Checks the type engine's kerning and advances against HarfBuzz, the reference shaper.

Usage: check_kerning.py PROBE FONT... (PROBE is the built kiosk-type-probe)

HarfBuzz (uharfbuzz) shapes each string with the font's own GPOS `kern` feature
(ligatures and contextual alternates off, since the engine sets one glyph per
character); the sum of its advances, scaled to the size, must equal the engine's
`width(of:)` for the same string within 1/1000 px. The strings: the issue's pairs (AV,
Te, « À with its no-break space, Yo), other classic Latin pairs, French words, and every
ordered pair of a set of letters, figures and punctuation. The kerning itself is shown
for the named pairs (HarfBuzz with and without `kern`), so a font whose pairs did not
kern would be seen.
"""
import subprocess
import sys

import uharfbuzz as hb

SIZE = 100.0
NAMED = ["AV", "Te", "«\u00a0À", "« À", "Yo", "To", "LT", "Wa", "VA", "P.", "r,", "L’", "y.", "F,", "Av", "Yé"]
WORDS = ["Avez-vous vu « Tempête » ?", "Exposition « Lumières numériques »", "Ciné-club Écran Total",
         "Visite guidée du lieu — Départ du hall", "L’œuvre, cœur de VAT.", "Yvonne Wattrelos, 18:30–20:00 €"]
ALPHABET = "AVTYWLPFKRaeoyvwrç.,-«»’ÀÉ019:"
OFF = {"liga": False, "clig": False, "calt": False, "dlig": False, "rlig": False}


def harfbuzz_width(font, upem, text, kern=True):
    buf = hb.Buffer()
    buf.add_str(text)
    buf.guess_segment_properties()
    features = dict(OFF)
    features["kern"] = kern
    hb.shape(font, buf, features)
    return sum(p.x_advance for p in buf.glyph_positions) * SIZE / upem


def main():
    probe, fonts = sys.argv[1], sys.argv[2:]
    failures = checked = 0
    for path in fonts:
        name = path.split("/")[-1]
        blob = hb.Blob.from_file_path(path)
        face = hb.Face(blob)
        font = hb.Font(face)
        upem = face.upem
        texts = NAMED + WORDS + [a + b for a in ALPHABET for b in ALPHABET]
        request = "".join(f"width {SIZE} {t.encode().hex()}\n" for t in texts)
        out = subprocess.run([probe, path], input=request, capture_output=True, text=True, check=True).stdout
        ours = [float(line.split(" ")[2]) for line in out.splitlines()]
        kerned = 0
        for text, mine in zip(texts, ours):
            theirs = harfbuzz_width(font, upem, text)
            checked += 1
            if len(text) == 2 and abs(theirs - harfbuzz_width(font, upem, text, kern=False)) > 1e-9:
                kerned += 1
            if abs(mine - theirs) > 1e-3:
                failures += 1
                print(f"FAIL {name} {text!r}: ours {mine:.3f} px, HarfBuzz {theirs:.3f} px at {SIZE:g} px")
        print(f"{name}: named pairs at {SIZE:g} px (HarfBuzz kerned / unkerned / ours):")
        for text, mine in zip(texts[:len(NAMED)], ours):
            print(f"  {text!r:12} {harfbuzz_width(font, upem, text):8.2f} {harfbuzz_width(font, upem, text, kern=False):8.2f} {mine:8.2f}")
        print(f"  {kerned} of {len(ALPHABET) ** 2 + len(NAMED)} pairs are kerned by the font")
    print(f"check-kerning: {checked - failures} passed, {failures} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
