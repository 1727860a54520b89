#!/usr/bin/env python3
"""stress.py - send tagged mail concurrently and account for every message.

SYNOPSIS
    stress.py send --port PORT --out FILE [--sessions N] [--per-session M]
                   [--count C | --stop-file F] [--mix accept:4,tag:3,...]
                   [--profile e2e|reload] [--prefix P] [--retry-4xx SECS]
                   [--box BOX] [--pause SECS] [--timeout SECS]
    stress.py account --results FILE... --maildir DIR --hold DIR
                   [--profile e2e|reload] [--prefix P]
    stress.py probe --port PORT --maildir DIR --id ID [--profile reload]

DESCRIPTION
    send: N worker threads, each an SMTP client that opens a session to
    127.0.0.1:PORT, sends up to M messages on it (MAIL, RCPT, DATA; RSET
    after a refused command) and quits, then opens another, until C
    messages were sent or the stop file exists. Every message has a unique
    id ("PREFIX-NNNNNN") in its Message-ID, Subject and body, and a kind
    chosen round-robin from the mix: accept, tag, quar(antine), reject;
    the profile says which words make the test rules give that verdict.
    With --retry-4xx, a message refused with a 4xx code (or whose session
    broke) is sent again later on a fresh session, as a sending MTA would,
    until SECS have passed since its first try; --timeout bounds each
    wait for the server (banner included). One JSON line per message
    goes to the --out file: id, kind, every reply, the final code.
    Prints "sent=... rate=..." figures at the end.

    account: reads the results, the delivered Maildir (new/ and cur/) and
    Postfix's hold queue files, and prints shell assignments (A_*=...)
    for the caller to eval: how many were accepted, delivered, held,
    rejected, still 4xx, missing, duplicated, judged against their kind,
    and (profile reload) judged by a mix of the V1 and V2 rule sets. The
    ids of the problem messages go to stderr, one line each.

    probe: sends one "tag" message with id ID and waits (20 s at most) for
    its delivery; prints "CODE VERSIONS STATUS" where VERSIONS is the set
    of rule-set versions named in its X-Vigie-Report (V1, V2, V1+V2 or -).

    Exit status: 0, or 2 on bad usage or a broken environment.
"""
import argparse
import email.parser
import email.policy
import json
import os
import random
import re
import smtplib
import socket
import sys
import threading
import time

DOMAIN = "vigie-test.example"
KINDS = ("accept", "tag", "quar", "reject")

# subject word, body word for each kind, per rule file
PROFILES = {
    # tests/e2e/e2e.rules: tag 5, quarantine 9, reject 20 (thresholds 4/8/15)
    "e2e": {"accept": ("stress plain", "nothing to see"),
            "tag": ("vigie-e2e-tag stress", "nothing to see"),
            "quar": ("vigie-e2e-quarantine stress", "nothing to see"),
            "reject": ("stress invoice", "please vigie-e2e-reject this")},
    # tests/reload/v1.rules and v2.rules: the same words, distinct ids;
    # every body carries reload-mark (0.5 in V1, 0.7 in V2)
    "reload": {"accept": ("reload plain", "reload-mark"),
               "tag": ("reload-tag", "reload-mark"),
               "quar": ("reload-quar", "reload-mark"),
               "reject": ("reload plain", "reload-mark reload-reject")},
}
EXPECT = {"accept": ("delivered", "accept"), "tag": ("delivered", "tag"),
          "quar": ("held", "quarantine"), "reject": ("rejected", None)}


def make_message(uid, kind, profile, box, filler, forged=0):
    subj, body = PROFILES[profile][kind]
    lines = [
        "From: Stress Sender <stress@example.org>",
        "To: %s@%s" % (box, DOMAIN),
        "Subject: %s id=%s" % (subj, uid),
        "Date: %s" % time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime()),
        "Message-ID: <%s@stress.%s>" % (uid, DOMAIN),
    ] + ["X-Vigie-Status: accept score=0.0 forged=%d" % i for i in range(forged)] + [
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=us-ascii",
        "",
        "Message %s: %s." % (uid, body),
    ]
    lines += ["filler line %d of a stress message, nothing to see here." % i
              for i in range(filler)]
    return ("\r\n".join(lines) + "\r\n").encode()


