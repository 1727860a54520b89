#!/usr/bin/python3
# vigie-report - a daily summary of vigie-milter's log lines, for a cron mail.
#
# SYNOPSIS
#	vigie-report [--json] [--top N] [--day YYYY-MM-DD | --yesterday]
#	    [FILE...]
#
# DESCRIPTION
#	Reads the one line vigie-milter logs per message (README, "What vigie
#	logs": queue_id=... action=... score=... [monitor=...] rules=...
#	anomalies=... sender_domain=...) and its error lines (queue_id=...
#	error=... on_error=...) from syslog files (.gz too), journalctl
#	output or standard input (no FILE, or "-"), ignoring every other
#	line, and prints per day: messages per action, what monitor mode
#	would have done, errors, the most frequent rules and the most
#	frequent sender domains of mail held or rejected (or that monitor
#	mode would have held or rejected). The day comes from each line's
#	time stamp: ISO 8601 (rsyslog on Debian 12, journalctl -o
#	short-iso) or the traditional "Mon DD HH:MM:SS" (journalctl's
#	default; the year is the current one, or the previous one for a
#	date that would be in the future). Lines without a time stamp
#	(vigie-milter -f on a terminal) are counted under the day "undated".
#	The log carries rule ids, numbers and domains only (never a NIR or
#	an address), and so does the report. Man page: vigie-report(1).
#
#	Exit status: 0 done, 1 a file could not be read, 2 usage error.
import argparse
import collections
import datetime
import gzip
import json
import re
import sys

