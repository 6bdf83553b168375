#!/bin/sh
# Builds and runs the libFuzzer target for the TrueType reader and the glyph rasterizer.
#   Fuzz/run-font-fuzz.sh [SECONDS]   (default 15)
# Compiles the reader's and rasterizer's files from Sources/KioskDisplay/Type with the
# harness directly (no package change), with libFuzzer + AddressSanitizer. Exits non-zero
# when a crash, trap or sanitizer report is found; the reproducer is written under
# .build-fuzz/artifacts/.
set -eu
seconds="${1:-15}"
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${FUZZ_BUILD_DIR:-$root/.build-fuzz}"
type="$root/Sources/KioskDisplay/Type"
mkdir -p "$out/artifacts" "$out/corpus-font"
cp "$root"/Fuzz/corpus/font/* "$out/corpus-font/" 2>/dev/null || true

swiftc -parse-as-library -module-name KioskDisplay -D FUZZ_STANDALONE -O -g \
    -sanitize=fuzzer,address \
    "$type/FontError.swift" "$type/FontStorage.swift" "$type/FontTable.swift" "$type/FontFace.swift" \
    "$type/CharacterMap.swift" "$type/GlyphOutline.swift" "$type/OpenTypeLayout.swift" \
    "$type/PairKerning.swift" "$type/SingleSubstitution.swift" "$type/GlyphBitmap.swift" \
    "$type/GlyphRasterizer.swift" \
    "$root/Fuzz/FontFuzz.swift" \
    -o "$out/font-fuzz"

SWIFT_BACKTRACE=enable=no "$out/font-fuzz" \
    -max_total_time="$seconds" -max_len=16384 -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$out/artifacts/" -print_final_stats=1 \
    "$out/corpus-font"
