#!/usr/bin/env python3
"""Power-cut loop (see power-cut.sh for the contract).

Each round starts kioskd on the same state directory with a badge reader on a
pseudo-terminal, writes badge frames (enrolled and unknown badges, so check-ins,
check-outs and unknown scans), and kills it with SIGKILL at a random moment between its
spawn and 1.5 s later (sometimes before the reader is even open). Then, with the
database as the killed process left it (WAL not checkpointed):

- PRAGMA integrity_check must be ok;
- every scan the daemon acknowledged must be stored as acknowledged. The daemon writes
  "check-in: acknowledged TAG (WORD, record ID)" (debug level) after the commit and after
  the welcome frame; the script looks record ID up: a check-in row of that tag and
  direction ("out" for WORD out), or an unknown scan of that tag for WORD unknown;
- nothing is acknowledged twice.

SIGKILL is a crash of the process, not of the machine: the kernel still writes the page
cache out. What makes an acknowledged scan survive a real power cut is that the commit's
fsync returns before the welcome (WAL with synchronous=FULL, Database.Configuration; the
benchmark counts the fsyncs per check-in under strace).
"""
import argparse
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time

ACK = re.compile(r"check-in: acknowledged (\S+) \((.+), record (\d+)\)")


def rdm6300(tag):
    checksum = 0
    for i in range(0, 10, 2):
        checksum ^= int(tag[i:i + 2], 16)
    return b"\x02" + tag.encode() + ("%02X" % checksum).encode() + b"\x03"


def sqlite(db, sql):
    result = subprocess.run(["sqlite3", "-separator", "|", db, sql], capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"sqlite3 {sql!r}: {result.stderr.strip()}")
    return result.stdout.strip()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("build_dir")
    parser.add_argument("rounds", nargs="?", type=int, default=100)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--assets", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "assets"))
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1 << 30)
    rng = random.Random(seed)

    build = os.path.abspath(args.build_dir)
    kioskd, bench = os.path.join(build, "kioskd"), os.path.join(build, "kiosk-bench")
    for exe in (kioskd, bench):
        if not os.access(exe, os.X_OK):
            sys.exit(f"power-cut: {exe} is not built")
    work = tempfile.mkdtemp(prefix="kiosk-power-cut-")
    enrolled = 400
    subprocess.run([bench, "seed-state", "--dir", work, "--events", "200", "--residents", "50", "--badges", str(enrolled)],
                   check=True, stdout=subprocess.DEVNULL)
    controller, device = os.openpty()
    os.set_blocking(controller, False)
    link = os.path.join(work, "badge-reader")
    os.symlink(os.ttyname(device), link)
    db = os.path.join(work, "state", "kiosk.sqlite3")
    env = {"PATH": "/usr/bin:/bin", "HOME": work, "TZ": "UTC", "JOURNAL_STREAM": "0:0",
           "KIOSK_ASSETS": os.path.abspath(args.assets), "KIOSK_DEBUG_MEMORY_FRAMEBUFFER": "1920x1080"}
    command = [kioskd, "--config", os.path.join(work, "kiosk.conf"), "--state-dir", os.path.join(work, "state")]

    problems = []
    total_acks = total_written = killed_before_reader = 0
    unknown = 0
    started = time.monotonic()
    for round_number in range(args.rounds):
        log_path = os.path.join(work, f"round-{round_number}.log")
        with open(log_path, "wb") as log:
            spawned = time.monotonic()
            daemon = subprocess.Popen(command, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log)
        kill_at = spawned + rng.uniform(0.0, 1.5)
        pending = b""
        written = 0
        # Frames go in small bursts at a random pace; what the pty does not take waits.
        while time.monotonic() < kill_at:
            if not pending:
                for _ in range(rng.randint(1, 4)):
                    if rng.random() < 0.15:
                        tag = "C1%08X" % unknown
                        unknown += 1
                    else:
                        tag = "B0%08X" % rng.randrange(enrolled)
                    pending += rdm6300(tag)
            try:
                n = os.write(controller, pending)
                written += n // 14
                pending = pending[n:]
            except BlockingIOError:
                pass
            time.sleep(rng.uniform(0.0005, 0.004))
        os.kill(daemon.pid, signal.SIGKILL)
        daemon.wait()
        # Frames the dead daemon had not read stay in the pty, as in a real reader's
        # buffer: the next round reads them first (and they are checked like the others).
        with open(log_path, encoding="utf-8", errors="replace") as f:
            text = f.read()
        if "badge reader connected" not in text:
            killed_before_reader += 1
        acks = [m.groups() for m in ACK.finditer(text)]
        records = [int(r) for _, _, r in acks]
        if len(set((w == "unknown", r) for _, w, r in acks)) != len(acks):
            problems.append(f"round {round_number}: an acknowledgement repeated")
        integrity = sqlite(db, "PRAGMA integrity_check")
        if integrity != "ok":
            problems.append(f"round {round_number}: integrity_check: {integrity}")
        if acks:
            ids = ",".join(str(r) for r in records)
            checkins = {int(i): (t, d) for i, t, d in (line.split("|") for line in sqlite(db, f"SELECT id, tag, direction FROM checkins WHERE id IN ({ids})").splitlines())}
            unknowns = {int(i): t for i, t in (line.split("|") for line in sqlite(db, f"SELECT id, tag FROM unknown_scans WHERE id IN ({ids})").splitlines())}
            for tag, word, record in acks:
                record = int(record)
                if word == "unknown":
                    ok = unknowns.get(record) == tag
                else:
                    row = checkins.get(record)
                    ok = row is not None and row[0] == tag and (row[1] == "out") == (word == "out")
                if not ok:
                    problems.append(f"round {round_number}: acknowledged {tag} ({word}, record {record}) is not in the database")
        total_acks += len(acks)
        total_written += written
        if problems:
            break
    stored = sqlite(db, "SELECT (SELECT count(*) FROM checkins) || ' check-ins, ' || (SELECT count(*) FROM unknown_scans) || ' unknown scans'")
    print(f"power-cut: {round_number + 1} rounds in {time.monotonic() - started:.0f} s (seed {seed}): {total_written} frames written, "
          f"{total_acks} acknowledged, {stored} stored; {killed_before_reader} rounds killed before the reader opened")
    if problems:
        print("power-cut: FAILED\n- " + "\n- ".join(problems[:20]))
        print(f"power-cut: work directory kept: {work}")
        return 1
    if total_acks == 0:
        print("power-cut: FAILED: nothing was acknowledged, the test proves nothing")
        return 1
    subprocess.run(["rm", "-rf", work])
    print("power-cut: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
