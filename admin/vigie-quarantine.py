#!/usr/bin/python3
# vigie-quarantine - list, show, release, delete and expire the mail that
# vigie-milter put in Postfix's hold queue.
#
# SYNOPSIS
#	vigie-quarantine [-c DIR] list [--json]
#	vigie-quarantine [-c DIR] show [--vigie-config FILE] ID
#	vigie-quarantine [-c DIR] release ID...
#	vigie-quarantine [-c DIR] delete ID...
#	vigie-quarantine [-c DIR] expire --older-than AGE [--dry-run]
#
# DESCRIPTION
#	A thin layer over Postfix's own tools, so that it acts on the queue
#	exactly as they do: postqueue -j lists the hold queue, postcat -q
#	reads a held message, postsuper -H then postqueue -i release it
#	(delivered now, not at the next queue run), postsuper -d deletes it.
#	Why a message is held is read from the X-Vigie-Status and
#	X-Vigie-Report headers vigie-milter adds (it removes any such header
#	a sender forged): action quarantine means vigie held it; held mail
#	without it was held by something else and is listed as such, and
#	expire leaves it alone. Everything printed from a message goes
#	through the masking vigie applies to what it writes (redact below):
#	a NIR never reaches the terminal. Man page: vigie-quarantine(8).
#
#	Exit status: 0 done, 1 a Postfix tool failed or an ID is not held,
#	2 usage error.
import argparse
import email
import email.errors
import email.header
import email.policy
import json
import os
import re
import shutil
import subprocess
import sys
import time

VERSION = "@VERSION@"
PROG = "vigie-quarantine"
# what vigie-milter's redact.c masks: runs of at least this many digits
REDACT_MIN_DIGITS = 9
# Postfix queue ids: short (hex) or long (base 52 plus digits)
QUEUE_ID_RE = re.compile(r"^[0-9A-Za-z]{5,32}$")
AGE_RE = re.compile(r"^([0-9]{1,6})([smhdw])$")
AGE_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
# a held message's header block read for list is capped (hostile input)
MAX_HEADER_BYTES = 1 << 20


class ToolError(Exception):
    """A Postfix tool failed or a queue id is not in the hold queue."""


# is_sep - separators people put inside long numbers (redact.c)
def is_sep(c):
    return c in " .-/"


# run_end - end of the number run starting at i and its digit count,
# as redact.c's run_end: digits, single separators between digits, and
# A or B right after a 2 (Corsican NIR)
def run_end(s, i):
    n = len(s)
    end = i
    digits = 0
    while i < n:
        c = s[i]
        if "0" <= c <= "9":
            digits += 1
            i += 1
            end = i
        elif (c in "ABab" and i > 0 and s[i - 1] == "2" and
              (i + 1 >= n or not s[i + 1].isascii() or
               not s[i + 1].isalpha())):
            i += 1
            end = i
        elif (is_sep(c) and i + 1 < n and "0" <= s[i + 1] <= "9" and
              i > 0 and ("0" <= s[i - 1] <= "9" or s[i - 1] in "ABab")):
            i += 1
        else:
            break
    return end, digits


# redact - mask number runs of REDACT_MIN_DIGITS digits or more with '#'
# and turn control characters into spaces, as vigie's redact_text does
def redact(s):
    out = []
    i = 0
    n = len(s)
    while i < n:
        c = s[i]
        if "0" <= c <= "9":
            end, digits = run_end(s, i)
            for d in s[i:end]:
                out.append("#" if digits >= REDACT_MIN_DIGITS and
                           not is_sep(d) else d)
            i = end
            continue
        out.append(" " if ord(c) < 0x20 or ord(c) == 0x7F else c)
        i += 1
    return "".join(out)


# tool_path - a Postfix program, also found when PATH lacks /usr/sbin (cron)
def tool_path(name):
    return (shutil.which(name) or
            shutil.which(name, path="/usr/sbin:/usr/bin:/sbin:/bin") or
            name)


