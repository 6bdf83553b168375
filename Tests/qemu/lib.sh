# Shared by the real-kernel tests (run-fb-test.sh, run-drm-test.sh): tools, Debian's
# kernel (downloaded once into .build-qemu/kernel), the statically linked kioskd and
# kioskctl (built once into .build-qemu), the common part of the initramfs, and the
# QEMU monitor. Source it after setting ROOT; `say` and `fail` must be defined.

QEMU_CACHE=$ROOT/.build-qemu

# qemu-system-x86, busybox-static, cpio, python3, and libcurl's static parts (needed to
# link FoundationNetworking statically), installed when missing.
qemu_install_tools() {
    local missing=()
    command -v qemu-system-x86_64 >/dev/null || missing+=(qemu-system-x86)
    dpkg -s busybox-static >/dev/null 2>&1 || missing+=(busybox-static)
    command -v cpio >/dev/null || missing+=(cpio)
    command -v python3 >/dev/null || missing+=(python3)
    dpkg -s libcurl4-openssl-dev >/dev/null 2>&1 || missing+=(libcurl4-openssl-dev)
    if [ ${#missing[@]} -gt 0 ]; then
        say "installing ${missing[*]}"
        DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >&2 \
            || { apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >&2; }
    fi
}

# Debian's linux-image-amd64 (the metapackage, then the image it depends on), unpacked
# with dpkg -x into $QEMU_CACHE/kernel; sets KERNEL (vmlinuz) and MODULES (lib/modules/VERSION).
qemu_debian_kernel() {
    local dir=$QEMU_CACHE/kernel
    KERNEL=$(ls "$dir"/boot/vmlinuz-* 2>/dev/null | head -1 || true)
    if [ -z "$KERNEL" ]; then
        say "downloading linux-image-amd64"
        mkdir -p "$QEMU_CACHE/download"
        (cd "$QEMU_CACHE/download" && rm -f linux-image-*.deb && apt-get download linux-image-amd64 >&2)
        local image
        image=$(dpkg-deb -f "$QEMU_CACHE"/download/linux-image-amd64_*.deb Depends | sed 's/ *(.*//; s/,.*//')
        (cd "$QEMU_CACHE/download" && apt-get download "$image" >&2)
        rm -rf "$dir" && mkdir -p "$dir"
        dpkg -x "$QEMU_CACHE/download/$image"_*.deb "$dir"
        rm -f "$QEMU_CACHE"/download/*.deb
        KERNEL=$(ls "$dir"/boot/vmlinuz-* | head -1)
    fi
    MODULES=$(ls -d "$dir"/lib/modules/* | head -1)
    KERNEL_CONFIG=$(ls "$dir"/boot/config-* | head -1)
}

# kioskd and kioskctl, release, Swift runtime linked statically; sets KIOSKD, KIOSKCTL.
qemu_build_kiosk() {
    # KIOSK_QEMU_BIN: a directory that already holds kioskd and kioskctl built the same way
    # (CI passes .build/release after its own release build, saving a second one).
    if [ -n "${KIOSK_QEMU_BIN:-}" ]; then
        [ -x "$KIOSK_QEMU_BIN/kioskd" ] && [ -x "$KIOSK_QEMU_BIN/kioskctl" ] \
            || { echo "KIOSK_QEMU_BIN=$KIOSK_QEMU_BIN holds no kioskd and kioskctl" >&2; exit 1; }
        say "kioskd and kioskctl from $KIOSK_QEMU_BIN"
        KIOSKD=$(cd "$KIOSK_QEMU_BIN" && pwd)/kioskd
        KIOSKCTL=$(cd "$KIOSK_QEMU_BIN" && pwd)/kioskctl
        return
    fi
    say "building kioskd and kioskctl (release, --static-swift-stdlib)"
    (cd "$ROOT" && swift build -c release --static-swift-stdlib --scratch-path .build-qemu --product kioskd >&2 \
        && swift build -c release --static-swift-stdlib --scratch-path .build-qemu --product kioskctl >&2)
    local bin
    bin=$(cd "$ROOT" && swift build -c release --static-swift-stdlib --scratch-path .build-qemu --show-bin-path)
    KIOSKD=$bin/kioskd
    KIOSKCTL=$bin/kioskctl
}

# The common part of an initramfs in $1: busybox, kioskd and the shared libraries ldd
# still lists, the assets, the Europe/Paris zone, the configuration $2 and state $3.
qemu_initramfs_base() {
    local rd=$1 conf=$2 state=$3
    rm -rf "$rd" && mkdir -p "$rd"/{bin,dev,proc,sys,tmp,etc/kiosk,var/lib/kiosk,usr/bin,usr/share/kiosk,usr/share/zoneinfo/Europe}
    cp /bin/busybox "$rd/bin/busybox"
    cp "$KIOSKD" "$rd/usr/bin/kioskd"
    local lib
    for lib in $(ldd "$KIOSKD" | awk '/=> \//{print $3} /^\s*\/.*ld-linux/{print $1}'); do
        mkdir -p "$rd$(dirname "$lib")"
        cp -L "$lib" "$rd$lib"
    done
    # The loader under its canonical name too.
    mkdir -p "$rd/lib64" && cp -L /lib64/ld-linux-x86-64.so.2 "$rd/lib64/"
    cp -r "$ROOT/assets" "$rd/usr/share/kiosk/assets"
    cp -L /usr/share/zoneinfo/Europe/Paris "$rd/usr/share/zoneinfo/Europe/Paris" 2>/dev/null || true
    cp "$conf" "$rd/etc/kiosk/kiosk.conf"
    cp -r "$state/." "$rd/var/lib/kiosk/"
}

# Packs the directory $1 into the gzip'ed cpio $2.
qemu_pack() {
    (cd "$1" && find . | cpio -o -H newc --quiet | gzip -1) > "$2"
}

# Sends one command to the QEMU monitor at unix socket $1 and waits for its prompt.
qemu_monitor() {
    python3 - "$1" "$2" <<'PY'
import socket, sys
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

# A screendump of the display $3 (optional QEMU device id) into $2, through monitor $1,
# waiting until the file is written.
qemu_screendump() {
    rm -f "$2"
    qemu_monitor "$1" "screendump $2${3:+ -d $3}"
    local i
    for i in 1 2 3 4 5 6 7 8 9 10; do [ -s "$2" ] && return 0; sleep 0.5; done
    fail "no screendump in $2"
}
