#!/usr/bin/env bash
# Builds the Debian package from an existing release build and checks it:
#  1. dpkg-deb -I / -c: control fields (Depends on libsqlite3-0 and the libraries the binaries
#     link dynamically), conffiles lists /etc/kiosk/kiosk.conf, maintainer scripts present.
#  2. Unpacked (dpkg-deb -x): everything the unit references exists (ExecStart binary, its
#     --config file, sysusers.d and tmpfiles.d files, the documentation), the assets and the
#     demo data; two binaries, /usr/bin/kioskd and /usr/bin/kioskctl, and only kioskctl
#     links the HTTP client (libcurl: kioskd's feed helper is `kioskctl --feed-helper`);
#     kioskd --help, kioskctl --help and kioskctl check-config run from the tree;
#     kioskctl render finds the fonts through ../share/kiosk/assets beside the binary.
#  3. Installed with dpkg --root into a scratch root (maintainer scripts chrootless, with
#     DPKG_ROOT): the kiosk user, /var/lib/kiosk and the enablement symlink exist; an edited
#     configuration and the database survive a reinstall (upgrade path); remove keeps them;
#     purge deletes them. Runs only as root (dpkg --root with owners); skipped otherwise.
#  4. lintian, when installed (informational only).
# Usage: Tests/deb/test-package.sh [SCRATCH-PATH]   (default .build; needs the release `kioskd`
# and `kioskctl` in SCRATCH-PATH/release, from `swift build -c release --static-swift-stdlib`)
set -euo pipefail
cd "$(dirname "$0")/../.."
scratch="${1:-.build}"
fail() { echo "test-package: FAIL: $*" >&2; exit 1; }
trap 'echo "test-package: FAIL: unexpected error at line $LINENO" >&2' ERR
say() { echo "test-package: $*"; }
for exe in kioskd kioskctl; do
  [ -x "$scratch/release/$exe" ] || fail "$scratch/release/$exe missing: run swift build -c release --static-swift-stdlib first"
done

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
bash scripts/package-deb --no-build --scratch-path "$scratch" --out "$work" >"$work/package.log" 2>&1 \
  || { cat "$work/package.log" >&2; fail "scripts/package-deb"; }
deb="$(ls "$work"/kiosk_*_*.deb)"
[ "$(echo "$deb" | wc -l)" = 1 ] || fail "expected one .deb, got: $deb"
# KIOSK_DEB_KEEP=DIR: the package tested here is copied there (CI hands it to the VM test).
if [ -n "${KIOSK_DEB_KEEP:-}" ]; then mkdir -p "$KIOSK_DEB_KEEP" && rm -f "$KIOSK_DEB_KEEP"/kiosk_*.deb && cp "$deb" "$KIOSK_DEB_KEEP/"; fi
arch="$(dpkg --print-architecture)"
[[ "$(basename "$deb")" =~ ^kiosk_[0-9][A-Za-z0-9.+~-]*_${arch}\.deb$ ]] || fail "bad file name $(basename "$deb")"
say "built $(basename "$deb") ($(du -h "$deb" | cut -f1))"

# 1. metadata
info="$(dpkg-deb -I "$deb")"
field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = kiosk ] || fail "Package: $(field Package)"
[ "$(field Architecture)" = "$arch" ] || fail "Architecture: $(field Architecture)"
depends="$(field Depends)"
for needed in libsqlite3-0 libc6 systemd tzdata; do
  [[ ", $depends," == *", $needed"[\ ,]* ]] || fail "Depends lacks $needed: $depends"
done
# Packed relative relocations (DT_RELR) need glibc 2.36: Depends must say so.
if readelf -V "$scratch/release/kioskd" | grep -q GLIBC_ABI_DT_RELR; then
  [[ "$depends" == *"libc6 (>= 2.36)"* ]] || fail "kioskd needs GLIBC_ABI_DT_RELR (glibc 2.36) but Depends says: $depends"