# run_tool - run a Postfix tool with -c DIR when given; its stdout as bytes
def run_tool(args, name, argv, stdin=None):
    cmd = [tool_path(name)]
    if args.postfix_config:
        cmd += ["-c", args.postfix_config]
    cmd += argv
    try:
        r = subprocess.run(cmd, input=stdin, capture_output=True, check=False)
    except OSError as e:
        raise ToolError("cannot run %s: %s" % (name, e.strerror)) from e
    if r.returncode != 0:
        err = r.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ToolError("%s failed (exit %d): %s" %
                        (" ".join([name] + argv), r.returncode,
                         redact(err[-1]) if err else "no message"))
    return r.stdout


# hold_queue - the hold queue's entries from postqueue -j, as dicts
def hold_queue(args):
    held = []
    for line in run_tool(args, "postqueue", ["-j"]).splitlines():
        try:
            e = json.loads(line)
        except ValueError:
            continue
        if isinstance(e, dict) and e.get("queue_name") == "hold":
            held.append(e)
    return held


# header_value - one header's value, unfolded, RFC 2047 words decoded
def header_value(raw):
    # bytes that are not UTF-8 come in as surrogates: make them U+FFFD
    raw = raw.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    raw = re.sub(r"\r?\n[ \t]+", " ", raw).strip()
    try:
        return str(email.header.make_header(email.header.decode_header(raw)))
    except (ValueError, LookupError, UnicodeError, email.errors.HeaderParseError):
        return raw


# read_headers - the held message's header fields as (name, value) pairs
def read_headers(args, qid):
    data = run_tool(args, "postcat", ["-h", "-q", qid])[:MAX_HEADER_BYTES]
    msg = email.message_from_bytes(data, policy=email.policy.compat32)
    return [(name, header_value(str(value))) for name, value in msg.items()]


# vigie_verdict - action, score, rule ids from the X-Vigie-* headers
# (action None when the message carries no X-Vigie-Status)
def vigie_verdict(headers):
    status = next((v for n, v in headers if n.lower() == "x-vigie-status"), "")
    report = next((v for n, v in headers if n.lower() == "x-vigie-report"), "")
    m = re.match(r"^([a-z]+) score=(-?[0-9]+(?:\.[0-9]+)?)", status)
    if not m:
        return None, None, []
    rules = [r.split("=", 1)[0].strip() for r in report.split(",")
             if "=" in r]
    return m.group(1), float(m.group(2)), [redact(r) for r in rules if r]


# sender_domain - the envelope sender's domain ("<>" for bounces), masked
def sender_domain(sender):
    if not sender:
        return "<>"
    return redact(sender.rpartition("@")[2] or sender)


# describe - one held message as the dict list prints and --json shows
def describe(args, entry):
    qid = entry.get("queue_id", "")
    arrival = int(entry.get("arrival_time", 0))
    action, score, rules = vigie_verdict(read_headers(args, qid))
    return {
        "queue_id": qid,
        "arrival_time": arrival,
        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(arrival)),
        "sender_domain": sender_domain(entry.get("sender", "")),
        # vigie holds exactly the messages it judges "quarantine"
        "held_by": "vigie" if action == "quarantine" else "other",
        "action": action,
        "score": score,
        "rules": rules,
        "size": entry.get("message_size"),
    }


# held_messages - every held message, described, oldest first; one
# released or deleted meanwhile is left out, any other failure is an error
def held_messages(args):
    found = []
    for e in hold_queue(args):
        if not QUEUE_ID_RE.match(str(e.get("queue_id", ""))):
            continue
        try:
            found.append(describe(args, e))
        except ToolError:
            if e["queue_id"] in {h.get("queue_id") for h in hold_queue(args)}:
                raise
    return sorted(found, key=lambda m: (m["arrival_time"], m["queue_id"]))


