#!/usr/bin/env python3
"""A simulated week of kioskd in a few minutes (see simulated-week.sh for the contract).

kioskd runs its accelerated test clock (KIOSK_DEBUG_CLOCK_RATE, --at START) on an
in-memory 1920x1080x32 framebuffer (KIOSK_DEBUG_MEMORY_FRAMEBUFFER), pulls its programme
every 15 simulated minutes from a local HTTP server whose file changes every simulated
day, reads badge frames from a pseudo-terminal, checks everyone out at closing, purges
personal rows older than 2 days every night at 03:30 and powers the screen down outside
opening hours. This script samples its memory and open descriptors every simulated hour,
then checks: RSS at the end within 2 MB of RSS after the first simulated day, descriptors
not growing, PRAGMA integrity_check = ok, no log line at warning level or above, and that
the week's events did happen (feed changes stored, 304s, screen off and on, purges,
closing-time check-outs, every scan acknowledged).
"""
import argparse
import http.server
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time

START = "2026-11-23T00:00:00+01:00"  # a Monday, Europe/Paris; the generated calendars start then
DAY = 86400


def rdm6300(tag):
    checksum = 0
    for i in range(0, 10, 2):
        checksum ^= int(tag[i:i + 2], 16)
    return b"\x02" + tag.encode() + ("%02X" % checksum).encode() + b"\x03"


def proc_status(pid):
    fields = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            fields[key] = value.strip()
    kib = lambda k: int(fields.get(k, "0 kB").split()[0])
    return {"rss": kib("VmRSS"), "anon": kib("RssAnon"), "file": kib("RssFile"), "shmem": kib("RssShmem")}


# Descriptors a sample may catch open for a moment: a feed fetch's two pipes to the
# helper (four ends while it is spawned, then one until it answers), a kept-alive socket.
TRANSIENT_FDS = 5