fi
# Every library the binaries need at run time comes from a package in Depends.
objdump -p "$scratch/release/kioskd" "$scratch/release/kioskctl" | awk '$1=="NEEDED"{print $2}' | sort -u | while read -r lib; do
  # (awk and sed read their whole input: an early exit would SIGPIPE the producer under pipefail)
  path="$(ldconfig -p | awk -v l="$lib" '$1==l && !seen {print $NF; seen=1}')"
  [ -n "$path" ] || continue
  pkg="$(dpkg -S "$(realpath "$path")" 2>/dev/null | sed -n '1s/:.*//p')" || true
  [ -n "$pkg" ] || pkg="$(dpkg -S "$path" 2>/dev/null | sed -n '1s/:.*//p')" || true
  [ -n "$pkg" ] || continue
  [[ ", $depends," == *", $pkg"[\ ,]* ]] || fail "$lib comes from $pkg, which is not in Depends: $depends"
done
grep -q ' conffiles' <<<"$info" || fail "no conffiles"
conffiles="$(dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles)"
grep -qx /etc/kiosk/kiosk.conf <<<"$conffiles" || fail "conffiles lacks /etc/kiosk/kiosk.conf: $conffiles"
for script in postinst prerm postrm; do
  grep -Eq " [0-9]+ lines +\* +$script " <<<"$info" || fail "$script missing or not executable"
done
listing="$(dpkg-deb -c "$deb")"
owners="$(awk '{print $2}' <<<"$listing" | sort -u)"
[ "$owners" = root/root ] || fail "files not owned by root/root: $owners"
say "control, Depends ($depends), conffiles, maintainer scripts: ok"

# 2. unpacked tree
tree="$work/tree"
dpkg-deb -x "$deb" "$tree"
unit="$tree/usr/lib/systemd/system/kioskd.service"
[ -f "$unit" ] || fail "no unit at /usr/lib/systemd/system/kioskd.service"
exec_start="$(sed -n 's/^ExecStart=//p' "$unit")"
exe="$(awk '{print $1}' <<<"$exec_start")"
[ -x "$tree$exe" ] || fail "ExecStart binary $exe is not in the package"
# Two binaries; the daemon's links no HTTP or TLS client (issue #18: those pages are the
# feed helper's, `kioskctl --feed-helper`, which kioskd finds beside itself).
for exe in kioskd kioskctl; do
  [ -f "$tree/usr/bin/$exe" ] && [ ! -L "$tree/usr/bin/$exe" ] || fail "/usr/bin/$exe is not a regular file"
done
[ ! -e "$tree/usr/bin/kiosk" ] || fail "the former multi-call /usr/bin/kiosk is still packaged"
[ "$(find "$tree" -type f -size +1M | wc -l)" = 2 ] || fail "large files other than the two binaries: $(find "$tree" -type f -size +1M)"
curl_links() { objdump -p "$1" | awk '$1=="NEEDED" && $2 ~ /^libcurl/' | wc -l; }
[ "$(curl_links "$tree/usr/bin/kioskctl")" -ge 1 ] || fail "kioskctl (the feed helper) does not link libcurl: where did FoundationNetworking go?"
[ "$(curl_links "$tree/usr/bin/kioskd")" = 0 ] || fail "kioskd links libcurl: FoundationNetworking is back in the daemon's binary"
[ "$(nm "$scratch/release/kioskd" | grep -c 'URLSession')" = 0 ] || fail "kioskd's release build has URLSession symbols"
config="$(sed -n 's/.*--config \([^ ]*\).*/\1/p' <<<"$exec_start")"
[ -f "$tree$config" ] || fail "ExecStart's --config $config is not in the package"
doc="$(sed -n 's#^Documentation=file:##p' "$unit")"
[ -f "$tree$doc" ] || fail "Documentation $doc is not in the package"
for f in /usr/bin/kioskctl /usr/lib/sysusers.d/kiosk.conf /usr/lib/tmpfiles.d/kiosk.conf \
         /usr/share/doc/kiosk/examples/99-kiosk-badge-reader.rules /usr/share/kiosk/demo/kiosk.conf \
         /usr/share/kiosk/assets/themes/default.theme /usr/share/kiosk/assets/fonts/LICENSE-Terminus.txt; do
  [ -f "$tree$f" ] || fail "$f is not in the package"
