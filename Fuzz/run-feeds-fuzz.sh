#!/bin/sh
# Builds and runs the libFuzzer targets of the programme feed readers: iCalendar (with the
# expander), OpenAgenda and native JSON, each through FeedDecoder as the daemon reads them.
#   Fuzz/run-feeds-fuzz.sh [SECONDS]   (default 15, for each of the three)
# Compiles the readers of Sources/KioskFeeds and the parts of Sources/KioskCore they use once,
# as one module, into an object with
# libFuzzer coverage and AddressSanitizer, then links the harness three times (no package
# change). Exits non-zero when a crash, trap or sanitizer report is found; the reproducer is
# written under .build-fuzz/artifacts/ (replay: .build-fuzz/feeds-ics-fuzz FILE).
set -eu
seconds="${1:-15}"
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${FUZZ_BUILD_DIR:-$root/.build-fuzz}"
mkdir -p "$out/artifacts" "$out/feeds-module"

# The readers, the expander and what they use (not the exporters, not the rest of KioskCore).
sources="$(ls "$root"/Sources/KioskCore/Programme/*.swift "$root"/Sources/KioskCore/HTTP/*.swift) \
    $(ls "$root"/Sources/KioskCore/Time/*.swift) $root/Sources/KioskCore/Config/FeedFormat.swift \
    $(find "$root/Sources/KioskFeeds" -name '*.swift' ! -path '*/Export/*' | sort)"
# One module named KioskCore: the KioskFeeds files' `import KioskCore` then names their
# own module, which Swift ignores with a warning (filtered below).
# shellcheck disable=SC2086
swiftc -parse-as-library -module-name KioskCore -O -g -wmo \
    -sanitize=fuzzer,address -c $sources \
    -emit-module -emit-module-path "$out/feeds-module/KioskCore.swiftmodule" \
    -o "$out/feeds-module/KioskCore.o" 2>&1 | grep -v "is part of module 'KioskCore'; ignoring import\|^import KioskCore\|^ *|\|^ *\`-\|^$" || true
[ -f "$out/feeds-module/KioskCore.o" ]

status=0
for format in ics openagenda json; do
    flag=$(echo "$format" | tr '[:lower:]' '[:upper:]')
    swiftc -parse-as-library -O -g -D FUZZ_STANDALONE -D "FEEDS_FUZZ_$flag" \
        -sanitize=fuzzer,address -I "$out/feeds-module" \
        "$root/Fuzz/FeedsFuzz.swift" "$out/feeds-module/KioskCore.o" -o "$out/feeds-$format-fuzz"
    mkdir -p "$out/corpus-$format"
    cp "$root"/Fuzz/corpus/"$format"/* "$out/corpus-$format/" 2>/dev/null || true
    echo "feeds fuzz: $format for $seconds s"
    SWIFT_BACKTRACE=enable=no "$out/feeds-$format-fuzz" \
        -max_total_time="$seconds" -max_len=16384 -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="$out/artifacts/feeds-$format-" -print_final_stats=1 \
        "$out/corpus-$format" || status=1
done
exit $status