# cmd_list - the hold queue, oldest first, as a table or JSON lines
def cmd_list(args):
    msgs = held_messages(args)
    if args.json:
        for m in msgs:
            print(json.dumps(m, ensure_ascii=False))
        return 0
    print("%-14s %-16s %-28s %-11s %6s  %s" %
          ("QUEUE ID", "ARRIVED", "SENDER DOMAIN", "ACTION", "SCORE", "RULES"))
    for m in msgs:
        print("%-14s %-16s %-28s %-11s %6s  %s" % (
            m["queue_id"],
            time.strftime("%Y-%m-%d %H:%M", time.localtime(m["arrival_time"])),
            m["sender_domain"],
            m["action"] if m["held_by"] == "vigie" else "not vigie",
            "%.1f" % m["score"] if m["score"] is not None else "-",
            ",".join(m["rules"]) or "-"))
    return 0


# require_held - fail unless every id is in the hold queue
def require_held(args, ids):
    held = {e.get("queue_id") for e in hold_queue(args)}
    for qid in ids:
        if qid not in held:
            raise ToolError("%s is not in the hold queue" % qid)


# scan_program - the vigie-scan to run for show's explain view
def scan_program(args):
    return (args.vigie_scan or os.environ.get("VIGIE_SCAN") or
            shutil.which("vigie-scan") or "/usr/bin/vigie-scan")


# cmd_show - a held message's envelope and headers, then vigie-scan's
# explain view of it; all masked, never the body
def cmd_show(args):
    qid = args.id
    entry = next((e for e in hold_queue(args) if e.get("queue_id") == qid),
                 None)
    if entry is None:
        raise ToolError("%s is not in the hold queue" % qid)
    m = describe(args, entry)
    print("Queue ID: %s" % qid)
    print("Arrived: %s" % m["date"])
    print("Held by: %s" % m["held_by"])
    print("Envelope sender: %s" % redact(entry.get("sender", "") or "<>"))
    for r in entry.get("recipients", []):
        print("Envelope recipient: %s" % redact(str(r.get("address", ""))))
    print()
    for name, value in read_headers(args, qid):
        print("%s: %s" % (redact(name), redact(value)))
    print()
    message = run_tool(args, "postcat", ["-bh", "-q", qid])
    scan = [scan_program(args), "-c", args.vigie_config, "--explain", "-"]
    print("vigie-scan --explain (%s):" % args.vigie_config)
    sys.stdout.flush()
    try:
        r = subprocess.run(scan, input=message, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, check=False)
    except OSError as e:
        raise ToolError("cannot run %s: %s" % (scan[0], e.strerror)) from e
    out = r.stdout.decode("utf-8", "replace")
    # vigie-scan masks already; masking again costs nothing and is certain
    sys.stdout.write("\n".join(redact(l) for l in out.splitlines()) + "\n")
    if r.returncode != 0:
        err = r.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ToolError("vigie-scan failed (exit %d): %s" %
                        (r.returncode, redact(err[-1]) if err else "no message"))
    return 0


# cmd_release - out of hold and delivered now: postsuper -H, postqueue -i
def cmd_release(args):
    require_held(args, args.ids)
    for qid in args.ids:
        run_tool(args, "postsuper", ["-H", qid])
        run_tool(args, "postqueue", ["-i", qid])
        print("released %s: delivery scheduled now" % qid)
    return 0


# delete_held - postsuper -d, limited to the hold queue
def delete_held(args, ids):
    run_tool(args, "postsuper", ["-d", "-", "hold"],
             stdin="".join(i + "\n" for i in ids).encode())


# cmd_delete - delete held messages
def cmd_delete(args):
    require_held(args, args.ids)
    delete_held(args, args.ids)
    for qid in args.ids:
        print("deleted %s" % qid)
    return 0


