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
# same configuration and state directory. Exit 0 when every pixel matches.
#
# Environment: KIOSK_QEMU_WORK (work directory, default .build-qemu/fb-test),
# KIOSK_QEMU_TIMEOUT (seconds to wait for the first frame, default 240).
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

# --- 1. Tools -------------------------------------------------------------------------
missing=()
command -v qemu-system-x86_64 >/dev/null || missing+=(qemu-system-x86)
dpkg -s busybox-static >/dev/null 2>&1 || missing+=(busybox-static)
command -v cpio >/dev/null || missing+=(cpio)
command -v python3 >/dev/null || missing+=(python3)
dpkg -s libcurl4-openssl-dev >/dev/null 2>&1 || missing+=(libcurl4-openssl-dev)   # static FoundationNetworking
if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >&2
fi

mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)

# --- 2. Kernel: Debian's linux-image-amd64, unpacked with dpkg -x ----------------------
KERNEL=$(ls "$WORK"/kernel/boot/vmlinuz-* 2>/dev/null | head -1 || true)
if [ -z "$KERNEL" ]; then
    say "downloading linux-image-amd64"
    (cd "$WORK" && rm -f linux-image-*.deb && apt-get download linux-image-amd64 >&2)
    image=$(dpkg-deb -f "$WORK"/linux-image-amd64_*.deb Depends | sed 's/ *(.*//; s/,.*//')
    (cd "$WORK" && apt-get download "$image" >&2)
    rm -rf "$WORK/kernel" && mkdir -p "$WORK/kernel"
    dpkg -x "$WORK/$image"_*.deb "$WORK/kernel"
    KERNEL=$(ls "$WORK"/kernel/boot/vmlinuz-* | head -1)
fi
grep -q '^CONFIG_FB_VESA=y' "$WORK"/kernel/boot/config-* || fail "this kernel has no built-in vesafb"

# --- 3. kioskd and kioskctl, release, Swift runtime linked statically ------------------
say "building kioskd and kioskctl (release, --static-swift-stdlib)"
(cd "$ROOT" && swift build -c release --static-swift-stdlib --scratch-path .build-qemu --product kioskd >&2 \
    && swift build -c release --static-swift-stdlib --scratch-path .build-qemu --product kioskctl >&2)
BIN=$(cd "$ROOT" && swift build -c release --static-swift-stdlib --scratch-path .build-qemu --show-bin-path)
KIOSKD=$BIN/kioskd
KIOSKCTL=$BIN/kioskctl

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

# --- 6. Initramfs: busybox init, kioskd, its shared libraries, assets, site -----------
say "packing the initramfs"
RD=$WORK/initramfs
rm -rf "$RD" && mkdir -p "$RD"/{bin,dev,proc,sys,tmp,etc/kiosk,var/lib/kiosk,usr/bin,usr/share/kiosk,usr/share/zoneinfo/Europe}
cp /bin/busybox "$RD/bin/busybox"
cp "$KIOSKD" "$RD/usr/bin/kioskd"
for lib in $(ldd "$KIOSKD" | awk '/=> \//{print $3} /^\s*\/.*ld-linux/{print $1}'); do
    mkdir -p "$RD$(dirname "$lib")"
    cp -L "$lib" "$RD$lib"
done
# The loader under its canonical name too.
mkdir -p "$RD/lib64" && cp -L /lib64/ld-linux-x86-64.so.2 "$RD/lib64/"
cp -r "$ROOT/assets" "$RD/usr/share/kiosk/assets"
cp -L /usr/share/zoneinfo/Europe/Paris "$RD/usr/share/zoneinfo/Europe/Paris" 2>/dev/null || true
cp "$SITE/kiosk.conf" "$RD/etc/kiosk/kiosk.conf"
cp -r "$SITE/state/." "$RD/var/lib/kiosk/"
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
/usr/bin/kioskd --config /etc/kiosk/kiosk.conf --state-dir /var/lib/kiosk --at $AT &
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
(cd "$RD" && find . | cpio -o -H newc --quiet | gzip -1) > "$WORK/initramfs.cpio.gz"

# --- 7. Boot, wait for the first frame, screendump ------------------------------------
MON=$WORK/monitor.sock
LOG=$WORK/serial.log
rm -f "$MON" "$LOG" "$WORK/screen.ppm"
say "booting $(basename "$KERNEL") under QEMU (software emulation)"
qemu-system-x86_64 -machine pc -accel tcg -m 512M -vga std -display none \
    -kernel "$KERNEL" -initrd "$WORK/initramfs.cpio.gz" \
    -append "vga=0x318 console=ttyS0 quiet loglevel=3 logo.nologo vt.global_cursor_default=0 panic=-1" \
    -serial "file:$LOG" -monitor "unix:$MON,server,nowait" -no-reboot &
QEMU=$!
trap 'kill $QEMU 2>/dev/null || true' EXIT

monitor() {
    python3 - "$MON" "$1" <<'PY'
import socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.settimeout(5)
def drain():
    data = b""
    try:
        while True:
            chunk = s.recv(65536)
            if not chunk: break
            data += chunk
            if data.endswith(b"(qemu) "): break
    except socket.timeout:
        pass
    return data
drain()
s.sendall((sys.argv[2] + "\n").encode())
drain()
s.close()
PY
}

deadline=$((SECONDS + TIMEOUT))
until grep -q "kioskd started:" "$LOG" 2>/dev/null; do
    kill -0 $QEMU 2>/dev/null || { cat "$LOG" >&2; fail "QEMU stopped before kioskd started"; }
    [ $SECONDS -lt $deadline ] || { cat "$LOG" >&2; fail "kioskd did not start within ${TIMEOUT}s"; }
    sleep 1
