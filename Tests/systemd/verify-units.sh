#!/usr/bin/env bash
# Checks the files under systemd/ offline, with systemd's own tools (no running systemd needed):
#  1. `systemd-analyze verify` on kioskd.service: any message (even "Unknown key ...,
#     ignoring", which does not change its exit status) fails the check. The unit's
#     ExecStart=/usr/bin/kioskd does not exist on a build machine, so the unit is copied into
#     a scratch directory with only that path replaced by the kioskd given as $1 (default
#     .build/debug/kioskd); the check fails if anything else would differ.
#  2. `systemd-analyze security --offline=yes`: the exposure score is at most 2.5; no TTY
#     reset or hang-up settings (they would apply to ExecReload= too); LimitNICE=-4.
#  3. sysusers.d and tmpfiles.d applied to a scratch root: user kiosk in video, dialout, tty;
#     /var/lib/kiosk created 0750 for it.
#  4. The udev rule's SYMLINK is a device the unit allows.
#  5. The system call filter, expanded with systemd's own tables, lets through what the
#     feed helper child (kioskctl --feed-helper) does to start and sandbox itself.
# Usage: Tests/systemd/verify-units.sh [path/to/kioskd]
set -euo pipefail
cd "$(dirname "$0")/../.."
kioskd=$(realpath "${1:-.build/debug/kioskd}")
[ -x "$kioskd" ] || { echo "verify-units: $kioskd is not an executable (build first)" >&2; exit 1; }
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
fail() { echo "verify-units: FAIL: $*" >&2; exit 1; }

# 1. verify
unit=systemd/kioskd.service
grep -qx 'ExecStart=/usr/bin/kioskd --config /etc/kiosk/kiosk.conf' "$unit" || fail "ExecStart changed: update this script"
sed "s#^ExecStart=/usr/bin/kioskd #ExecStart=$kioskd #" "$unit" > "$scratch/kioskd.service"
[ "$(diff "$unit" "$scratch/kioskd.service" | grep -c '^[<>]')" = 2 ] || fail "the copy differs by more than ExecStart"
out=$(systemd-analyze verify --man=no "$scratch/kioskd.service" 2>&1) || fail "systemd-analyze verify: $out"
[ -z "$out" ] || fail "systemd-analyze verify said: $out"
echo "verify-units: systemd-analyze verify kioskd.service: clean"

# 2. security
report=$(systemd-analyze security --offline=yes "$scratch/kioskd.service" 2>&1) || true
score=$(printf '%s\n' "$report" | sed -n 's/.*Overall exposure level for kioskd.service: \([0-9.]*\).*/\1/p')
[ -n "$score" ] || fail "no exposure score in: $report"
awk -v s="$score" 'BEGIN { exit !(s <= 2.5) }' || fail "exposure score $score > 2.5"
# The tool's own threshold (tenths) agrees.
systemd-analyze security --offline=yes --threshold=25 "$scratch/kioskd.service" >/dev/null || fail "systemd-analyze --threshold=25 disagrees"
for setting in 'ProtectSystem=strict' 'DevicePolicy=closed' 'NoNewPrivileges=yes' 'PrivateTmp=yes' 'ProtectHome=yes' \
               'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK' 'DeviceAllow=char-drm rw' 'SystemCallFilter=@system-service' 'Type=notify' \
               'StateDirectory=kiosk' 'ConfigurationDirectory=kiosk' 'TTYPath=/dev/tty1' 'Restart=on-failure'; do
  grep -qx "$setting" "$unit" || fail "$unit lacks $setting"
done
grep -q '^PrivateDevices=yes' "$unit" && fail "PrivateDevices=yes hides /dev/fb0"
# systemd applies the TTY settings to every process of the unit, ExecReload= included: a
# reload would hang up tty1 and reset it to text mode under the lobby (Tests/vm checks it
# on a booted system).
for setting in TTYReset TTYVHangup TTYVTDisallocate; do
  grep -Eq "^$setting=(yes|true|1|on)" "$unit" && fail "$setting= would apply to ExecReload= too (see the unit's comment)"
done
for setting in 'LimitNICE=-4' 'RuntimeDirectory=kiosk'; do
  grep -qx "$setting" "$unit" || fail "$unit lacks $setting"
done
echo "verify-units: exposure score $score (<= 2.5)"

# 3. sysusers + tmpfiles in a scratch root
root="$scratch/root"
mkdir -p "$root/etc" "$root/usr/lib/sysusers.d" "$root/usr/lib/tmpfiles.d"
cp systemd/sysusers.d/kiosk.conf "$root/usr/lib/sysusers.d/"
cp systemd/tmpfiles.d/kiosk.conf "$root/usr/lib/tmpfiles.d/"
systemd-sysusers --root="$root" kiosk.conf 2>/dev/null || fail "systemd-sysusers"
grep -q '^kiosk:x:[0-9]*:[0-9]*:.*:/nonexistent:/usr/sbin/nologin$' "$root/etc/passwd" || fail "no kiosk user: $(cat "$root/etc/passwd")"
for group in video dialout tty; do
  grep -Eq "^$group:x:[0-9]+:(.*,)?kiosk(,|$)" "$root/etc/group" || fail "kiosk not in $group"
done
systemd-tmpfiles --root="$root" --create kiosk.conf || fail "systemd-tmpfiles"
uid=$(awk -F: '$1=="kiosk"{print $3}' "$root/etc/passwd")
[ "$(stat -c '%a %u' "$root/var/lib/kiosk")" = "750 $uid" ] || fail "/var/lib/kiosk is $(stat -c '%a %u' "$root/var/lib/kiosk")"
echo "verify-units: sysusers (kiosk in video, dialout, tty) and tmpfiles: ok"

# 4. udev rule names a device the unit lets through
link=$(sed -n 's/.*SYMLINK+="\([^"]*\)".*/\1/p' systemd/udev/99-kiosk-badge-reader.rules)
grep -qx "DeviceAllow=/dev/$link rw" "$unit" || fail "DeviceAllow lacks /dev/$link"
echo "verify-units: udev symlink /dev/$link allowed by the unit"

# 5. The feed helper's system calls pass the unit's filter (allow lists minus ~ lists).
expand() {
  case "$1" in
    @*) systemd-analyze syscall-filter "$1" | awk 'NR > 1 && $1 !~ /^#/ && NF { print $1 }' | while read -r item; do expand "$item"; done ;;
    *) echo "$1" ;;
  esac
}
allowed=$(sed -n 's/^SystemCallFilter=\([^~].*\)/\1/p' "$unit" | tr ' ' '\n' | while read -r item; do [ -n "$item" ] && expand "$item"; done | sort -u)
denied=$(sed -n 's/^SystemCallFilter=~\(.*\)/\1/p' "$unit" | tr ' ' '\n' | while read -r item; do [ -n "$item" ] && expand "$item"; done | sort -u)
[ -n "$allowed" ] || fail "no SystemCallFilter= allow list expanded"
for call in landlock_create_ruleset landlock_add_rule landlock_restrict_self prctl setrlimit prlimit64 \
            close_range pipe2 dup2 execve clone3 wait4 kill poll socket connect; do
  grep -qx "$call" <<<"$allowed" || fail "the unit's SystemCallFilter= refuses $call (the feed helper needs it)"
  grep -qx "$call" <<<"$denied" && fail "the unit's SystemCallFilter=~ refuses $call (the feed helper needs it)"
done
echo "verify-units: the feed helper's system calls (Landlock, prctl, rlimits, spawn) pass the filter"
