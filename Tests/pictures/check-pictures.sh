#!/usr/bin/env bash
# Our PNG and JPEG decoders against Pillow, and adversarial files (see check_pictures.py).
#   Tests/pictures/check-pictures.sh BUILD_DIR     (BUILD_DIR holds kiosk-pictures)
# Makes a Python virtual environment under .build-venv/pictures/ with Pillow (PyPI) the first time,
# and cjpeg (Debian's libjpeg-turbo-progs, for the 4:4:0 files) when run as root.
set -euo pipefail
export PYTHONDONTWRITEBYTECODE=1
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:?usage: check-pictures.sh BUILD_DIR}"
tool="$(cd "$build" && pwd)/kiosk-pictures"
[ -x "$tool" ] || { echo "check-pictures: $tool is missing (swift build --product kiosk-pictures)" >&2; exit 1; }
venv="$root/.build-venv/pictures"
if ! "$venv/bin/python" -c 'import PIL' 2>/dev/null; then
  echo "check-pictures: making $venv with Pillow" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$root/Tests/pictures/requirements.txt"
fi
if ! command -v cjpeg >/dev/null && [ "$(id -u)" = 0 ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libjpeg-turbo-progs >/dev/null 2>&1 || true
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$root/Tests/pictures"
"$venv/bin/python" check_pictures.py --tool "$tool" --work "$work"
