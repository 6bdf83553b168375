#!/usr/bin/env bash
# The lobby on a real Linux kernel's framebuffer, compared pixel for pixel with
# `kioskctl render` (see docs/framebuffer-test.md).
#
# Boots Debian's kernel under QEMU (software emulation, no KVM) with -vga std and
# vga=0x318 (vesafb, 1024x768, 24 bits per pixel), from an initramfs holding busybox,
# a release `kioskd` built with --static-swift-stdlib (plus the shared libraries ldd
# still lists), the assets, a configuration and a state directory with residents and a
# notice. kioskd draws the lobby with its clock started at $AT; the QEMU monitor's
# `screendump` is then compared with `kioskctl render --at $AT --size 1024x768` from the
# same configuration and state directory; a second kioskd, configured with `[screen]
# rotation = 90`, is compared with `kioskctl render --rotation 90` turned onto the panel.
# Exit 0 when every pixel matches.
#
# Environment: KIOSK_QEMU_WORK (work directory, default .build-qemu/fb-test),
# KIOSK_QEMU_TIMEOUT (seconds to wait for the first frame, default 240).
# KIOSK_QEMU_BIN (a directory with kioskd and kioskctl already built release and
# --static-swift-stdlib: skips the build into .build-qemu).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=${KIOSK_QEMU_WORK:-$ROOT/.build-qemu/fb-test}
TIMEOUT=${KIOSK_QEMU_TIMEOUT:-240}
# hh:mm:05 in the middle of a 5-minute burn-in slot: the minute, the shift and the
# (hour-long) panel slot do not change in the first 55 seconds kioskd runs.
AT=2026-11-24T14:05:05+01:00
SIZE=1024x768

say() { printf 'fb-test: %s\n' "$*" >&2; }
fail() { say "FAIL: $*"; exit 1; }

# --- 1-3. Tools, Debian's kernel (shared cache), kioskd and kioskctl -------------------
. "$ROOT/Tests/qemu/lib.sh"
qemu_install_tools
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
qemu_debian_kernel
grep -q '^CONFIG_FB_VESA=y' "$KERNEL_CONFIG" || fail "this kernel has no built-in vesafb"
qemu_build_kiosk

# --- 4. Configuration and state: residents and a notice, no feeds ---------------------
SITE=$WORK/site
rm -rf "$SITE" && mkdir -p "$SITE/state"
cat > "$SITE/kiosk.conf" <<'EOF'
[venue]
name = La Fabrique
time-zone = Europe/Paris
language = fr

[screen]
backend = framebuffer
framebuffer = /dev/fb0
console = /dev/tty1
# Long enough that no panel changes while the test runs.
panel-duration = 1h
directory-page-duration = 1h

[state]
directory = /var/lib/kiosk
EOF
# The same site on a panel turned a quarter (a portrait totem), for the second kioskd.
sed 's/^\[screen\]$/[screen]\nrotation = 90/' "$SITE/kiosk.conf" > "$SITE/kiosk-turned.conf"
grep -q '^rotation = 90$' "$SITE/kiosk-turned.conf" || fail "could not write the turned configuration"
head -9 "$ROOT/kiosk-config/demo/residents.csv" > "$SITE/residents.csv"
cat > "$SITE/notices.json" <<'EOF'
{"notices": [
  {"id": "ascenseur-b", "kind": "information", "title": "Ascenseur du bâtiment B en maintenance",
   "body": "Jusqu'à vendredi : merci d'utiliser l'ascenseur du bâtiment A.",
   "author": "La conciergerie", "posted": "2026-11-20", "expires": "2026-12-31"}
]}
EOF
"$KIOSKCTL" residents import "$SITE/residents.csv" --config "$SITE/kiosk.conf" --state-dir "$SITE/state" >&2
"$KIOSKCTL" notices import "$SITE/notices.json" --config "$SITE/kiosk.conf" --state-dir "$SITE/state" >&2

# --- 5. The expected frame ------------------------------------------------------------
"$KIOSKCTL" render --config "$SITE/kiosk.conf" --state-dir "$SITE/state" --assets "$ROOT/assets" \
    --at "$AT" --size "$SIZE" --out "$WORK/expected.png"
"$KIOSKCTL" render --config "$SITE/kiosk-turned.conf" --state-dir "$SITE/state" --assets "$ROOT/assets" \
    --at "$AT" --size "$SIZE" --out "$WORK/expected-turned.png"

