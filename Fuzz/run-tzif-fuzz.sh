#!/bin/sh
# Builds and runs the libFuzzer target for the time-zone readers: TZif files (RFC 8536)
# and POSIX TZ strings (their footers).
#   Fuzz/run-tzif-fuzz.sh [SECONDS]   (default 10)
# Compiles Sources/KioskCore/Time/*.swift with the harness directly (no package change),
# with libFuzzer + AddressSanitizer; seeds are real zone files of /usr/share/zoneinfo and
# the TZ strings in Fuzz/corpus/tzif/. Exits non-zero when a crash, trap or sanitizer
# report is found; the reproducer is written under .build-fuzz/artifacts/tzif-*.
set -eu
seconds="${1:-10}"
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${FUZZ_BUILD_DIR:-$root/.build-fuzz}"
mkdir -p "$out/artifacts" "$out/corpus-tzif"
cp "$root"/Fuzz/corpus/tzif/* "$out/corpus-tzif/" 2>/dev/null || true
# A few real files, each behind the selector byte 0 (TZif).
for zone in Europe/Paris America/Sao_Paulo Australia/Lord_Howe America/Nuuk Asia/Tehran UTC; do
    f="/usr/share/zoneinfo/$zone"
    [ -f "$f" ] && { printf '\000'; cat "$f"; } > "$out/corpus-tzif/zone-$(echo "$zone" | tr / -)"
done

swiftc -parse-as-library -module-name KioskCore -D FUZZ_STANDALONE -O -g \
    -sanitize=fuzzer,address \
    "$root"/Sources/KioskCore/Time/*.swift "$root"/Fuzz/TZifFuzz.swift \
    -o "$out/tzif-fuzz"

SWIFT_BACKTRACE=enable=no "$out/tzif-fuzz" \
    -max_total_time="$seconds" -max_len=8192 -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$out/artifacts/tzif-" -print_final_stats=1 \
    "$out/corpus-tzif"
