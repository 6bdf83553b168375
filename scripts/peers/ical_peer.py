#!/usr/bin/env python3
"""The peer of `kiosk-bench feeds`: the same work with Python's icalendar and
recurring-ical-events (from PyPI, versions in requirements.txt).

One run = icalendar.Calendar.from_ical(bytes) + recurring_ical_events.of(calendar)
.between(start, end) turned into a list, over the 28 days from 2026-11-23T00:00:00+01:00
(Europe/Paris). The file is read once, before timing. One untimed warm-up run, then N
timed ones (time.perf_counter). --once: one run in this fresh process, for peak memory.
Prints key=value lines with the same keys as `kiosk-bench feeds --format kv`.
"""
import argparse
import datetime
import importlib.metadata
import resource
import statistics
import sys
import time
import zoneinfo

import icalendar
import recurring_ical_events

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
WINDOW_START = datetime.datetime(2026, 11, 23, tzinfo=PARIS)
WINDOW_DAYS = 28


def current_rss_kib():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def run_once(data):
    started = time.perf_counter()
    calendar = icalendar.Calendar.from_ical(data)
    parsed = time.perf_counter()
    end = WINDOW_START + datetime.timedelta(days=WINDOW_DAYS)
    occurrences = list(recurring_ical_events.of(calendar).between(WINDOW_START, end))
    expanded = time.perf_counter()
    return occurrences, parsed - started, expanded - parsed


def dump_line(event):
    start = event["DTSTART"].dt
    if isinstance(start, datetime.datetime):
        if start.tzinfo is None:
            start = start.replace(tzinfo=PARIS)
        text = start.astimezone(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    else:
        text = start.isoformat()
    status = str(event.get("STATUS", "CONFIRMED")).lower()
    return f"{event['UID']}\t{text}\t{status}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", required=True)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--once", action="store_true")
    parser.add_argument("--dump", help="write uid<TAB>start<TAB>status per occurrence, sorted")
    args = parser.parse_args()

    baseline = current_rss_kib()
    with open(args.file, "rb") as f:
        data = f.read()
    if not args.once:
        run_once(data)
    totals, parses, expands = [], [], []
    occurrences = []
    for _ in range(1 if args.once else max(1, args.runs)):
        occurrences, parse, expand = run_once(data)
        totals.append(parse + expand)
        parses.append(parse)
        expands.append(expand)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux

    if args.dump:
        with open(args.dump, "w") as out:
            out.write("\n".join(sorted(dump_line(e) for e in occurrences)) + "\n")
    figures = [
        ("feeds.runs", len(totals)),
        ("feeds.time.median_ms", statistics.median(totals) * 1000),
        ("feeds.time.best_ms", min(totals) * 1000),
        ("feeds.parse.median_ms", statistics.median(parses) * 1000),
        ("feeds.expand.median_ms", statistics.median(expands) * 1000),
        ("feeds.occurrences", len(occurrences)),
        ("feeds.file_bytes", len(data)),
        ("feeds.rss.start_kib", baseline),
        ("feeds.rss.peak_kib", peak),
    ]
    for key, value in figures:
        print(f"{key}={value:.3f}" if isinstance(value, float) else f"{key}={value}")
    versions = ", ".join(f"{name} {importlib.metadata.version(name)}" for name in ("icalendar", "recurring-ical-events"))
    print(f"peer.versions={versions}")


if __name__ == "__main__":
    sys.exit(main())