done
started=$SECONDS
# The first frame is drawn before "kioskd started" is logged; let it reach the screen.
sleep 5
monitor "screendump $WORK/screen.ppm"
for _ in 1 2 3 4 5 6 7 8 9 10; do [ -s "$WORK/screen.ppm" ] && break; sleep 1; done
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
monitor "screendump $WORK/after-sigterm.ppm"
wait_for "lobby drawn again"
monitor "screendump $WORK/before-crash.ppm"
wait_for "crashed with"
sleep 3
monitor "screendump $WORK/after-crash.ppm"
sleep 2
monitor "quit" || true
wait $QEMU 2>/dev/null || true
trap - EXIT
say "serial console:"; sed 's/^/  | /' "$LOG" >&2
[ -s "$WORK/screen.ppm" ] || fail "no screendump"
[ $elapsed -lt 50 ] || fail "the screendump came ${elapsed}s after kioskd started: the clock may have moved on"

grep -q "stopped by SIGTERM with status 0" "$LOG" || fail "kioskd did not stop cleanly on SIGTERM"

# --- 8. Compare -----------------------------------------------------------------------
python3 - "$WORK/screen.ppm" "$WORK/after-sigterm.ppm" "$WORK/before-crash.ppm" "$WORK/after-crash.ppm" <<'PY'
import sys
def pixels(path):
    data = open(path, "rb").read()
    # P6, width height, 255: four whitespace-separated fields, then the pixels.
    parts, i = [], 0
    while len(parts) < 4:
        while data[i:i+1].isspace(): i += 1
        j = i
        while not data[j:j+1].isspace(): j += 1
        parts.append(data[i:j]); i = j
    return data[i+1:]
def same_share(a, b):
    n = min(len(a), len(b)) // 3
    return sum(a[k*3:k*3+3] == b[k*3:k*3+3] for k in range(0, n, 7)) / len(range(0, n, 7))
lobby, term, before, crash = (pixels(p) for p in sys.argv[1:5])
if same_share(lobby, before) < 0.99: print("fb-test: FAIL: the second kioskd did not draw the lobby", file=sys.stderr); sys.exit(1)
lobby_share = same_share(term, lobby)
crash_share = same_share(before, crash)
print(f"fb-test: after SIGTERM {lobby_share:.0%} of the pixels still show the lobby; after SIGSEGV {crash_share:.0%}", file=sys.stderr)
if lobby_share > 0.5: print("fb-test: FAIL: the lobby stayed on screen after SIGTERM: console not back in text mode", file=sys.stderr); sys.exit(1)
if crash_share > 0.5: print("fb-test: FAIL: the lobby stayed on screen after a crash signal: console not back in text mode", file=sys.stderr); sys.exit(1)
PY
python3 - "$WORK/screen.ppm" "$WORK/expected.png" "$WORK/diff.ppm" <<'PY'
import sys, zlib, struct

def read_ppm(path):
    data = open(path, "rb").read()
    fields, i = [], 0
    while len(fields) < 4:
        while data[i:i+1].isspace(): i += 1
        if data[i:i+1] == b"#":
            while data[i:i+1] != b"\n": i += 1
            continue
        j = i
        while not data[j:j+1].isspace(): j += 1
        fields.append(data[i:j]); i = j
    i += 1
    assert fields[0] == b"P6" and fields[3] == b"255", fields
    w, h = int(fields[1]), int(fields[2])
    return w, h, data[i:i + w * h * 3]

def read_png(path):
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    i, idat = 8, b""
    while i < len(data):
        n, kind = struct.unpack(">I4s", data[i:i+8])
        body = data[i+8:i+8+n]
        if kind == b"IHDR":
            w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and ctype in (2, 6), (depth, ctype)
        elif kind == b"IDAT":
            idat += body
        i += 12 + n
    raw = zlib.decompress(idat)
    bpp = 3 if ctype == 2 else 4
    stride = w * bpp
    out, prev = bytearray(), bytearray(stride)
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if f == 1: line[x] = (line[x] + a) & 255
            elif f == 2: line[x] = (line[x] + b) & 255
            elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        prev = line
        if bpp == 4:
            for x in range(w): out += line[x*4:x*4+3]
        else:
            out += line
    return w, h, bytes(out)

sw, sh, screen = read_ppm(sys.argv[1])
ew, eh, expected = read_png(sys.argv[2])
if (sw, sh) != (ew, eh):
    print(f"fb-test: FAIL: the screen is {sw}x{sh}, the render {ew}x{eh}", file=sys.stderr); sys.exit(1)
diff = [i // 3 for i in range(0, len(screen), 3) if screen[i:i+3] != expected[i:i+3]]
if diff:
    xs = [p % sw for p in diff]; ys = [p // sw for p in diff]
    print(f"fb-test: FAIL: {len(diff)} of {sw*sh} pixels differ, within x {min(xs)}..{max(xs)}, y {min(ys)}..{max(ys)}", file=sys.stderr)
    marked = bytearray(expected)
    for p in diff: marked[p*3:p*3+3] = b"\xff\x00\xff"
    open(sys.argv[3], "wb").write(b"P6\n%d %d\n255\n" % (sw, sh) + bytes(marked))
    sys.exit(1)
print(f"fb-test: ok: the kernel's framebuffer ({sw}x{sh}) matches kioskctl render pixel for pixel", file=sys.stderr)
PY