class Sender:
    """The work queue shared by the client threads."""

    def __init__(self, a):
        self.a = a
        self.lock = threading.Lock()
        self.next = 0
        self.retry = []          # (not_before, uid, kind, first_try, replies)
        self.out = open(a.out, "a")
        self.kinds = []
        for item in a.mix.split(","):
            k, _, w = item.partition(":")
            if k not in KINDS:
                raise SystemExit("bad kind in --mix: " + k)
            self.kinds += [k] * int(w or 1)
        self.stats = {"messages": 0, "attempts": 0, "code2": 0, "code4": 0,
                      "code5": 0, "retried": 0, "gave_up": 0}
        self.pending_retries = 0

    def stopped(self):
        if self.a.stop_file and os.path.exists(self.a.stop_file):
            return True
        return False

    def take(self):
        """Next (uid, kind, first_try, replies) to send, or None when done,
        or "wait" when only retries not yet due remain."""
        with self.lock:
            now = time.monotonic()
            for i, r in enumerate(self.retry):
                if r[0] <= now:
                    del self.retry[i]
                    return r[1:]
            more = (self.next < self.a.count) if self.a.count else not self.stopped()
            if more:
                n = self.next
                self.next += 1
                uid = "%s-%06d" % (self.a.prefix, n)
                return (uid, self.kinds[n % len(self.kinds)], now, [])
            if self.retry:
                return "wait"
            return None

    def done(self, uid, kind, first, replies):
        code = replies[-1][0] if replies else 0
        with self.lock:
            self.stats["attempts"] += 1
            c = str(code)[:1]
            if c in "245":
                self.stats["code" + c] += 1
            if (code == 0 or 400 <= code < 500) and self.a.retry_4xx:
                if time.monotonic() - first < self.a.retry_4xx:
                    delay = random.uniform(0.3, 1.0)
                    self.retry.append((time.monotonic() + delay, uid, kind, first, replies))
                    self.stats["retried"] += 1
                    return
                self.stats["gave_up"] += 1
            self.stats["messages"] += 1
            self.out.write(json.dumps({"id": uid, "kind": kind, "final": code,
                                       "replies": replies}) + "\n")
            self.out.flush()


def reply_text(t):
    if isinstance(t, bytes):
        t = t.decode("ascii", "replace")
    return " ".join(str(t).split())[:200]


def send_one(smtp, msg, box):
    """(code, text) of one transaction; raises on a broken session."""
    code, text = smtp.mail("stress@example.org")
    if code != 250:
        smtp.rset()
        return code, text
    code, text = smtp.rcpt("%s@%s" % (box, DOMAIN))
    if code not in (250, 251):
        smtp.rset()
        return code, text
    try:
        code, text = smtp.data(msg)
    except smtplib.SMTPDataError as e:
        return e.smtp_code, e.smtp_error
    return code, text


def worker(s):
    a = s.a
    while True:
        job = s.take()
        if job is None:
            return
        if job == "wait":
            time.sleep(0.1)
            continue
        smtp = None
        sent_here = 0
        try:
            smtp = smtplib.SMTP("127.0.0.1", a.port, local_hostname="client." + DOMAIN,
                                timeout=a.timeout)
            smtp.ehlo()
        except (OSError, smtplib.SMTPException) as e:
            uid, kind, first, replies = job
            replies.append((0, "connect: " + reply_text(e)))
            s.done(uid, kind, first, replies)
            time.sleep(0.2)
            continue
        while job is not None and job != "wait":
            uid, kind, first, replies = job
            msg = make_message(uid, kind, a.profile, a.box, a.filler, a.forged)
            try:
                code, text = send_one(smtp, msg, a.box)
            except (OSError, smtplib.SMTPException) as e:
                replies.append((0, "session: " + reply_text(e)))
                s.done(uid, kind, first, replies)
                smtp = None
                break
            replies.append((code, reply_text(text)))
            s.done(uid, kind, first, replies)
            sent_here += 1
            if 400 <= code < 500 or code == 421:
                break   # an MTA retries a 4xx later, on a new session
            if sent_here >= a.per_session:
                break
            if a.pause:
                time.sleep(a.pause)
            job = s.take()
        if smtp is not None:
            try:
                smtp.quit()
            except (OSError, smtplib.SMTPException):
                pass
        if a.pause:
            time.sleep(a.pause)


