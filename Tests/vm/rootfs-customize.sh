#!/bin/sh
# mmdebstrap --customize-hook for the systemd VM test's Debian 12 image (Tests/vm/run-systemd-vm-test.sh).
# $1 is the root directory being built. What it adds to a plain Debian system:
#  - hostname, fstab (/dev/vda is the root), an empty root password (console debugging);
#  - kiosk-vmtest.service, which mounts the test's second disk (/dev/vdb, read-only) and runs
#    the agent script found there, so the agent can change without rebuilding this image;
#  - timers that would compete with the test on a slow emulated CPU are masked.
# The image is cached keyed on this file: change it and the next run rebuilds the image.
set -eu
root="$1"
echo kiosk-vm > "$root/etc/hostname"
printf '127.0.0.1\tlocalhost\n127.0.1.1\tkiosk-vm\n' > "$root/etc/hosts"
printf '/dev/vda\t/\text4\trw,errors=remount-ro\t0\t1\n' > "$root/etc/fstab"
chroot "$root" passwd -d root >/dev/null

cat > "$root/etc/systemd/system/kiosk-vmtest.service" <<'UNIT'
[Unit]
Description=kiosk VM test agent (runs /dev/vdb:guest-agent.sh)
Wants=dev-vdb.device
After=local-fs.target systemd-udevd.service dev-vdb.device
DefaultDependencies=no

[Service]
Type=simple
ExecStartPre=/bin/mkdir -p /run/vmtest
ExecStartPre=/bin/mount -o ro /dev/vdb /run/vmtest
ExecStart=/bin/bash /run/vmtest/guest-agent.sh
ExecStopPost=-/bin/umount /run/vmtest
Restart=always
RestartSec=2

[Install]
WantedBy=multi-user.target
UNIT
mkdir -p "$root/etc/systemd/system/multi-user.target.wants"
ln -sf ../kiosk-vmtest.service "$root/etc/systemd/system/multi-user.target.wants/kiosk-vmtest.service"

for unit in apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer e2scrub_reap.service fstrim.timer \
            man-db.timer dpkg-db-backup.timer systemd-tmpfiles-clean.timer; do
    ln -sf /dev/null "$root/etc/systemd/system/$unit"
done
# The journal on disk, so that the test can read the previous boot's entries.
mkdir -p "$root/var/log/journal"