done
[ "$(find "$tree/usr/share/kiosk/assets/fonts" -name '*.psf' | wc -l)" = "$(find assets/fonts -name '*.psf' | wc -l)" ] || fail "fonts missing"
grep -q "^d /var/lib/kiosk " "$tree/usr/lib/tmpfiles.d/kiosk.conf" || fail "tmpfiles does not create /var/lib/kiosk"
grep -q "^StateDirectory=kiosk$" "$unit" || fail "unit lost StateDirectory=kiosk"
cmp -s "$tree/etc/kiosk/kiosk.conf" kiosk-config/kiosk.conf || fail "/etc/kiosk/kiosk.conf differs from kiosk-config/kiosk.conf"
help="$("$tree/usr/bin/kioskd" --help)" || fail "kioskd --help"
grep -q 'kioskd' <<<"$help" || fail "kioskd --help said: $help"
help="$("$tree/usr/bin/kioskctl" --help)" || fail "kioskctl --help"
grep -q 'Usage: kioskctl' <<<"$help" || fail "kioskctl --help said: $help"
"$tree/usr/bin/kioskctl" check-config --config "$tree/etc/kiosk/kiosk.conf" --state-dir "$work/state" >/dev/null \
  || fail "kioskctl check-config on the packaged kiosk.conf"
# kioskctl doctor from the static binary (exit 0 or 1 depending on this machine: its JSON
# must list the checks).
rc=0
doctor="$("$tree/usr/bin/kioskctl" doctor --config "$tree/etc/kiosk/kiosk.conf" --state-dir "$work/state" --format json)" || rc=$?
[ "$rc" -le 1 ] || fail "kioskctl doctor exited $rc"
for check in config state database clock http; do
  grep -q "\"check\" : \"$check\"" <<<"$doctor" || fail "kioskctl doctor has no $check check: $doctor"
done
# The fonts are found beside the binary (../share/kiosk/assets), not in the checkout: run
# from an empty directory with no KIOSK_ASSETS.
mkdir -p "$work/empty" "$work/state"
(cd "$work/empty" && env -u KIOSK_ASSETS "$tree/usr/bin/kioskctl" render --config "$tree/etc/kiosk/kiosk.conf" \
   --state-dir "$work/state" --at 2026-11-24T10:00:00Z --size 320x240 --out "$work/frame.png" >/dev/null) \
  || fail "kioskctl render from the unpacked tree did not find its assets"
[ "$(head -c 8 "$work/frame.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] || fail "render wrote no PNG"
say "unpacked: unit's ExecStart, --config, Documentation, sysusers, tmpfiles, assets, demo exist; kioskd ($(du -h "$tree/usr/bin/kioskd" | cut -f1), no libcurl) and kioskctl ($(du -h "$tree/usr/bin/kioskctl" | cut -f1)) run: ok"
say "package: $(du -h "$deb" | cut -f1) as a .deb, Installed-Size $(( $(field Installed-Size) / 1024 )) MiB"

# 3. dpkg --root
if [ "$(id -u)" != 0 ]; then
  say "not root: dpkg --root installation skipped"
