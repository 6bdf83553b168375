#!/bin/sh
# Builds and runs a libFuzzer target for the picture decoders.
#   Fuzz/run-picture-fuzz.sh png|jpeg [SECONDS]   (default 15)
# Compiles the decoder sources (Sources/KioskDisplay/Pictures/{Decoding,Inflate,PNG,JPEG}
# and PNG/CRC32.swift) with the harness directly (no package change), with libFuzzer +
# AddressSanitizer. Exits non-zero when a crash, trap or sanitizer report is found; the
# reproducer is written under .build-fuzz/artifacts/.
set -eu
kind="${1:?usage: run-picture-fuzz.sh png|jpeg [SECONDS]}"
seconds="${2:-15}"
case "$kind" in
  png) flag=FUZZ_PNG; extra="-D FUZZ_NO_CHECKSUMS" ;;  # CRC and Adler-32 not checked: mutations reach the rows
  jpeg) flag=FUZZ_JPEG; extra="" ;;
  *) echo "run-picture-fuzz.sh: png or jpeg, not $kind" >&2; exit 64 ;;
esac
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${FUZZ_BUILD_DIR:-$root/.build-fuzz}"
pictures="$root/Sources/KioskDisplay/Pictures"
mkdir -p "$out/artifacts" "$out/corpus-$kind"
cp "$root"/Fuzz/corpus/"$kind"/* "$out/corpus-$kind/" 2>/dev/null || true

swiftc -parse-as-library -module-name KioskDisplay -D FUZZ_STANDALONE -D "$flag" $extra -O -g \
    -sanitize=fuzzer,address \
    "$pictures"/Decoding/*.swift "$pictures"/Inflate/*.swift "$pictures"/PNG/*.swift "$pictures"/JPEG/*.swift \
    "$root"/Sources/KioskDisplay/PNG/CRC32.swift \
    "$root"/Fuzz/PictureDecoderFuzz.swift \
    -o "$out/picture-$kind-fuzz"

SWIFT_BACKTRACE=enable=no "$out/picture-$kind-fuzz" \
    -max_total_time="$seconds" -max_len=8192 -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$out/artifacts/" -print_final_stats=1 \
    "$out/corpus-$kind"
