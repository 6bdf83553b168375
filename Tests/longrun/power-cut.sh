#!/usr/bin/env bash
# Power-cut loop (issue "benchmark harness and long-run test"): ROUNDS times, start
# kioskd with a badge reader on a pseudo-terminal, scan badges, SIGKILL it at a random
# moment, then check that every scan it acknowledged (its log line "check-in:
# acknowledged TAG (WORD, record ID)", written after the commit and the welcome frame)
# is in the database as acknowledged, and that PRAGMA integrity_check is ok.
#
#   Tests/longrun/power-cut.sh BUILD_DIR [ROUNDS=100] [--seed N]
#
# BUILD_DIR holds kioskd and kiosk-bench (e.g. .build/release). Prints the figures and
# the random seed (give it back with --seed to replay); non-zero exit on failure.
# Needs python3 and sqlite3.
set -euo pipefail
if [ $# -lt 1 ]; then
  sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi
here="$(cd "$(dirname "$0")" && pwd)"
exec python3 "$here/power_cut.py" "$@"
