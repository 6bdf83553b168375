#!/usr/bin/env python3
"""Drives the systemd VM test (Tests/vm/run-systemd-vm-test.sh): the guest through its
agent (Tests/vm/guest-agent.sh, a virtio serial channel), the screen through the QEMU
monitor (screendump), the badge reader through the second serial port.

Standard library only. Prints one line per check ("vm-test: ok ..." or "vm-test: FAIL ...")
and exits 1 at the first failure, after printing what the guest said."""

import argparse
import base64
import datetime
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import zoneinfo

SETTLE = 3.0  # seconds for a redraw to reach the screen under emulation


def log(text):
    print(f"vm-test: {text}", file=sys.stderr, flush=True)


class Failure(Exception):
    pass


class Agent:
    """The guest agent: one command at a time, its exit status and output."""

    def __init__(self, path):
        deadline = time.time() + 30
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX)
                self.sock.connect(path)
                break
            except OSError:
                if time.time() > deadline:
                    raise
                time.sleep(0.2)
        self.buffer = b""
        self.next_id = 1
        self.boots = []

    def _line(self, deadline):
        while b"\n" not in self.buffer:
            left = deadline - time.time()
            if left <= 0:
                raise TimeoutError
            self.sock.settimeout(min(left, 5))
            try:
                chunk = self.sock.recv(65536)
            except socket.timeout:
                continue
            if not chunk:
                raise Failure("the agent channel closed")
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        return line.decode()

    def wait_boot(self, timeout, other_than=None):
        """Waits for the agent's HELLO of a boot other than `other_than`; returns its id."""
        deadline = time.time() + timeout
        while True:
            try:
                line = self._line(deadline)
            except TimeoutError:
                raise Failure(f"no boot within {timeout} s")
            if line.startswith("HELLO "):
                boot = line.split()[1]
                self.boots.append(boot)
                if boot != other_than:
                    return boot

    def run(self, command, timeout=120, check=True):
        """Runs `command` with bash in the guest; returns (status, output)."""
        ident = str(self.next_id)
        self.next_id += 1
        self.sock.sendall(f"{ident} {base64.b64encode(command.encode()).decode()}\n".encode())
        deadline = time.time() + timeout
        while True:
            try:
                line = self._line(deadline)
            except TimeoutError:
                raise Failure(f"no answer within {timeout} s to: {command}")
            if line.startswith("HELLO "):
                self.boots.append(line.split()[1])
                continue
            parts = line.split(" ", 2)
            if parts[0] != ident:
                continue
            status = int(parts[1])
            output = base64.b64decode(parts[2]).decode(errors="replace") if len(parts) > 2 else ""
            if check and status != 0:
                raise Failure(f"`{command}` exited {status}:\n{output}")
            return status, output

    def send(self, command):
        """Sends `command` without waiting for its answer (a reboot)."""
        ident = str(self.next_id)
        self.next_id += 1
        self.sock.sendall(f"{ident} {base64.b64encode(command.encode()).decode()}\n".encode())


class Machine:
    """QEMU, started with the arguments the runner wrote (WORK/qemu-args); again after a
    guest reboot (-no-reboot makes the guest's reset QEMU's exit)."""

    def __init__(self, work):
        self.work = work
        self.dumps = 0
        self.argv = open(os.path.join(work, "qemu-args"), "rb").read().decode().split("\0")[:-1]
        self.process = None

    def start(self):
        for name in ("monitor.sock", "agent.sock", "badge.sock"):
            path = os.path.join(self.work, name)
            if os.path.exists(path):
                os.unlink(path)
        self.process = subprocess.Popen(self.argv, stdin=subprocess.DEVNULL,
                                        stdout=open(os.path.join(self.work, "qemu.log"), "ab"), stderr=subprocess.STDOUT)

    def wait_exit(self, timeout):
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            raise Failure(f"QEMU did not stop within {timeout} s after the guest's reboot")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()

    def monitor(self, command):
        s = socket.socket(socket.AF_UNIX)
        s.connect(os.path.join(self.work, "monitor.sock"))
        s.settimeout(10)

        def drain():
            data = b""
            try:
                while not data.endswith(b"(qemu) "):
                    chunk = s.recv(65536)
                    if not chunk:
                        break
                    data += chunk
            except socket.timeout:
                pass
            return data

        drain()
        s.sendall((command + "\n").encode())
        out = drain()
        s.close()
        return out

    def screendump(self, name):
        self.dumps += 1
        path = os.path.join(self.work, f"{self.dumps:02d}-{name}.ppm")
        self.monitor(f"screendump {path}")
        for _ in range(50):
            if os.path.exists(path) and os.path.getsize(path) > 0:
                break
            time.sleep(0.1)
        return read_ppm(path)

    def badge(self, frame):
        s = socket.socket(socket.AF_UNIX)
        s.connect(os.path.join(self.work, "badge.sock"))
        s.sendall(frame)
        time.sleep(0.5)
        s.close()


