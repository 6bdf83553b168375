#!/usr/bin/env bash
# The staff web page in a real browser: headless Chromium signs in with a token, posts a
# notice through the form, and the notice is then in the database and on the screen; it
# also uploads a programme file, puts a poster on screen from a phone photo, withdraws
# them and signs out.
#
# Usage: Tests/browser/staff-chromium.sh BUILD_DIR    (e.g. .build/debug)
# Needs: chromium (Debian package), sqlite3, python3 with venv; Pillow comes from PyPI
# into .build-venv/pictures (shared with Tests/pictures) the first time.
# Exit status: 0 when every check passed. kioskd and Chromium are stopped and their
# temporary directory removed whatever happens. STAFF_CHROMIUM_VERBOSE=1 lists each check.
set -euo pipefail
if [ $# -ne 1 ]; then
  echo "usage: $0 BUILD_DIR" >&2
  exit 2
fi
root="$(cd "$(dirname "$0")/../.." && pwd)"
venv="$root/.build-venv/pictures"
if ! "$venv/bin/python" -c 'import PIL' 2>/dev/null; then
  echo "staff-chromium: making $venv with Pillow" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$root/Tests/pictures/requirements.txt"
fi
exec "$venv/bin/python" "$(dirname "$0")/staff_chromium.py" "$1"