# --- 6. Initramfs: busybox init, kioskd, its shared libraries, assets, site -----------
say "packing the initramfs"
RD=$WORK/initramfs
qemu_initramfs_base "$RD" "$SITE/kiosk.conf" "$SITE/state"
cp "$SITE/kiosk-turned.conf" "$RD/etc/kiosk/kiosk-turned.conf"
cat > "$RD/init" <<EOF
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
echo "fb-test: fb0 \$(cat /sys/class/graphics/fb0/virtual_size) at \$(cat /sys/class/graphics/fb0/bits_per_pixel) bpp"
export KIOSK_ASSETS=/usr/share/kiosk/assets
export SWIFT_BACKTRACE=enable=no
/usr/bin/kioskd --config /etc/kiosk/kiosk.conf --state-dir /var/lib/kiosk --at $AT &
pid=\$!
echo "fb-test: kioskd started"
# The host takes the lobby's screendump in this time.
sleep 20
kill -TERM \$pid
wait \$pid
echo "fb-test: kioskd stopped by SIGTERM with status \$?"
sleep 10
/usr/bin/kioskd --config /etc/kiosk/kiosk-turned.conf --state-dir /var/lib/kiosk --at $AT &
pid=\$!
sleep 15
echo "fb-test: lobby drawn again"
sleep 10
kill -SEGV \$pid
wait \$pid
echo "fb-test: kioskd crashed with status \$?"
sleep 600
EOF
chmod +x "$RD/init"
qemu_pack "$RD" "$WORK/initramfs.cpio.gz"

# --- 7. Boot, wait for the first frame, screendump ------------------------------------
MON=$WORK/monitor.sock
LOG=$WORK/serial.log
rm -f "$MON" "$LOG" "$WORK/screen.ppm"
say "booting $(basename "$KERNEL") under QEMU (software emulation)"
qemu-system-x86_64 -machine pc -accel tcg -m 512M -vga std -display none \
    -kernel "$KERNEL" -initrd "$WORK/initramfs.cpio.gz" \
    -append "vga=0x318 console=ttyS0 no_timer_check quiet loglevel=3 logo.nologo vt.global_cursor_default=0 panic=-1" \
    -serial "file:$LOG" -monitor "unix:$MON,server,nowait" -no-reboot &
QEMU=$!
trap 'kill $QEMU 2>/dev/null || true' EXIT

deadline=$((SECONDS + TIMEOUT))
until grep -q "kioskd started:" "$LOG" 2>/dev/null; do
    kill -0 $QEMU 2>/dev/null || { cat "$LOG" >&2; fail "QEMU stopped before kioskd started"; }
    [ $SECONDS -lt $deadline ] || { cat "$LOG" >&2; fail "kioskd did not start within ${TIMEOUT}s"; }
    sleep 1
done
started=$SECONDS
# The first frame is drawn before "kioskd started" is logged; let it reach the screen.
sleep 5
qemu_screendump "$MON" "$WORK/screen.ppm"
elapsed=$((SECONDS - started))

# After SIGTERM, and after a crash signal, the console must be back in text mode: the
# kernel's console repaints the screen, so the lobby is gone from it.
wait_for() {
    local deadline=$((SECONDS + TIMEOUT))
    until grep -q "$1" "$LOG" 2>/dev/null; do
        [ $SECONDS -lt $deadline ] && kill -0 $QEMU 2>/dev/null || { cat "$LOG" >&2; fail "no \"$1\" on the serial console"; }
        sleep 1
    done
}
wait_for "stopped by SIGTERM"
sleep 3
qemu_screendump "$MON" "$WORK/after-sigterm.ppm"
wait_for "lobby drawn again"
qemu_screendump "$MON" "$WORK/before-crash.ppm"
wait_for "crashed with"
sleep 3
qemu_screendump "$MON" "$WORK/after-crash.ppm"
sleep 2
qemu_monitor "$MON" quit || true
wait $QEMU 2>/dev/null || true
trap - EXIT
say "serial console:"; sed 's/^/  | /' "$LOG" >&2
[ -s "$WORK/screen.ppm" ] || fail "no screendump"
[ $elapsed -lt 50 ] || fail "the screendump came ${elapsed}s after kioskd started: the clock may have moved on"

grep -q "stopped by SIGTERM with status 0" "$LOG" || fail "kioskd did not stop cleanly on SIGTERM"

# --- 8. Compare -----------------------------------------------------------------------
SCREEN="python3 $ROOT/Tests/qemu/screen.py"
share() { $SCREEN share "$1" "$2"; }
lobby_share=$(share "$WORK/after-sigterm.ppm" "$WORK/screen.ppm")
crash_share=$(share "$WORK/after-crash.ppm" "$WORK/before-crash.ppm")
say "after SIGTERM $lobby_share of the pixels still show the lobby; after SIGSEGV $crash_share"
python3 -c "import sys; sys.exit(0 if $lobby_share <= 0.5 else 1)" || fail "the lobby stayed on screen after SIGTERM: console not back in text mode"
python3 -c "import sys; sys.exit(0 if $crash_share <= 0.5 else 1)" || fail "the lobby stayed on screen after a crash signal: console not back in text mode"
$SCREEN compare "$WORK/screen.ppm" "$WORK/expected.png" "$WORK/diff.ppm" fb-test
# The second kioskd drew the portrait picture turned a quarter onto the panel.
$SCREEN compare "$WORK/before-crash.ppm" "$WORK/expected-turned.png" "$WORK/diff-turned.ppm" "fb-test (rotation 90)" 90
