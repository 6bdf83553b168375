#!/usr/bin/env bash
# A simulated week of kioskd in a few minutes of real time (issue "benchmark harness and
# long-run test"): the daemon's accelerated test clock (KIOSK_DEBUG_CLOCK_RATE with
# --at), minute ticks and panel rotations on an in-memory 1920x1080x32 framebuffer,
# feed refreshes every 15 simulated minutes against a local HTTP server whose programme
# changes every day, 5,000 badge scans on a pseudo-terminal, nightly purges, closing-time
# check-outs and screen sleeps.
#
#   Tests/longrun/simulated-week.sh BUILD_DIR [--rate N] [--days N] [--scans N]
#                                   [--rss-limit-kib N] [--keep]
#
# BUILD_DIR holds kioskd and kiosk-bench (e.g. .build/release). The default rate, 2000,
# makes the week last about 5 minutes; CI passes --rate 3000 (about 3.4 minutes).
# Fails (non-zero) when RSS at the end is more than 2 MB above RSS after the first
# simulated day, open descriptors grow, PRAGMA integrity_check is not ok, the log has a
# line at warning level or above, or one of the week's events did not happen; prints
# the figures either way. Needs python3 and sqlite3.
set -euo pipefail
if [ $# -lt 1 ]; then
  sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi
here="$(cd "$(dirname "$0")" && pwd)"
exec python3 "$here/simulated_week.py" "$@"
