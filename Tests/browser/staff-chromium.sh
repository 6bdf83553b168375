#!/usr/bin/env bash
# The staff web page in a real browser: headless Chromium signs in with a token, posts a
# notice through the form, and the notice is then in the database and on the screen; it
# also uploads a programme file, withdraws the notice and signs out.
#
# Usage: Tests/browser/staff-chromium.sh BUILD_DIR    (e.g. .build/debug)
# Needs: chromium (Debian package), sqlite3, python3 (standard library only).
# Exit status: 0 when every check passed. kioskd and Chromium are stopped and their
# temporary directory removed whatever happens. STAFF_CHROMIUM_VERBOSE=1 lists each check.
set -euo pipefail
if [ $# -ne 1 ]; then
  echo "usage: $0 BUILD_DIR" >&2
  exit 2
fi
exec python3 "$(dirname "$0")/staff_chromium.py" "$1"