def cmd_send(a):
    if not a.count and not a.stop_file:
        raise SystemExit("send: --count or --stop-file")
    s = Sender(a)
    t0 = time.monotonic()
    threads = [threading.Thread(target=worker, args=(s,), daemon=True)
               for _ in range(a.sessions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    secs = time.monotonic() - t0
    st = s.stats
    print("sent=%d attempts=%d replies_2xx=%d replies_4xx=%d replies_5xx=%d retried=%d "
          "gave_up=%d seconds=%.1f rate=%.1f" % (
              st["messages"], st["attempts"], st["code2"], st["code4"], st["code5"],
              st["retried"], st["gave_up"], secs, st["messages"] / secs if secs else 0),
          flush=True)
    return 0


HP = email.parser.BytesHeaderParser(policy=email.policy.compat32)
UID_RE = re.compile(rb"Message-ID: <([A-Za-z0-9-]+)@stress\.")
REPORT_RE = re.compile(rb"X-Vigie-Report: ([^\r\n\x00]*)")
STATUS_RE = re.compile(rb"X-Vigie-Status: ([^\r\n\x00]*)")


def versions(report):
    """"V1", "V2", "V1+V2" or "-" from an X-Vigie-Report value (any other
    R_<SET>_ id, e.g. from a broken rule file, shows as its SET)."""
    vs = sorted(set(re.findall(r"R_([A-Z0-9]+)_", report or "")))
    return "+".join(vs) if vs else "-"


def read_maildir(d):
    """uid -> list of (status, report) of delivered copies."""
    out = {}
    for sub in ("new", "cur"):
        p = os.path.join(d, sub)
        if not os.path.isdir(p):
            continue
        for name in os.listdir(p):
            try:
                with open(os.path.join(p, name), "rb") as f:
                    h = HP.parse(f)
            except OSError:
                continue
            m = re.match(r"<([A-Za-z0-9-]+)@stress\.", h.get("Message-ID", "") or "")
            if not m:
                continue
            st = h.get_all("X-Vigie-Status") or []
            rp = h.get_all("X-Vigie-Report") or []
            out.setdefault(m.group(1), []).append((
                " | ".join(" ".join(x.split()) for x in st),
                " | ".join(" ".join(x.split()) for x in rp)))
    return out


def read_hold(d):
    """uid -> list of (status, report) of held queue files."""
    out = {}
    for root, _, files in os.walk(d):
        for name in files:
            try:
                with open(os.path.join(root, name), "rb") as f:
                    raw = f.read()
            except OSError:
                continue
            m = UID_RE.search(raw)
            if not m:
                continue
            st = [x.decode("ascii", "replace") for x in STATUS_RE.findall(raw)]
            rp = [x.decode("ascii", "replace") for x in REPORT_RE.findall(raw)]
            out.setdefault(m.group(1).decode(), []).append((" | ".join(st), " | ".join(rp)))
    return out


def cmd_account(a):
    results = {}
    for path in a.results:
        with open(path) as f:
            for line in f:
                r = json.loads(line)
                results[r["id"]] = r
    delivered = read_maildir(a.maildir)
    held = read_hold(a.hold)
    c = {k: 0 for k in ("SENT", "ACCEPTED", "REJECTED", "TEMPFAILED_FINAL", "NOREPLY",
                        "RETRIED_OK", "DELIVERED", "HELD", "MISSING", "DUPLICATE",
                        "GHOST", "KIND_MISMATCH", "MIXED_VERSIONS", "V1", "V2",
                        "NO_VERSION", "ERROR_ACCEPTED")}
    problems = []
    for uid, r in sorted(results.items()):
        if a.prefix and not uid.startswith(a.prefix):
            continue
        c["SENT"] += 1
        code = r["final"]
        d = delivered.get(uid, [])
        h = held.get(uid, [])
        copies = [("delivered", x) for x in d] + [("held", x) for x in h]
        if len(r["replies"]) > 1 and code in (250, 550):
            c["RETRIED_OK"] += 1
        if code == 250:
            c["ACCEPTED"] += 1
            if not copies:
                c["MISSING"] += 1
                problems.append("%s missing: 250 but neither delivered nor held" % uid)
                continue
            if len(copies) > 1:
                c["DUPLICATE"] += 1
                problems.append("%s duplicated: %s" % (uid, [w for w, _ in copies]))
            where, (status, report) = copies[0]
            c["DELIVERED" if where == "delivered" else "HELD"] += 1
            want_where, want_action = EXPECT[r["kind"]]
            if status == "" and where == "delivered":
                c["ERROR_ACCEPTED"] += 1      # on_error=accept: no verdict header
            if where != want_where or not status.startswith(want_action or "-"):
                c["KIND_MISMATCH"] += 1
                problems.append("%s kind %s: %s with status '%s'" % (uid, r["kind"], where, status))
            if a.profile == "reload":
                v = versions(report)
                if r["kind"] in ("tag", "quar"):
                    if "+" in v or v not in ("V1", "V2", "-"):
                        c["MIXED_VERSIONS"] += 1
                        problems.append("%s judged by both rule sets: %s" % (uid, report))
                    elif v == "-":
                        c["NO_VERSION"] += 1
                        problems.append("%s no rule-set id in report '%s'" % (uid, report))
                    else:
                        c[v] += 1
                        # score must agree with the version: V1 mark 0.5, V2 0.7
                        m = re.search(r"score=([0-9.]+)", status)
                        want = {"tag": {"V1": "5.5", "V2": "5.7"},
                                "quar": {"V1": "9.5", "V2": "9.7"}}[r["kind"]][v]
                        if not m or m.group(1) != want:
                            c["MIXED_VERSIONS"] += 1
                            problems.append("%s %s report but status '%s'" % (uid, v, status))
                elif r["kind"] == "accept":
                    # no report below tag: the mark's score tells the set
                    v = {"accept score=0.5": "V1", "accept score=0.7": "V2"}.get(status)
                    if v is None:
                        c["NO_VERSION"] += 1
                        problems.append("%s accept kind, status '%s'" % (uid, status))
                    else:
                        c[v] += 1
        elif 500 <= code < 600:
            c["REJECTED"] += 1
            if copies:
                c["DUPLICATE"] += 1
                problems.append("%s refused (%d) but also %s" % (uid, code, copies[0][0]))
            if r["kind"] != "reject":
                c["KIND_MISMATCH"] += 1
                problems.append("%s kind %s refused: %s" % (uid, r["kind"], r["replies"][-1]))
        else:
            if copies:
                c["DUPLICATE"] += 1
                problems.append("%s final %d but also %s" % (uid, code, copies[0][0]))
            if code == 0:
                c["NOREPLY"] += 1
            else:
                c["TEMPFAILED_FINAL"] += 1
            problems.append("%s unresolved: %s" % (uid, r["replies"][-3:]))
    for uid in set(delivered) | set(held):
        if uid not in results and (not a.prefix or uid.startswith(a.prefix)):
            c["GHOST"] += 1
            problems.append("%s delivered or held but never sent" % uid)
    for k, v in c.items():
        print("A_%s=%d" % (k, v))
    for p in problems[:50]:
        sys.stderr.write("# problem: %s\n" % p)
    if len(problems) > 50:
        sys.stderr.write("# ... and %d more problems\n" % (len(problems) - 50))
    return 0


def cmd_probe(a):
    msg = make_message(a.id, "tag", a.profile, a.box, 0)
    try:
        smtp = smtplib.SMTP("127.0.0.1", a.port, local_hostname="client." + DOMAIN, timeout=60)
        smtp.ehlo()
        code, _ = send_one(smtp, msg, a.box)
        smtp.quit()
    except (OSError, smtplib.SMTPException) as e:
        print("0 - session:%s" % reply_text(e).replace(" ", "_"))
        return 0
    if code != 250:
        print("%d - -" % code)
        return 0
    deadline = time.monotonic() + 20
    seen = set()
    new = os.path.join(a.maildir, "new")
    while time.monotonic() < deadline:
        # only files not looked at yet: the Maildir may hold thousands
        for name in sorted(set(os.listdir(new)) - seen):
            seen.add(name)
            try:
                with open(os.path.join(new, name), "rb") as f:
                    h = HP.parse(f)
            except OSError:
                continue
            if (h.get("Message-ID") or "").startswith("<%s@" % a.id):
                status = " ".join((h.get("X-Vigie-Status") or "-").split())
                report = h.get("X-Vigie-Report") or ""
                print("%d %s %s" % (code, versions(report), status.replace(" ", "_")))
                return 0
        time.sleep(0.05)
    print("%d - not-delivered" % code)
    return 0


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("send")
    s.add_argument("--port", type=int, required=True)
    s.add_argument("--out", required=True)
    s.add_argument("--sessions", type=int, default=10)
    s.add_argument("--per-session", type=int, default=1)
    s.add_argument("--count", type=int, default=0)
    s.add_argument("--stop-file", default="")
    s.add_argument("--mix", default="accept:1,tag:1,quar:1,reject:1")
    s.add_argument("--profile", default="e2e", choices=sorted(PROFILES))
    s.add_argument("--prefix", default="S")
    s.add_argument("--retry-4xx", type=float, default=0)
    s.add_argument("--box", default="stress")
    s.add_argument("--filler", type=int, default=20)
    s.add_argument("--forged", type=int, default=0,
                   help="forged X-Vigie-Status fields in each message")
    s.add_argument("--pause", type=float, default=0)
    s.add_argument("--timeout", type=float, default=90)
    c = sub.add_parser("account")
    c.add_argument("--results", nargs="+", required=True)
    c.add_argument("--maildir", required=True)
    c.add_argument("--hold", required=True)
    c.add_argument("--profile", default="e2e", choices=sorted(PROFILES))
    c.add_argument("--prefix", default="")
    r = sub.add_parser("probe")
    r.add_argument("--port", type=int, required=True)
    r.add_argument("--maildir", required=True)
    r.add_argument("--id", required=True)
    r.add_argument("--profile", default="reload", choices=sorted(PROFILES))
    r.add_argument("--box", default="probe")
    a = p.parse_args()
    socket.setdefaulttimeout(90)
    return {"send": cmd_send, "account": cmd_account, "probe": cmd_probe}[a.cmd](a)


if __name__ == "__main__":
    sys.exit(main())
