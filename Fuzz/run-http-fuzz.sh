#!/bin/sh
# Builds and runs the libFuzzer target for the HTTP request parser.
#   Fuzz/run-http-fuzz.sh [SECONDS]   (default 20)
# Compiles Sources/KioskCore/HTTP/*.swift with the harness directly (no package change),
# with libFuzzer + AddressSanitizer. Exits non-zero when a crash, trap or sanitizer report is
# found; the reproducer is written under .build-fuzz/artifacts/.
set -eu
seconds="${1:-20}"
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${FUZZ_BUILD_DIR:-$root/.build-fuzz}"
mkdir -p "$out/artifacts" "$out/corpus-http"
cp "$root"/Fuzz/corpus/http/* "$out/corpus-http/" 2>/dev/null || true

swiftc -parse-as-library -module-name KioskCore -D FUZZ_STANDALONE -O -g \
    -sanitize=fuzzer,address \
    "$root"/Sources/KioskCore/HTTP/*.swift "$root"/Sources/KioskCore/Time/*.swift \
    "$root"/Fuzz/HTTPRequestParserFuzz.swift \
    -o "$out/http-request-parser-fuzz"

SWIFT_BACKTRACE=enable=no "$out/http-request-parser-fuzz" \
    -max_total_time="$seconds" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$out/artifacts/" -print_final_stats=1 \
    "$out/corpus-http"
