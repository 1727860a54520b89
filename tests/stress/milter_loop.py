#!/usr/bin/env python3
"""milter_loop.py - many milter-protocol sessions straight to vigie-milter.

SYNOPSIS
    milter_loop.py unix:/path/to/vigie.sock [--sessions N] [--per-session K]
                   [--threads T] [--body-bytes B] [--subject S]

DESCRIPTION
    The MTA side of the milter protocol (version 6, as Postfix speaks it),
    from tests/miltertest/case_long_header.py, in a loop: each session
    negotiates, connects, then sends K messages (MAIL, RCPT, headers,
    body, end of message; their subjects and bodies cycle through the
    words of tests/e2e/e2e.rules, so the milter accepts, tags,
    quarantines and rejects) and quits. T threads run sessions side by
    side. With --subject and --body-bytes every message is the same:
    that subject and a body of about B bytes (sent in 64 KiB chunks).

    Prints one line of figures:
      sessions=N messages=M accept=.. tag=.. quarantine=.. reject=..
      tempfail=.. other=.. no_status=.. broken=.. seconds=.. rate=..
    where the verdicts are counted from the X-Vigie-Status header added
    (or the reply, for reject and tempfail), no_status counts messages
    accepted without an X-Vigie-Status, broken counts sessions the
    milter dropped. Exit status 0 when no session broke, else 1.
"""
import argparse
import os
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "miltertest"))
from milterproto import Milter, added  # noqa: E402

# (subject, body) cycled through: accept, tag, quarantine, reject, body tag
MIX = (("plain message", b"Nothing to see.\r\n"),
       ("vigie-e2e-tag loop", b"Tagged by its subject.\r\n"),
       ("vigie-e2e-quarantine loop", b"Held.\r\n"),
       ("invoice", b"Please vigie-e2e-reject this.\r\n"),
       ("another", b"A body split\r\nover lines: vigie-e2e-bodytag.\r\n"))


class Counts:
    def __init__(self):
        self.lock = threading.Lock()
        self.c = {k: 0 for k in ("sessions", "messages", "accept", "tag", "quarantine",
                                 "reject", "tempfail", "other", "no_status", "broken")}
        self.next = 0

    def add(self, key, n=1):
        with self.lock:
            self.c[key] += n

    def take(self, limit):
        with self.lock:
            if self.next >= limit:
                return None
            self.next += 1
            return self.next - 1


def one_session(a, n, counts):
    m = Milter(a.socket)
    m.s.settimeout(a.timeout)
    m.hello()
    for k in range(a.per_session):
        qid = "LOOP%dX%d" % (n, k)
        if a.subject is not None:
            subject = a.subject
            line = b"filler line of a large message, nothing to see here at all.\r\n"
            body = line * (a.body_bytes // len(line) + 1)
        else:
            subject, body = MIX[(n * a.per_session + k) % len(MIX)]
        headers = [("From", "Loop <loop@example.org>"), ("To", "user@vigie-test.example"),
                   ("Subject", subject), ("Message-ID", "<%s@example.org>" % qid)]
        reply, reqs = m.message(qid, headers, body)
        counts.add("messages")
        st = added(reqs, "X-Vigie-Status")
        if reply == "replycode":   # smfi_setreply: the code says which
            code = reqs[-1][1][:1] if reqs else b""
            reply = "tempfail" if code == b"4" else "reject"
        if reply == "reject":
            counts.add("reject")
        elif reply == "tempfail":
            counts.add("tempfail")
        elif reply not in ("accept", "continue"):
            counts.add("other")
        elif not st:
            counts.add("no_status")
        else:
            word = st[0].split()[0]
            counts.add(word if word in ("accept", "tag", "quarantine") else "other")
    m.quit()
    counts.add("sessions")


def worker(a, counts):
    while True:
        n = counts.take(a.sessions)
        if n is None:
            return
        try:
            one_session(a, n, counts)
        except (ConnectionError, OSError, AssertionError) as e:
            counts.add("broken")
            if a.verbose:
                sys.stderr.write("session %d: %s\n" % (n, e))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("socket")
    p.add_argument("--sessions", type=int, default=100)
    p.add_argument("--per-session", type=int, default=1)
    p.add_argument("--threads", type=int, default=4)
    p.add_argument("--subject")
    p.add_argument("--body-bytes", type=int, default=0)
    p.add_argument("--timeout", type=float, default=60)
    p.add_argument("--verbose", action="store_true")
    a = p.parse_args()
    counts = Counts()
    t0 = time.monotonic()
    ts = [threading.Thread(target=worker, args=(a, counts)) for _ in range(a.threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    secs = time.monotonic() - t0
    c = counts.c
    print(" ".join("%s=%d" % kv for kv in c.items()) +
          " seconds=%.1f rate=%.1f" % (secs, c["messages"] / secs if secs else 0), flush=True)
    return 1 if c["broken"] else 0


if __name__ == "__main__":
    sys.exit(main())