def open_fds(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    requests = {"200": 0, "304": 0, "other": 0}

    def log_message(self, *args):
        pass

    def log_request(self, code="-", size="-"):
        key = str(getattr(code, "value", code))
        QuietHandler.requests[key if key in ("200", "304") else "other"] += 1


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("build_dir")
    parser.add_argument("--rate", type=float, default=2000, help="simulated seconds per real second")
    parser.add_argument("--days", type=int, default=7)
    parser.add_argument("--scans", type=int, default=5000)
    parser.add_argument("--events", type=int, default=1000, help="VEVENTs per version of the programme")
    parser.add_argument("--assets", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "assets"))
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    parser.add_argument("--rss-limit-kib", type=int, default=2048,
                        help="allowed RSS growth from the end of day 1 to the end (the issue's 2 MB by default)")
    parser.add_argument("--file-feed", action="store_true", help="pull the programme from the file, not over HTTP (to isolate a leak)")
    parser.add_argument("--same-programme", action="store_true", help="never change the programme (to isolate a leak)")
    parser.add_argument("--always-open", action="store_true", help="no [hours]: the screen never sleeps (to isolate a leak)")
    parser.add_argument("--daemon-env", action="append", default=[], metavar="KEY=VALUE", help="more environment for kioskd")
    args = parser.parse_args()

    build = os.path.abspath(args.build_dir)
    kioskd, bench = os.path.join(build, "kioskd"), os.path.join(build, "kiosk-bench")
    for exe in (kioskd, bench):
        if not os.access(exe, os.X_OK):
            sys.exit(f"simulated-week: {exe} is not built")
    work = tempfile.mkdtemp(prefix="kiosk-week-")
    www = os.path.join(work, "www")
    os.makedirs(www)
    feed = os.path.join(www, "programme.ics")

    # One version of the programme per simulated day (a different seed each), swapped in
    # by rename so the server never serves half a file.
    versions = []
    for day in range(args.days):
        path = os.path.join(work, f"programme-{day}.ics")
        subprocess.run([bench, "generate-calendar", "--events", str(args.events), "--seed", str(1000 + day), "--out", path],
                       check=True, stdout=subprocess.DEVNULL)
        versions.append(path)

    def publish(day):
        staging = feed + ".new"
        with open(versions[day], "rb") as src, open(staging, "wb") as dst:
            dst.write(src.read())
        os.rename(staging, feed)

    publish(0)
    handler = lambda *a, **k: QuietHandler(*a, directory=www, **k)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/programme.ics"

    enrolled = 1500
    hours = ["[hours]", "monday = 08:00-20:00", "tuesday = 08:00-20:00", "wednesday = 08:00-20:00",
             "thursday = 08:00-20:00", "friday = 08:00-20:00", "saturday = 10:00-18:00", "sunday = closed"]
    extra = "\\n".join(["retention-days = 2", "auto-checkout-at-closing = yes"] + ([] if args.always_open else hours))
    subprocess.run([bench, "seed-state", "--dir", work, "--events", "10", "--residents", "200", "--badges", str(enrolled),
                    "--feed-url", feed if args.file_feed else url, "--refresh", "15min", "--extra-config", extra], check=True, stdout=subprocess.DEVNULL)

    controller, device = os.openpty()
    link = os.path.join(work, "badge-reader")
    if os.path.lexists(link):
        os.unlink(link)
    os.symlink(os.ttyname(device), link)

    log_path = os.path.join(work, "kioskd.log")
    env = {"PATH": "/usr/bin:/bin", "HOME": work, "TZ": "UTC", "JOURNAL_STREAM": "0:0",
           "KIOSK_ASSETS": os.path.abspath(args.assets), "KIOSK_DEBUG_MEMORY_FRAMEBUFFER": "1920x1080",
           "KIOSK_DEBUG_CLOCK_RATE": str(args.rate)}
    env.update(item.split("=", 1) for item in args.daemon_env)
    with open(log_path, "wb") as log:
        spawned = time.monotonic()
        daemon = subprocess.Popen([kioskd, "--config", os.path.join(work, "kiosk.conf"), "--state-dir", os.path.join(work, "state"),
                                   "--at", START], env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log)

    real_total = args.days * DAY / args.rate
    simulated = lambda: (time.monotonic() - spawned) * args.rate
    samples = []  # (simulated seconds, rss dict, fds)
    next_sample = 0.0
    published = 0
    scan_interval = (real_total - 3.0) / max(1, args.scans)
    next_scan = spawned + 2.0  # the reader opens within the first second
    written = 0
    rng = random.Random(8)
    unknown = 0
    failure = None
    try:
        while time.monotonic() - spawned < real_total:
            if daemon.poll() is not None:
                failure = f"kioskd exited early with status {daemon.returncode}"
                break
            now = time.monotonic()
            sim = simulated()
            day = int(sim // DAY)
            if day > published and day < args.days and not args.same_programme:
                publish(day)
                published = day
            if sim >= next_sample:
                try:
                    samples.append((sim, proc_status(daemon.pid), open_fds(daemon.pid)))
                except FileNotFoundError:
                    pass
                next_sample += 3600
            while now >= next_scan and written < args.scans:
                if rng.random() < 0.1:
                    tag = "C0%08X" % unknown  # an unknown badge, kept for staff to enrol
                    unknown += 1
                else:
                    tag = "B0%08X" % rng.randrange(enrolled)
                os.write(controller, rdm6300(tag))
                written += 1
                next_scan += scan_interval
            time.sleep(0.005)
        end_sample = (simulated(), proc_status(daemon.pid), open_fds(daemon.pid)) if daemon.poll() is None else None
    finally:
        if daemon.poll() is None:
            daemon.send_signal(signal.SIGTERM)
        try:
            status = daemon.wait(timeout=20)
        except subprocess.TimeoutExpired:
            daemon.kill()
            status = daemon.wait()
        server.shutdown()

    with open(log_path, encoding="utf-8", errors="replace") as f:
        log_lines = f.read().splitlines()
    db = os.path.join(work, "state", "kiosk.sqlite3")
    integrity = subprocess.run(["sqlite3", db, "PRAGMA integrity_check"], capture_output=True, text=True).stdout.strip()
    counts = subprocess.run(["sqlite3", db, "SELECT (SELECT count(*) FROM checkins), (SELECT count(*) FROM unknown_scans)"],
                            capture_output=True, text=True).stdout.strip()

    def count(text):
        return sum(1 for line in log_lines if text in line)

    loud = [line for line in log_lines if line[:3] in ("<0>", "<1>", "<2>", "<3>", "<4>")]
    day1 = [s for s in samples if DAY <= s[0] < DAY + 3600]
    first_day = [s for s in samples if s[0] < DAY and s[0] >= 3600]
    last_day = [s for s in samples if s[0] >= (args.days - 1) * DAY]
    if end_sample:
        last_day.append(end_sample)
    rss_day1 = day1[0][1]["rss"] if day1 else None
    rss_end = end_sample[1]["rss"] if end_sample else None
    fds_first = max((s[2] for s in first_day), default=None)
    fds_last = max((s[2] for s in last_day), default=None)
    # A leaked descriptor never closes, so it raises the count at every later sample: the
    # lowest count of the last day above the lowest of day 1 is growth. A sample can also
    # catch a feed fetch's socket or the shared URLSession's kept-alive connection open
    # (one more for a moment), so the highest counts may differ by that much.
    fds_first_min = min((s[2] for s in first_day), default=None)
    fds_last_min = min((s[2] for s in last_day), default=None)

    figures = {
        "real seconds": round(time.monotonic() - spawned, 1),
        "simulated days": args.days, "clock rate": args.rate,
        "RSS after day 1 (KiB)": rss_day1, "RSS at the end (KiB)": rss_end,
        "RSS growth after day 1 (KiB)": rss_end - rss_day1 if rss_day1 and rss_end else None,
        "RSS at the end, anon/file/shmem (KiB)": end_sample and "/".join(str(end_sample[1][k]) for k in ("anon", "file", "shmem")),
        "RSS min/max over the week (KiB)": samples and f"{min(s[1]['rss'] for s in samples)}/{max(s[1]['rss'] for s in samples)}",
        "open fds, max over day 1 / last day": f"{fds_first}/{fds_last}",
        "open fds, min over day 1 / last day": f"{fds_first_min}/{fds_last_min}",
        "scans written": written, "acknowledged": count("check-in: acknowledged"),
        "check-ins / unknown scans in the db at the end": counts,
        "programme versions stored": count(" events stored"), "HTTP 200/304": f"{QuietHandler.requests['200']}/{QuietHandler.requests['304']}",
        "screen off / on": f"{count('screen off on purpose')}/{count('screen on:')}",
        "purges that deleted rows": count("check-in: purged"), "closing-time check-outs": count("checked out at closing time"),
        "integrity_check": integrity, "log lines at warning or above": len(loud), "exit status": status,
    }
    for day in range(args.days):
        at_day = [s for s in samples if s[0] >= (day + 1) * DAY - 3600 and s[0] < (day + 1) * DAY]
        if at_day:
            s = at_day[-1]
            figures[f"end of day {day + 1}: RSS / anon / fds"] = f"{s[1]['rss']} / {s[1]['anon']} KiB / {s[2]}"
    for key, value in figures.items():
        print(f"simulated-week: {key}: {value}")

    problems = [failure] if failure else []
    if rss_day1 is None or rss_end is None:
        problems.append("no memory sample after day 1 or at the end")
    elif rss_end - rss_day1 > args.rss_limit_kib:
        problems.append(f"RSS grew by {rss_end - rss_day1} KiB after day 1 (limit {args.rss_limit_kib})")
    if fds_first_min is None or fds_last_min is None or fds_last_min > fds_first_min:
        problems.append(f"open descriptors grew: lowest count {fds_first_min} on day 1 -> {fds_last_min} on the last day")
    elif fds_last > fds_first + TRANSIENT_FDS:
        problems.append(f"open descriptors grew: highest count {fds_first} on day 1 -> {fds_last} on the last day")
    if integrity != "ok":
        problems.append(f"integrity_check: {integrity}")
    if loud:
        problems.append("log lines at warning or above:\n  " + "\n  ".join(loud[:20]))
    if status != 0:
        problems.append(f"kioskd exit status {status}")
    if count("check-in: acknowledged") != written:
        problems.append(f"{written} scans written, {count('check-in: acknowledged')} acknowledged")
    if count(" events stored") < (1 if args.same_programme else args.days):
        problems.append(f"only {count(' events stored')} programme versions stored for {args.days} published")
    if not args.file_feed and QuietHandler.requests["304"] < args.days * 24:
        problems.append(f"only {QuietHandler.requests['304']} conditional fetches answered 304")
    if args.days >= 2 and not args.always_open and (count("screen off on purpose") < args.days - 1 or count("screen on:") < args.days - 2):
        problems.append("the screen did not sleep and wake every night")
    if args.days >= 4 and count("check-in: purged") < 1:
        problems.append("no nightly purge deleted anything")
    if args.days >= 2 and not args.always_open and count("checked out at closing time") < 1:
        problems.append("nobody was checked out at closing time")
    if problems:
        print("simulated-week: FAILED\n- " + "\n- ".join(problems))
        print(f"simulated-week: work directory kept: {work}")
        return 1
    print("simulated-week: ok")
    if not args.keep:
        subprocess.run(["rm", "-rf", work])
    else:
        print(f"simulated-week: work directory: {work}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
