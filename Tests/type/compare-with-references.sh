#!/usr/bin/env bash
# The type engine against the reference implementations, on the shipped fonts:
#   Tests/type/compare-with-references.sh BUILD_DIR     (e.g. .build/debug)
# - compare_freetype.py: glyph coverage against FreeType (freetype-py) at 12, 24, 48 and
#   96 px and quarter-pixel phases, ink against the exact outline area (fontTools);
# - check_kerning.py: line widths with kerning against HarfBuzz (uharfbuzz).
# Needs BUILD_DIR/kiosk-type-probe (built by `swift build`). The Python packages go into
# a virtual environment under .build-venv/type (ignored by git), made once and reused.
set -euo pipefail
build="${1:?usage: compare-with-references.sh BUILD_DIR}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
venv="$root/.build-venv/type"
probe="$build/kiosk-type-probe"
[ -x "$probe" ] || { echo "compare-with-references: $probe not built (swift build --product kiosk-type-probe)" >&2; exit 2; }

if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import freetype, numpy, uharfbuzz, fontTools' 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check \
      freetype-py==2.5.1 numpy==2.4.6 uharfbuzz==0.57.0 fonttools==4.68.0
fi
"$venv/bin/python" -c 'import freetype, uharfbuzz; print("compare-with-references: FreeType %d.%d.%d, HarfBuzz %s" % (freetype.version() + (uharfbuzz.version_string(),)))'

fonts=("$root/assets/fonts/Lato-Regular.ttf" "$root/assets/fonts/Lato-Bold.ttf")
"$venv/bin/python" "$root/Tests/type/compare_freetype.py" "$probe" "${fonts[@]}" 2>&1 | grep -v "timestamp seems very low"
"$venv/bin/python" "$root/Tests/type/check_kerning.py" "$probe" "${fonts[@]}" "$root/assets/fonts/DejaVuSans.ttf"