def read_ppm(path):
    data = open(path, "rb").read()
    fields, i = [], 0
    while len(fields) < 4:
        while data[i:i + 1].isspace():
            i += 1
        j = i
        while not data[j:j + 1].isspace():
            j += 1
        fields.append(data[i:j])
        i = j
    width, height = int(fields[1]), int(fields[2])
    return width, height, data[i + 1:]


def differing_pixels(a, b):
    if a[:2] != b[:2]:
        return a[0] * a[1]
    pa, pb = a[2], b[2]
    return sum(1 for k in range(0, len(pa), 3) if pa[k:k + 3] != pb[k:k + 3])


def distinct_colours(image):
    pixels = image[2]
    return len({pixels[k:k + 3] for k in range(0, len(pixels), 3 * 97)})


class Test:
    def __init__(self, args):
        self.args = args
        self.machine = Machine(args.work)
        self.agent = None
        self.started = time.time()

    def hold(self):
        """Keeps the VM for a look inside (--hold): the agent socket is free for another client."""
        if self.args.hold > 0:
            if self.agent:
                self.agent.sock.close()
            log(f"keeping the VM for {self.args.hold} s (agent: {self.args.work}/agent.sock, monitor: {self.args.work}/monitor.sock)")
            time.sleep(self.args.hold)

    def ok(self, text):
        log(f"ok   {text}  [{time.time() - self.started:.0f} s]")

    def sh(self, command, **kw):
        return self.agent.run(command, **kw)[1]

    def journal(self, selector, since_cursor=None):
        return self.sh(f"journalctl --no-pager -o cat {selector}", check=False)

    def show(self, *props):
        out = self.sh("systemctl show " + " ".join(f"-p {p}" for p in props) + " kioskd")
        return dict(line.split("=", 1) for line in out.splitlines() if "=" in line)

    def wait_for(self, what, predicate, timeout, every=2.0):
        deadline = time.time() + timeout
        while True:
            value = predicate()
            if value:
                return value
            if time.time() > deadline:
                raise Failure(f"{what}: not within {timeout} s")
            time.sleep(every)

    def count(self, selector, pattern):
        return len(re.findall(pattern, self.journal(selector)))

    def guest_clock(self):
        """The guest's own time (its clock drifts from the host's under emulation)."""
        return float(self.sh("date +%s.%N").strip())

    def stable_pair(self, name, action):
        """A screendump, `action`, a screendump, within one minute of the guest's clock
        (the screen shows the time): returns both, retrying when the minute turned."""
        for attempt in range(4):
            second = self.guest_clock() % 60
            if second > 25:
                time.sleep(61 - second)
            minute = int(self.guest_clock() // 60)
            before = self.machine.screendump(f"{name}-before")
            result = action()
            time.sleep(SETTLE)
            after = self.machine.screendump(f"{name}-after")
            if int(self.guest_clock() // 60) == minute:
                return before, after, result
            log(f"     ({name}: the minute turned during the check, again)")
        raise Failure(f"{name}: could not fit the check in one minute")

    def reload(self, marker):
        """systemctl reload, then waits for kioskd's line about it (`marker`)."""
        before = self.count("-u kioskd -b", marker)
        self.sh("systemctl reload kioskd")
        self.wait_for(f"a '{marker}' line after systemctl reload", lambda: self.count("-u kioskd -b", marker) > before, 60)
        time.sleep(2)
        return self.count("-u kioskd -b", marker) - before

    # ---------------------------------------------------------------------------

    def run(self):
        self.machine.start()
        self.agent = Agent(os.path.join(self.args.work, "agent.sock"))
        boot = self.agent.wait_boot(600)
        state = self.sh("systemctl is-system-running --wait", check=False, timeout=600)
        self.ok(f"Debian booted under QEMU, systemd says '{state.strip()}'")
        self.sh("uname -r; systemctl --version | head -1")

        # Install as a maintainer would.
        out = self.sh(f"cd /run/vmtest && apt install -y ./{self.args.deb} 2>&1", timeout=600)
        props = self.show("Type", "ActiveState", "SubState", "StatusText", "NRestarts")
        if props["Type"] != "notify" or props["ActiveState"] != "active" or not props["StatusText"]:
            raise Failure(f"after apt install: {props}\n{out}")
        self.ok(f"apt install ./{self.args.deb}: kioskd.service active through READY=1 (Type=notify), status '{props['StatusText']}'")
        # Two binaries; the running daemon maps no HTTP or TLS library (its feed helper,
        # `kioskctl --feed-helper`, does: issue #18).
        sizes = self.sh("test ! -L /usr/bin/kioskd && test ! -L /usr/bin/kioskctl && test ! -e /usr/bin/kiosk && du -sh /usr/bin/kioskd /usr/bin/kioskctl | cut -f1").split()
        maps = self.sh("grep -c -E 'libcurl|libssl|FoundationNetworking' /proc/$(systemctl show -P MainPID kioskd)/maps || true").strip()
        if maps != "0":
            raise Failure(f"kioskd maps {maps} regions of libcurl, libssl or FoundationNetworking")
        self.ok(f"two binaries, /usr/bin/kioskd ({sizes[0]}) and /usr/bin/kioskctl ({sizes[1]}); the running kioskd maps no libcurl, libssl or FoundationNetworking")
        noise = self.journal("-b _SYSTEMD_UNIT=kioskd.service + SYSLOG_IDENTIFIER=kioskd")
        for bad in ["Failed to set thread priority", "BUG in libdispatch"]:
            if bad in noise:
                raise Failure(f"the journal has '{bad}':\n{noise}")
        self.ok("no 'Failed to set thread priority' nor 'BUG in libdispatch' in kioskd's journal")

        # The terminal backend (the package's default configuration): a reload keeps tty1.
        before, after, lines = self.stable_pair("terminal-reload", lambda: self.reload("SIGHUP: configuration reloaded"))
        if distinct_colours(before) < 3:
            raise Failure("the terminal lobby is not on the screen before the reload")
        diff = differing_pixels(before, after)
        if diff or lines != 1:
            raise Failure(f"terminal backend: {diff} pixels changed by systemctl reload, {lines} reload line(s)")
        if "Input/output error" in self.journal("-u kioskd -b"):
            raise Failure("terminal backend: EIO in the journal after the reload")
        self.ok("terminal backend: systemctl reload leaves the screen unchanged (screendumps equal), one log line, no EIO")

        self.framebuffer_and_reader()
        self.reloads()
        self.badge_check_in()
        self.doctor_and_state_directory()
        self.watchdog()
        self.structured_fields()
        boot = self.reboot(boot)
        self.broken_start()
        self.remove_and_purge()
        log(f"all checks passed in {time.time() - self.started:.0f} s")

    CONFIG = """[venue]
name = Le Mixeur
tagline = Tiers-lieu des industries créatives
time-zone = Europe/Paris

[screen]
backend = framebuffer
panel-duration = 1h
directory-page-duration = 1h

[reader]
device = /dev/ttyS1
protocol = rdm6300

[checkin]
welcome-duration = 60s

[http]
listen = 127.0.0.1:8080
"""

    def record(self, name, command):
        """Keeps what a command printed on the guest in WORK/recorded/NAME (with its exit
        status): the outputs the doctor's unit tests were written from."""
        status, output = self.agent.run(command, check=False)
        self.keep(name, f"# {command}  (exit {status})\n{output}")

    def keep(self, name, text):
        os.makedirs(os.path.join(self.args.work, "recorded"), exist_ok=True)
        with open(os.path.join(self.args.work, "recorded", name), "w") as f:
            f.write(text)

    def write_config(self, text):
        self.sh(f"cat > /etc/kiosk/kiosk.conf <<'EOF'\n{text}EOF")

    def framebuffer_and_reader(self):
        token = json.loads(self.sh("kioskctl token new --name vm --role staff --format json"))
        self.sh(f"install -m 600 /dev/null /root/token && printf '%s' '{token['token']}' > /root/token")
        self.config = self.CONFIG + "\n" + token["config"]
        self.write_config(self.config)
        self.sh("kioskctl check-config")
        self.sh("systemctl restart kioskd")
        fb = self.sh("cat /sys/class/graphics/fb0/name /sys/class/graphics/fb0/virtual_size /sys/class/graphics/fb0/bits_per_pixel")
        # The reader on the second serial port: the shipped unit does not allow /dev/ttyS1.
        status = self.wait_for("kioskd's status about the reader", lambda: (lambda s: s if "DeviceAllow" in s else None)(self.show("StatusText")["StatusText"]), 60)
        warning = self.journal("-u kioskd -b -p warning KIOSK_DEVICE=/dev/ttyS1")
        if "DeviceAllow=/dev/ttyS1 rw" not in warning:
            raise Failure(f"the journal's warning about the reader does not name DeviceAllow=/dev/ttyS1 rw:\n{warning}")
        self.ok(f"a reader on a port the unit does not allow: status '{status}', journal (warning, KIOSK_DEVICE=/dev/ttyS1) names DeviceAllow=/dev/ttyS1 rw")
        code, doctor = self.agent.run("kioskctl doctor", check=False)
        self.keep("doctor-before-dropin.txt", doctor)
        line = re.search(r"DeviceAllow=/dev/ttyS1 rw", doctor)
        if code != 1 or not line or not re.search(r"^FAIL\s+reader", doctor, re.M):
            raise Failure(f"kioskctl doctor before the drop-in exited {code}:\n{doctor}")
        self.ok("kioskctl doctor: FAIL reader, with the exact line to add (DeviceAllow=/dev/ttyS1 rw), exit 1")
        self.record("systemctl-show-deviceallow-shipped.txt", "systemctl show -p LoadState -p DevicePolicy -p DeviceAllow kioskd.service")
        self.sh("mkdir -p /etc/systemd/system/kioskd.service.d && printf '[Service]\\nDeviceAllow=/dev/ttyS1 rw\\n' > /etc/systemd/system/kioskd.service.d/reader.conf "
                "&& systemctl daemon-reload && systemctl restart kioskd")
        self.record("systemctl-show-deviceallow-dropin.txt", "systemctl show -p LoadState -p DevicePolicy -p DeviceAllow kioskd.service")
        self.record("proc-devices.txt", "cat /proc/devices")
        self.record("ls-dev-ttyS.txt", "ls -l /dev/ttyS0 /dev/ttyS1 /dev/fb0")
        self.record("systemctl-show-as-kiosk.txt", "runuser -u kiosk -- systemctl show -p DeviceAllow kioskd.service")
        self.record("timedatectl-show.txt", "timedatectl show -p NTPSynchronized --value")
        self.record("systemctl-is-active-timesyncd.txt", "systemctl is-active systemd-timesyncd.service")
        self.wait_for("the reader connected", lambda: "reader connected" in self.show("StatusText")["StatusText"], 60)
        self.ok(f"after the drop-in: reader connected; the lobby on the framebuffer ({' '.join(fb.split())})")
        # A programme for today, pushed through the API; a badge for Camille.
        # Today at the venue (Europe/Paris, as the screen counts days); the timed event runs
        # from now to two hours later, so that it is on screen whatever the hour.
        paris = datetime.datetime.now(zoneinfo.ZoneInfo("Europe/Paris"))
        today = paris.strftime("%Y%m%d")
        start = datetime.datetime.now(datetime.timezone.utc).replace(second=0, microsecond=0)
        utc = lambda d: d.strftime("%Y%m%dT%H%M%SZ")
        ics = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//kiosk//vm test//FR\r\n"
               f"BEGIN:VEVENT\r\nUID:expo-{today}@vm\r\nDTSTAMP:{today}T000000Z\r\nDTSTART;VALUE=DATE:{today}\r\n"
               "SUMMARY:Exposition « Lumières numériques »\r\nLOCATION:Galerie\r\nEND:VEVENT\r\n"
               f"BEGIN:VEVENT\r\nUID:atelier-{today}@vm\r\nDTSTAMP:{today}T000000Z\r\nDTSTART:{utc(start - datetime.timedelta(minutes=30))}\r\nDTEND:{utc(start + datetime.timedelta(hours=2))}\r\n"
               "SUMMARY:Atelier sérigraphie\r\nLOCATION:Atelier 5\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
        self.sh(f"cat > /root/programme.ics <<'EOF'\n{ics}EOF\nkioskctl push programme /root/programme.ics --url http://127.0.0.1:8080 --token-file /root/token")
        self.sh("runuser -u kiosk -- kioskctl badges enrol 62E3086CED --first Camille --last-name Martin --role member")
        time.sleep(SETTLE)

    def reloads(self):
        before, after, lines = self.stable_pair("good-reload", lambda: (self.write_config(self.config + "\n# edited\n"), self.reload("SIGHUP: configuration reloaded"))[1])
        if distinct_colours(before) < 3:
            raise Failure("the framebuffer lobby is not on the screen")
        diff = differing_pixels(before, after)
        if diff or lines != 1:
            raise Failure(f"framebuffer: {diff} pixels changed by a good reload, {lines} reload line(s)")
        self.ok("systemctl reload, good configuration: screen unchanged (screendumps equal), one log line")
        bad = self.config.replace("[venue]\n", "[venue]\nrotation = fast\n")
        before, after, lines = self.stable_pair("bad-reload", lambda: (self.write_config(bad), self.reload("SIGHUP: configuration not reloaded"))[1])
        diff = differing_pixels(before, after)
        error = self.journal("-u kioskd -b -p err")
        if diff or lines != 1 or "kiosk.conf:2: unknown key 'rotation'" not in error:
            raise Failure(f"bad reload: {diff} pixels changed, {lines} line(s); err entries:\n{error}")
        if self.show("ActiveState")["ActiveState"] != "active":
            raise Failure("kioskd not active after a bad reload")
        self.ok("systemctl reload, bad configuration: screen unchanged, refused at err with file:line, still active")
        self.write_config(self.config)
        self.reload("SIGHUP: configuration reloaded")
        if "BUG in libdispatch" in self.journal("-b _SYSTEMD_UNIT=kioskd.service"):
            raise Failure("BUG in libdispatch after the reloads")

    def badge_check_in(self):
        time.sleep(2)
        before = self.machine.screendump("before-badge")
        self.machine.badge(bytes.fromhex("02") + b"62E3086CED08" + bytes.fromhex("03"))
        screen = self.wait_for("a welcome on the screen (API)", lambda: (lambda t: t if "Bienvenue" in t else None)(
            self.sh("kioskctl screen --url http://127.0.0.1:8080 --token-file /root/token", check=False)), 30)
        after = self.machine.screendump("welcome")
        presence = self.sh("runuser -u kiosk -- kioskctl presence")
        if "Camille" not in presence:
            raise Failure(f"no check-in for Camille:\n{presence}")
        diff = differing_pixels(before, after)
        if diff < 1000:
            raise Failure(f"the welcome did not reach the framebuffer ({diff} pixels changed)")
        welcome = next(line.strip() for line in screen.splitlines() if "Bienvenue" in line)
        self.ok(f"badge frame on the second serial port: '{welcome}' on screen ({diff} pixels), Camille checked in")

    def doctor_and_state_directory(self):
        code, out = self.agent.run("kioskctl doctor", check=False)
        if code != 0:
            raise Failure(f"kioskctl doctor (root) exited {code}:\n{out}")
        code2, out2 = self.agent.run("runuser -u kiosk -- kioskctl doctor", check=False)
        if code2 != 0:
            raise Failure(f"kioskctl doctor (kiosk) exited {code2}:\n{out2}")
        self.keep("doctor-healthy.txt", out)
        self.keep("doctor-healthy-as-kiosk.txt", out2)
        summary = out.strip().splitlines()[-1]
        self.ok(f"kioskctl doctor exits 0 as root and as kiosk ({summary})")
        stray = self.sh("find /var/lib/kiosk -mindepth 1 ! -name 'kiosk.sqlite3*'")
        if stray.strip():
            raise Failure(f"stray files in /var/lib/kiosk:\n{stray}")
        self.ok("nothing but the database in /var/lib/kiosk after kioskctl ran as kiosk")

    def watchdog(self):
        props = self.show("MainPID", "NRestarts")
        pid, restarts = props["MainPID"], int(props["NRestarts"])
        self.sh(f"kill -STOP {pid}")
        stopped = time.time()
        def restarted():
            p = self.show("MainPID", "NRestarts", "ActiveState")
            return p if int(p["NRestarts"]) > restarts and p["MainPID"] not in ("0", pid) and p["ActiveState"] == "active" else None
        after = self.wait_for("a watchdog restart after kill -STOP", restarted, 150, every=5)
        if "Watchdog timeout" not in self.journal("-b -u kioskd"):
            raise Failure("no 'Watchdog timeout' in the journal")
        self.ok(f"kill -STOP: the watchdog restarted kioskd in {time.time() - stopped:.0f} s (pid {pid} -> {after['MainPID']})")

    def structured_fields(self):
        self.config += '\n[feed "agenda"]\nurl = http://127.0.0.1:9/agenda.ics\n'
        self.write_config(self.config)
        self.reload("SIGHUP: configuration reloaded")
        entries = self.wait_for("an entry with KIOSK_FEED=agenda", lambda: self.sh("journalctl -b KIOSK_FEED=agenda -o json --no-pager", check=False).strip(), 60)
        entry = json.loads(entries.splitlines()[0])
        if entry.get("SYSLOG_IDENTIFIER") != "kioskd" or entry.get("_SYSTEMD_UNIT") != "kioskd.service" or entry.get("PRIORITY") not in ("4", "5", "6"):
            raise Failure(f"the entry: {entry}")
        self.ok(f"journalctl KIOSK_FEED=agenda: '{entry['MESSAGE'][:70]}…' (PRIORITY={entry['PRIORITY']}, SYSLOG_IDENTIFIER=kioskd, unit kioskd.service)")
        # The pull ran in the feed helper (/usr/bin/kioskctl --feed-helper) under the unit's
        # sandbox: it failed on the closed port, not on starting the helper.
        pulled = self.wait_for("the pull's outcome", lambda: [line for line in self.sh("journalctl -b KIOSK_FEED=agenda -o cat --no-pager", check=False).splitlines()
                                                           if "keeping the last good programme" in line], 60)
        if any(word in pulled[0] for word in ("cannot start", "crashed", "without a readable answer")):
            raise Failure(f"the feed helper did not run under the unit: {pulled[0]}")
        self.ok(f"the feed helper ran under the unit (kioskctl --feed-helper): '{pulled[0][:90]}'")
        # A broken feed is a FAIL for the doctor: back to the healthy configuration.
        self.config = self.config.replace('\n[feed "agenda"]\nurl = http://127.0.0.1:9/agenda.ics\n', "")
        self.write_config(self.config)
        self.reload("SIGHUP: configuration reloaded")

    def reboot(self, boot):
        self.agent.send("systemctl reboot --no-block")
        down = time.time()
        self.machine.wait_exit(300)
        self.machine.start()
        self.agent = Agent(os.path.join(self.args.work, "agent.sock"))
        new = self.agent.wait_boot(600, other_than=boot)
        log(f"     (rebooted: shutdown and boot in {time.time() - down:.0f} s)")
        self.sh("systemctl is-system-running --wait", check=False, timeout=600)
        self.wait_for("kioskd active after the reboot", lambda: self.show("ActiveState")["ActiveState"] == "active", 120)
        restarts = self.show("NRestarts")["NRestarts"]
        waited = self.journal("-b -u kioskd -g 'waiting for the display'").strip()
        if restarts != "0":
            raise Failure(f"kioskd needed {restarts} restart(s) at boot:\n{self.journal('-b -u kioskd')}")
        presence = self.sh("runuser -u kiosk -- kioskctl presence")
        if "Camille" not in presence:
            raise Failure(f"the check-in is gone after the reboot:\n{presence}")
        code, out = self.agent.run("kioskctl doctor", check=False)
        if code != 0 or not re.search(r"^ok\s+database", out, re.M):
            raise Failure(f"doctor after the reboot exited {code}:\n{out}")
        self.ok("reboot: kioskd active again at the first start" + (" (it waited for the display: " + waited.splitlines()[0] + ")" if waited else "")
                + ", Camille's check-in still there, database passes the integrity check, doctor exit 0")
        return new

    def broken_start(self):
        self.write_config(self.config.replace("[venue]\n", "[venue]\nrotation = fast\n"))
        restarts = int(self.show("NRestarts")["NRestarts"])
        code, _ = self.agent.run("systemctl restart kioskd", check=False)
        time.sleep(8)
        props = self.show("ActiveState", "Result", "ExecMainStatus", "NRestarts")
        warning = self.journal("-u kioskd -b -p warning")
        if code == 0 or props["ExecMainStatus"] != "78" or int(props["NRestarts"]) != restarts:
            raise Failure(f"a broken start: systemctl restart exited {code}, {props}")
        if "kiosk.conf:2: unknown key 'rotation' in [venue]" not in warning:
            raise Failure(f"journalctl -u kioskd -p warning lacks the fatal configuration error:\n{warning}")
        self.ok(f"a broken configuration: exit 78, not restarted, and `journalctl -u kioskd -p warning` holds 'kiosk.conf:2: unknown key'")
        self.write_config(self.config)

    def remove_and_purge(self):
        self.sh("apt-get remove -y kiosk", timeout=300)
        left = self.sh("ls /var/lib/kiosk /etc/kiosk; ls /usr/bin/kiosk* 2>&1 || true")
        if "kiosk.sqlite3" not in left or "kiosk.conf" not in left or "No such file" not in left:
            raise Failure(f"after remove:\n{left}")
        self.ok("apt remove: programs gone, /var/lib/kiosk (database) and /etc/kiosk kept")
        self.sh("apt-get purge -y kiosk", timeout=300)
        gone = self.sh("ls -d /var/lib/kiosk /etc/kiosk 2>&1 || true")
        if gone.count("No such file") != 2:
            raise Failure(f"after purge:\n{gone}")
        self.ok("apt purge: /var/lib/kiosk and /etc/kiosk deleted")


def main():
    # A SIGTERM (CI's timeout, the runner) stops QEMU too, through `finally`.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parser = argparse.ArgumentParser()
    parser.add_argument("--work", required=True)
    parser.add_argument("--deb", required=True)
    parser.add_argument("--hold", type=int, default=0, help="seconds to keep the VM running at the end")
    args = parser.parse_args()
    test = Test(args)
    try:
        test.run()
        test.hold()
    except (Failure, OSError) as error:
        log(f"FAIL {error}")
        if test.agent:
            try:
                log("kioskd's journal (last 60 lines):\n" + test.sh("journalctl -u kioskd -b --no-pager -n 60", check=False, timeout=60))
            except Exception:
                pass
        console = os.path.join(args.work, "console.log")
        if os.path.exists(console):
            tail = open(console, errors="replace").read()[-3000:]
            log("console (end):\n" + tail)
        test.hold()
        sys.exit(1)
    finally:
        test.machine.stop()


if __name__ == "__main__":
    main()