VERSION = "@VERSION@"
PROG = "vigie-report"
UNDATED = "undated"
ACTIONS = ("accept", "tag", "quarantine", "reject")
# the milter's own line, after whatever prefix syslog or journald put
LINE_RE = re.compile(r"\bvigie-milter(?:\[[0-9]+\])?: (queue_id=\S+ .*)$")
ISO_RE = re.compile(r"^([0-9]{4}-[0-9]{2}-[0-9]{2})[T ]")
BSD_RE = re.compile(r"^([A-Z][a-z]{2}) +([0-9]{1,2}) [0-9]{2}:[0-9]{2}:[0-9]{2} ")
MONTHS = {m: i + 1 for i, m in enumerate(
    "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split())}
# a log line longer than this is not vigie's (its lines are < 2 KiB)
MAX_LINE = 8192


# line_day - the day of a log line's time stamp, UNDATED, or None when
# the stamp cannot be a date
def line_day(line, today):
    m = ISO_RE.match(line)
    if m:
        try:
            return datetime.date.fromisoformat(m.group(1)).isoformat()
        except ValueError:
            return None
    m = BSD_RE.match(line)
    if not m:
        return UNDATED
    month = MONTHS.get(m.group(1))
    if month is None:
        return None
    try:
        d = datetime.date(today.year, month, int(m.group(2)))
        if d > today + datetime.timedelta(days=1):
            d = datetime.date(today.year - 1, month, int(m.group(2)))
    except ValueError:
        return None
    return d.isoformat()


# fields - the key=value pairs of vigie's line
def fields(text):
    out = {}
    for tok in text.split():
        k, sep, v = tok.partition("=")
        if sep:
            out[k] = v
    return out


class Day:
    """The counts of one day."""

    def __init__(self):
        self.messages = 0
        self.actions = collections.Counter()
        self.monitor = collections.Counter()
        self.errors = 0
        self.rules = collections.Counter()
        self.domains = collections.Counter()

    # add - count one message line's fields
    def add(self, f):
        self.messages += 1
        self.actions[f["action"]] += 1
        verdict = f["action"]
        if "monitor" in f:
            self.monitor[f["monitor"]] += 1
            verdict = f["monitor"]
        for rule in f.get("rules", "-").split(","):
            if rule and rule != "-":
                self.rules[rule] += 1
        if verdict in ("quarantine", "reject"):
            self.domains[f.get("sender_domain", "-")] += 1

    # as_dict - the day for --json; top N rules and domains
    def as_dict(self, day, top):
        return {
            "day": day,
            "messages": self.messages,
            "actions": {a: self.actions.get(a, 0) for a in
                        ACTIONS + tuple(sorted(set(self.actions) - set(ACTIONS)))},
            "monitor": dict(sorted(self.monitor.items())),
            "errors": self.errors,
            "top_rules": [{"id": r, "count": n}
                          for r, n in ranked(self.rules, top)],
            "top_sender_domains": [{"domain": d, "count": n}
                                   for d, n in ranked(self.domains, top)],
        }


# ranked - the top N (name, count) pairs, most frequent first, ties by name
def ranked(counter, top):
    return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:top]


# read_lines - count the vigie lines of one stream into days
def read_lines(stream, days, today, stats):
    for raw in stream:
        if len(raw) > MAX_LINE:
            continue
        line = raw.decode("utf-8", "replace").rstrip("\r\n")
        m = LINE_RE.search(line)
        if not m:
            continue
        day = line_day(line, today)
        f = fields(m.group(1))
        if day is None:
            stats["unreadable"] += 1
        elif "error" in f:
            days[day].errors += 1
        elif "action" in f:
            days[day].add(f)
        else:
            stats["unreadable"] += 1


# open_input - a file (gzip when it ends in .gz) or stdin for "-"
def open_input(path):
    if path == "-":
        return sys.stdin.buffer
    if path.endswith(".gz"):
        return gzip.open(path, "rb")
    return open(path, "rb")


# print_text - the report as a cron mail reads it
def print_text(report):
    for d in report["days"]:
        n = d["messages"]
        print("vigie report for %s: %d message%s, %d error%s" %
              (d["day"], n, "" if n == 1 else "s",
               d["errors"], "" if d["errors"] == 1 else "s"))
        for a, c in d["actions"].items():
            print("  %-11s %7d %6.1f %%" % (a, c, 100.0 * c / n if n else 0))
        for a, c in d["monitor"].items():
            print("  monitor mode would have applied %s to %d" % (a, c))
        print("  top rules:%s" % ("" if d["top_rules"] else " none"))
        for r in d["top_rules"]:
            print("    %-36s %7d" % (r["id"], r["count"]))
        print("  top sender domains of held and rejected mail:%s" %
              ("" if d["top_sender_domains"] else " none"))
        for s in d["top_sender_domains"]:
            print("    %-36s %7d" % (s["domain"], s["count"]))
        print()
    if not report["days"]:
        print("no vigie-milter message lines found")
    if report["unreadable_lines"]:
        print("%d vigie-milter lines could not be read" %
              report["unreadable_lines"])


# day_arg - argparse type: a calendar day written YYYY-MM-DD
def day_arg(s):
    try:
        return datetime.date.fromisoformat(s)
    except ValueError:
        raise argparse.ArgumentTypeError("%r is not a day (YYYY-MM-DD)" % s) from None


# parser - the command line
def parser():
    p = argparse.ArgumentParser(
        prog=PROG,
        description="Daily summary of vigie-milter's log lines: messages "
                    "per action, top rules, top sender domains of held and "
                    "rejected mail.")
    p.add_argument("--version", action="version",
                   version="%s %s" % (PROG, VERSION))
    p.add_argument("--json", action="store_true",
                   help="one JSON object with a list of days")
    p.add_argument("--top", type=int, default=10, metavar="N",
                   help="how many rules and domains to show (default 10)")
    when = p.add_mutually_exclusive_group()
    when.add_argument("--day", type=day_arg,
                      metavar="YYYY-MM-DD", help="only this day")
    when.add_argument("--yesterday", action="store_true",
                      help="only yesterday (for a daily cron job)")
    p.add_argument("files", nargs="*", metavar="FILE",
                   help="log files (.gz read too); none or - for stdin")
    return p


# main - read every input, print the days in order
def main():
    p = parser()
    args = p.parse_args()
    if args.top < 1:
        p.error("--top must be at least 1")
    sys.stdout.reconfigure(errors="replace")
    today = datetime.date.today()
    only = args.day.isoformat() if args.day else None
    if args.yesterday:
        only = (today - datetime.timedelta(days=1)).isoformat()
    days = collections.defaultdict(Day)
    stats = {"unreadable": 0}
    rc = 0
    for path in args.files or ["-"]:
        try:
            with open_input(path) as stream:
                read_lines(stream, days, today, stats)
        except (OSError, EOFError) as e:
            print("%s: %s: %s" % (PROG, path, getattr(e, "strerror", None) or e),
                  file=sys.stderr)
            rc = 1
    names = sorted(d for d in days if only is None or d == only)
    report = {
        "days": [days[d].as_dict(d, args.top) for d in names],
        "unreadable_lines": stats["unreadable"],
    }
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
    else:
        print_text(report)
    return rc


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:
        sys.exit(1)
