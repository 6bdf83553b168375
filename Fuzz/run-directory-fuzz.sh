#!/bin/sh
# Builds and runs the libFuzzer target for the directory import (CSV with `,` or `;`, JSON):
#   Fuzz/run-directory-fuzz.sh [SECONDS]   (default 10)
# Compiles Sources/KioskCore/Formats/CSV.swift and Sources/KioskCore/Directory/*.swift with
# the harness directly (no package change), with libFuzzer + AddressSanitizer, starting from
# the demo's residents.csv. Exits non-zero when a crash, trap or sanitizer report is found;
# the reproducer is written under .build-fuzz/artifacts/.
set -eu
seconds="${1:-10}"
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${FUZZ_BUILD_DIR:-$root/.build-fuzz}"
mkdir -p "$out/artifacts" "$out/corpus-directory"
cp "$root/kiosk-config/demo/residents.csv" "$out/corpus-directory/demo.csv"
printf '\357\273\277nom;type;logo\r\n"A; b";association;"logos/a.png"\r\n' > "$out/corpus-directory/semicolons.csv"
printf '{"residents":[{"name":"Zinc","logo":"https://x.example/z.png"}]}' > "$out/corpus-directory/residents.json"

swiftc -parse-as-library -module-name KioskCore -D FUZZ_STANDALONE -O -g \
    -sanitize=fuzzer,address \
    "$root"/Sources/KioskCore/Formats/CSV.swift "$root"/Sources/KioskCore/Directory/*.swift \
    "$root"/Fuzz/DirectoryImportFuzz.swift \
    -o "$out/directory-fuzz"

SWIFT_BACKTRACE=enable=no "$out/directory-fuzz" \
    -max_total_time="$seconds" -max_len=8192 -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$out/artifacts/" -print_final_stats=1 \
    "$out/corpus-directory"