# cmd_expire - delete the messages vigie held that are at least AGE old
def cmd_expire(args):
    now = int(time.time())
    old = [m for m in held_messages(args)
           if m["held_by"] == "vigie" and now - m["arrival_time"] >= args.age]
    if old and not args.dry_run:
        delete_held(args, [m["queue_id"] for m in old])
    for m in old:
        print("%s %s (held %s, %s)" % (
            "would delete" if args.dry_run else "deleted", m["queue_id"],
            time.strftime("%Y-%m-%d %H:%M", time.localtime(m["arrival_time"])),
            ",".join(m["rules"]) or "-"))
    return 0


# queue_id_arg - argparse type: a Postfix queue id, nothing else
def queue_id_arg(s):
    if not QUEUE_ID_RE.match(s):
        raise argparse.ArgumentTypeError("not a Postfix queue id: %r" % s)
    return s


# age_arg - argparse type: "30d" and the like, in seconds
def age_arg(s):
    m = AGE_RE.match(s)
    if not m:
        raise argparse.ArgumentTypeError(
            "%r is not an age such as 30d, 12h, 2w (units s m h d w)" % s)
    return int(m.group(1)) * AGE_UNITS[m.group(2)]


# add_postfix_config - the -c option, before or after the sub-command
# (after it, its default must not overwrite the value given before it)
def add_postfix_config(p, default):
    p.add_argument("-c", "--postfix-config", metavar="DIR", default=default,
                   help="Postfix configuration directory (passed to "
                        "postqueue, postcat and postsuper as -c DIR)")


# parser - the command line: global options, one sub-command
def parser():
    common = argparse.ArgumentParser(add_help=False)
    add_postfix_config(common, argparse.SUPPRESS)
    p = argparse.ArgumentParser(
        prog=PROG,
        description="List, show, release, delete and expire the mail "
                    "vigie-milter put in Postfix's hold queue.")
    add_postfix_config(p, None)
    p.add_argument("--version", action="version",
                   version="%s %s" % (PROG, VERSION))
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    s = sub.add_parser("list", parents=[common],
                       help="held messages, oldest first")
    s.add_argument("--json", action="store_true",
                   help="one JSON object per message")
    s.set_defaults(func=cmd_list)
    s = sub.add_parser("show", parents=[common],
                       help="a held message's headers and explain view")
    s.add_argument("--vigie-config", metavar="FILE",
                   default="/etc/vigie/vigie.conf",
                   help="vigie configuration for the explain view "
                        "(default: %(default)s)")
    s.add_argument("--vigie-scan", metavar="PROGRAM",
                   help="vigie-scan to run (default: $VIGIE_SCAN, "
                        "then vigie-scan in PATH)")
    s.add_argument("id", type=queue_id_arg, metavar="ID")
    s.set_defaults(func=cmd_show)
    s = sub.add_parser("release", parents=[common],
                       help="release held messages and deliver them now")
    s.add_argument("ids", type=queue_id_arg, nargs="+", metavar="ID")
    s.set_defaults(func=cmd_release)
    s = sub.add_parser("delete", parents=[common],
                       help="delete held messages")
    s.add_argument("ids", type=queue_id_arg, nargs="+", metavar="ID")
    s.set_defaults(func=cmd_delete)
    s = sub.add_parser("expire", parents=[common],
                       help="delete what vigie held longer ago than AGE")
    s.add_argument("--older-than", dest="age", type=age_arg, required=True,
                   metavar="AGE", help="30d, 12h, 2w... (units s m h d w)")
    s.add_argument("--dry-run", action="store_true",
                   help="only print what would be deleted")
    s.set_defaults(func=cmd_expire)
    return p


# main - parse, run the sub-command, map failures to exit 1
def main():
    args = parser().parse_args()
    sys.stdout.reconfigure(errors="replace")
    try:
        return args.func(args)
    except ToolError as e:
        print("%s: %s" % (PROG, e), file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 1


if __name__ == "__main__":
    sys.exit(main())