else
  root="$work/root"
  mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates" "$root/etc"
  : > "$root/var/lib/dpkg/status"; : > "$root/var/lib/dpkg/available"
  dpkg_root() {
    dpkg --root="$root" --force-script-chrootless --force-depends --force-confold \
         --log=/dev/null "$@" >>"$work/dpkg.log" 2>&1 || { cat "$work/dpkg.log" >&2; fail "dpkg $*"; }
  }
  dpkg_root -i "$deb"
  grep -q '^kiosk:x:' "$root/etc/passwd" || fail "postinst did not create the kiosk user"
  uid="$(awk -F: '$1=="kiosk"{print $3}' "$root/etc/passwd")"
  [ "$(stat -c '%a %u' "$root/var/lib/kiosk")" = "750 $uid" ] || fail "/var/lib/kiosk is $(stat -c '%a %u' "$root/var/lib/kiosk" 2>&1)"
  link="$root/etc/systemd/system/multi-user.target.wants/kioskd.service"
  [ -L "$link" ] || fail "postinst did not enable kioskd.service"
  [ "$(dpkg-query --root="$root" -W -f='${Status}' kiosk)" = "install ok installed" ] || fail "status: $(dpkg-query --root="$root" -W -f='${Status}' kiosk)"
  [ "$(awk -F: '$1=="kiosk"{print $6}' "$root/etc/passwd")" = /nonexistent ] || fail "the kiosk user's home is not /nonexistent"
  say "dpkg --root install: user kiosk ($uid, home /nonexistent), /var/lib/kiosk 0750, kioskd.service enabled: ok"

  # Upgrade path (same package again): an edited configuration and the database stay.
  echo "# edited by the maintainer" >> "$root/etc/kiosk/kiosk.conf"
  edited="$(sha256sum < "$root/etc/kiosk/kiosk.conf")"
  echo "database" > "$root/var/lib/kiosk/kiosk.sqlite"
  rm "$link"   # a maintainer's `systemctl disable kioskd`
  # An installation from before 0.2: the kiosk user's home was the state directory, and
  # Foundation's caches had appeared in it.
  sed -i 's#^\(kiosk:[^:]*:[^:]*:[^:]*:[^:]*:\)/nonexistent:#\1/var/lib/kiosk:#' "$root/etc/passwd"
  mkdir -p "$root/var/lib/kiosk/.cache/org.swift.foundation.URLCache/kioskctl" "$root/var/lib/kiosk/.local/share/bin"
  dpkg_root -i "$deb"
  [ "$(awk -F: '$1=="kiosk"{print $6}' "$root/etc/passwd")" = /nonexistent ] || fail "upgrade did not move the kiosk user's home to /nonexistent"
  [ ! -e "$root/var/lib/kiosk/.cache" ] && [ ! -e "$root/var/lib/kiosk/.local" ] || fail "upgrade left the old cache folders in /var/lib/kiosk"
  [ "$(sha256sum < "$root/etc/kiosk/kiosk.conf")" = "$edited" ] || fail "upgrade overwrote the edited configuration"
  [ "$(cat "$root/var/lib/kiosk/kiosk.sqlite")" = database ] || fail "upgrade touched the database"
  [ ! -e "$link" ] || fail "upgrade re-enabled a disabled service"
  say "reinstall over an edited config: config and database kept, disablement respected, old home moved: ok"

  dpkg_root -r kiosk
  [ -f "$root/var/lib/kiosk/kiosk.sqlite" ] || fail "remove deleted the database"
  [ -f "$root/etc/kiosk/kiosk.conf" ] || fail "remove deleted the configuration"
  [ ! -e "$root/usr/bin/kioskd" ] || fail "remove left /usr/bin/kioskd"
  dpkg_root -P kiosk
  [ ! -e "$root/var/lib/kiosk" ] || fail "purge left /var/lib/kiosk"
  [ ! -e "$root/etc/kiosk" ] || fail "purge left /etc/kiosk"
  [ -z "$(find "$root/usr" -type f 2>/dev/null)" ] || fail "purge left files: $(find "$root/usr" -type f)"
  say "remove keeps database and config; purge deletes them: ok"
fi

# 4. lintian (optional, informational)
if command -v lintian >/dev/null; then
  say "lintian (informational):"
  lintian --no-tag-display-limit "$deb" || true
fi
say "all checks passed"
