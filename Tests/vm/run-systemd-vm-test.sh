#!/usr/bin/env bash
# The Debian package on a real systemd: Debian 12 booted under QEMU, the package installed
# with apt, and the deployment checked from inside (docs/systemd-vm-test.md).
#
#   Tests/vm/run-systemd-vm-test.sh [SCRATCH-PATH]     (as root; default .build)
#
# Needs the release `kiosk` binary in SCRATCH-PATH/release (swift build -c release
# --static-swift-stdlib). Steps:
#  1. installs what is missing: qemu-system-x86, qemu-utils, mmdebstrap, e2fsprogs, python3;
#  2. builds the package with scripts/package-deb;
#  3. the root file system: Debian 12 (bookworm) by mmdebstrap with systemd, udev,
#     systemd-timesyncd, Debian's kernel and its initramfs, and what the package depends on
#     (read from the .deb), customised by Tests/vm/rootfs-customize.sh, as an ext4 image.
#     Cached outside the clone, in $KIOSK_VM_CACHE (default $XDG_CACHE_HOME/kiosk-ci/vm
#     when XDG_CACHE_HOME is set, else /var/cache/kiosk-ci/vm), under a key of its inputs
#     (suite, mirror, the package list, the customize script): a rerun on the same machine,
#     even from a fresh clone (CI), skips mmdebstrap. Downloaded .debs are kept there too,
#     for the next rebuild; images of other keys unused for 14 days are removed;
#  4. prepares the boot (TCG: software emulation) with -vga std, the badge reader on a second
#     serial port, the package and the guest agent on a second, read-only disk, and a
#     copy-on-write overlay over the cached image, so every run starts from a fresh system;
#  5. Tests/vm/vm_driver.py starts QEMU, drives the guest through the agent (a virtio serial
#     channel) and the QEMU monitor (screendumps), and prints one line per check and a verdict.
#
# Environment: KIOSK_VM_CACHE (cache directory, above), KIOSK_VM_WORK (work directory,
# default .build-vm/run in the clone), KIOSK_VM_ACCEL (default tcg), KIOSK_VM_MIRROR (Debian mirror),
# KIOSK_VM_HOLD (seconds to keep the VM running after the checks, for a look inside),
# KIOSK_VM_DEB (a .deb already built from SCRATCH-PATH's release binary: used instead of packaging again).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
scratch="${1:-.build}"
if [ -n "${XDG_CACHE_HOME:-}" ]; then default_cache=$XDG_CACHE_HOME/kiosk-ci/vm; else default_cache=/var/cache/kiosk-ci/vm; fi
CACHE=${KIOSK_VM_CACHE:-$default_cache}
WORK=${KIOSK_VM_WORK:-$ROOT/.build-vm/run}
ACCEL=${KIOSK_VM_ACCEL:-tcg}
MIRROR=${KIOSK_VM_MIRROR:-http://deb.debian.org/debian}
SUITE=bookworm
started=$SECONDS
say() { printf 'vm-test: %s\n' "$*" >&2; }
fail() { say "FAIL: $*"; exit 1; }
[ "$(id -u)" = 0 ] || fail "run as root (mmdebstrap, mkfs of an image with owners)"
for exe in kioskd kioskctl; do
  [ -x "$scratch/release/$exe" ] || fail "$scratch/release/$exe missing: swift build -c release --static-swift-stdlib first"
done

# --- 1. Tools ----------------------------------------------------------------------
missing=()
command -v qemu-system-x86_64 >/dev/null || missing+=(qemu-system-x86)
command -v qemu-img >/dev/null || missing+=(qemu-utils)
command -v mmdebstrap >/dev/null || missing+=(mmdebstrap)
command -v mkfs.ext4 >/dev/null || missing+=(e2fsprogs)
command -v python3 >/dev/null || missing+=(python3)
command -v dpkg-deb >/dev/null || missing+=(dpkg)
if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi
mkdir -p "$CACHE" "$WORK"
CACHE=$(cd "$CACHE" && pwd); WORK=$(cd "$WORK" && pwd)

# --- 2. The package ------------------------------------------------------------------
share="$WORK/share"
rm -rf "$share" && mkdir -p "$share"
if [ -n "${KIOSK_VM_DEB:-}" ]; then
    # A package already built from the same release binary (CI: the one Tests/deb checked).
    [ -f "$KIOSK_VM_DEB" ] || fail "KIOSK_VM_DEB=$KIOSK_VM_DEB: no such file"
    cp "$KIOSK_VM_DEB" "$share/"
else
    bash scripts/package-deb --no-build --scratch-path "$scratch" --out "$share" >&2
fi
deb=$(ls "$share"/kiosk_*.deb)
cp Tests/vm/guest-agent.sh "$share/guest-agent.sh"
# What the package needs, installed in the image beforehand: the VM has no network.
depends=$(dpkg-deb -f "$deb" Depends | tr ',' '\n' | sed 's/(.*)//; s/|.*//; s/ //g' | grep -v '^$')
packages=$(printf '%s\n' systemd systemd-sysv udev systemd-timesyncd linux-image-amd64 initramfs-tools kmod procps e2fsprogs $depends | sort -u | paste -sd, -)

# --- 3. The root file system, cached by its inputs ---------------------------------
key=$( { echo "format 2"; echo "$SUITE $MIRROR"; echo "$packages"; cat Tests/vm/rootfs-customize.sh; } | sha256sum | cut -c1-16)
image_dir="$CACHE/rootfs-$key"
# One build at a time per cache (two clones testing at once share it); the image is only
# read afterwards (QEMU writes to an overlay in WORK).
exec 9>"$CACHE/build.lock"
flock 9
if [ -f "$image_dir/done" ]; then
    say "root file system: cached ($image_dir)"
else
    say "root file system: building with mmdebstrap ($SUITE: $packages)"
    built=$SECONDS
    rm -rf "$image_dir" && mkdir -p "$image_dir" "$CACHE/debs"
    tree="$image_dir/tree"
    # eatmydata (mmdebstrap's own hook): dpkg's fsync after every file is what made the
    # unpacking slow; the finished tree goes into a fresh image anyway.
    hooks=()
    [ -d /usr/share/mmdebstrap/hooks/eatmydata ] && hooks=(--hook-dir=/usr/share/mmdebstrap/hooks/eatmydata)
    mmdebstrap --mode=root --variant=minbase --include="$packages" "${hooks[@]}" \
        --aptopt='Acquire::Retries "3"' \
        --skip=download/empty --skip=essential/unlink \
        --setup-hook='mkdir -p "$1"/var/cache/apt/archives/' \
        --setup-hook="sync-in $CACHE/debs /var/cache/apt/archives/" \
        --customize-hook="sync-out /var/cache/apt/archives $CACHE/debs" \
        --customize-hook="$ROOT/Tests/vm/rootfs-customize.sh \"\$1\"" \
        "$SUITE" "$tree" "$MIRROR" >&2
    rm -f "$tree"/var/cache/apt/archives/*.deb
    cp "$(ls "$tree"/boot/vmlinuz-* | head -1)" "$image_dir/vmlinuz"
    cp "$(ls "$tree"/boot/initrd.img-* | head -1)" "$image_dir/initrd.img"
    mkfs.ext4 -q -F -L kiosk-root -d "$tree" "$image_dir/root.img" 3G
    rm -rf "$tree"
    touch "$image_dir/done"
    say "root file system: built in $((SECONDS - built)) s"
fi
touch "$image_dir/used"
# Images of other keys (older inputs) take ~800 MB each: those no run used for 14 days go
# (under the lock: no build is half done).
for old in "$CACHE"/rootfs-*; do
    [ "$old" != "$image_dir" ] && [ -d "$old" ] || continue
    [ -n "$(find "$old" -maxdepth 1 -name used -mtime -14)" ] || { say "removing an unused image: $old"; rm -rf "$old"; }
done
flock -u 9

# --- 4. Boot ---------------------------------------------------------------------------
rm -f "$WORK"/{overlay.qcow2,share.img,console.log,monitor.sock,agent.sock,badge.sock,qemu.log} "$WORK"/*.ppm
rm -rf "$WORK/recorded"
qemu-img create -q -f qcow2 -F raw -b "$image_dir/root.img" "$WORK/overlay.qcow2"
mkfs.ext4 -q -F -L kiosk-share -d "$share" "$WORK/share.img" 128M
# The driver starts QEMU with these arguments, and again after the guest reboots:
# -no-reboot turns the guest's reset into QEMU's exit (under TCG a warm reset left the
# guest's timer interrupt dead: RCU stalls, no boot), so a reboot is the guest's whole
# shutdown, then a fresh power-on of the same disk. no_timer_check: under a heavy load TCG can
# fail the kernel's IO-APIC timer check, which then panics before /init (seen in the DRM test).
qemu=(qemu-system-x86_64 -machine pc -accel "$ACCEL" -m 1024 -smp 1 -vga std -display none -nic none -no-reboot
    -kernel "$image_dir/vmlinuz" -initrd "$image_dir/initrd.img"
    -append "root=/dev/vda rw console=ttyS0,115200 quiet systemd.show_status=false no_timer_check"
    -drive file="$WORK/overlay.qcow2",if=virtio,format=qcow2
    -drive file="$WORK/share.img",if=virtio,format=raw,readonly=on
    -chardev file,id=console,path="$WORK/console.log",append=on -serial chardev:console
    -chardev socket,id=badge,path="$WORK/badge.sock",server=on,wait=off -serial chardev:badge
    -device virtio-serial -chardev socket,id=agent,path="$WORK/agent.sock",server=on,wait=off
    -device virtserialport,chardev=agent,name=kiosk.agent
    -monitor unix:"$WORK/monitor.sock",server=on,wait=off)
printf '%s\0' "${qemu[@]}" > "$WORK/qemu-args"
say "booting Debian $SUITE under QEMU ($ACCEL)"

# --- 5. The checks -----------------------------------------------------------------
status=0
python3 Tests/vm/vm_driver.py --work "$WORK" --deb "$(basename "$deb")" --hold "${KIOSK_VM_HOLD:-0}" || status=$?
say "total $((SECONDS - started)) s (console log: $WORK/console.log)"
[ $status = 0 ] || fail "see the lines above"
say "all checks passed"
