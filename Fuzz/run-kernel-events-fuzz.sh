#!/bin/sh
# Builds and runs the libFuzzer target for the kernel event parsers (netlink uevents, DRM
# card events) used by the DRM display backend.
#   Fuzz/run-kernel-events-fuzz.sh [SECONDS]   (default 10)
# Compiles Sources/KioskCore/Devices/*.swift with the harness directly (no package change),
# with libFuzzer + AddressSanitizer. Exits non-zero when a crash, trap or sanitizer report is
# found; the reproducer is written under .build-fuzz/artifacts/.
set -eu
seconds="${1:-10}"
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${FUZZ_BUILD_DIR:-$root/.build-fuzz}"
mkdir -p "$out/artifacts" "$out/corpus-kernel-events"
cp "$root"/Fuzz/corpus/kernel-events/* "$out/corpus-kernel-events/" 2>/dev/null || true

swiftc -parse-as-library -module-name KioskCore -D FUZZ_STANDALONE -O -g \
    -sanitize=fuzzer,address \
    "$root"/Sources/KioskCore/Devices/*.swift "$root"/Fuzz/KernelEventsFuzz.swift \
    -o "$out/kernel-events-fuzz"

SWIFT_BACKTRACE=enable=no "$out/kernel-events-fuzz" \
    -max_total_time="$seconds" -max_len=9000 -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$out/artifacts/" -print_final_stats=1 \
    "$out/corpus-kernel-events"
