#!/bin/bash
# The VM test's agent inside the guest (Tests/vm/run-systemd-vm-test.sh), started at boot by
# kiosk-vmtest.service from the test's second disk. It runs the host's commands, one at a
# time, over the virtio serial port "kiosk.agent":
#   host -> guest:  ID BASE64(bash command)\n
#   guest -> host:  ID EXIT-STATUS BASE64(output, stdout and stderr together)\n
# and says "HELLO BOOT-ID" when it starts, so the host knows a boot (or a reboot) is done.
# Each command gets 300 s (timeout), no standard input, and runs as root.
port=/dev/virtio-ports/kiosk.agent
for _ in $(seq 1 120); do [ -e "$port" ] && break; sleep 0.5; done
exec 3<>"$port"
echo "HELLO $(cat /proc/sys/kernel/random/boot_id)" >&3
while IFS=' ' read -r id payload <&3; do
    [ -n "$id" ] || continue
    command=$(printf '%s' "$payload" | base64 -d)
    output=$(cd /run/vmtest && timeout 300 bash -c "$command" 2>&1 </dev/null)
    status=$?
    printf '%s %s %s\n' "$id" "$status" "$(printf '%s' "$output" | base64 -w0)" >&3
done
