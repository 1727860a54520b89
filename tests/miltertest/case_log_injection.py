#!/usr/bin/env python3
"""case_log_injection.py - what the MTA says is logged as one harmless word.

SYNOPSIS
    VIGIE_MT_LOG=milter.log case_log_injection.py unix:/path/to/vigie.sock

DESCRIPTION
    Whoever reaches the socket plays the MTA, and the queue id macro ("i")
    goes into every log line. Three messages on one connection, with the
    queue ids:

      1. "A1" LF "vigie-milter: queue_id=FORGED action=accept ...": no log
         line may start with the forged text; the id is logged as one
         word (no space, no control byte, cut at 32 bytes);
      2. a 13-digit value, shaped like the start of a NIR: masked;
      3. 200 characters: cut to 32, marked with '+'.

    Reads the daemon's log (-f output) named by VIGIE_MT_LOG. Prints
    "ok - ..." / "not ok - ... (got X, want Y)" lines; exit 1 when one
    failed.
"""
import os
import re
import sys

from milterproto import Milter

failures = 0


def verify(cond, what, got, want):
    global failures
    if cond:
        print("ok - " + what, flush=True)
    else:
        failures += 1
        print("not ok - %s (got %s, want %s)" % (what, got, want), flush=True)
    return cond


def headers(tag):
    return [("From", "Sender <sender@example.org>"), ("To", "user@vigie-test.example"),
            ("Subject", "plain " + tag), ("Message-ID", "<%s@example.org>" % tag)]


def main():
    log = os.environ.get("VIGIE_MT_LOG")
    if len(sys.argv) != 2 or not log:
        sys.stderr.write(__doc__)
        return 2
    forged = "A1\nvigie-milter: queue_id=FORGED action=accept score=0.0 rules= anomalies=-"
    nir13 = "1870375114231"
    long_id = "Q" * 200
    m = Milter(sys.argv[1])
    m.hello()
    for qid, tag in ((forged, "inj"), (nir13, "nir"), (long_id, "long")):
        reply, _ = m.message(qid, headers(tag), b"Hello.\r\n")
        verify(reply in ("accept", "continue"), "queue id %s: message judged" % tag, reply, "accept")
    m.quit()
    with open(log, encoding="utf-8", errors="replace") as f:
        lines = f.read().splitlines()
    verdicts = [l for l in lines if " action=" in l]
    verify(not any(l.startswith("vigie-milter: queue_id=FORGED") for l in lines),
           "newline in the queue id: no forged log line", [l for l in lines if "FORGED" in l],
           "none starting with the forged text")
    inj = [l for l in verdicts if "FORGED" in l]
    verify(len(inj) == 1 and re.search(r"queue_id=A1\?vigie-milter:\?queue_id=FORGED\+ action=accept ", inj[0]),
           "newline in the queue id: one word (cut at 32) in one line", inj,
           "queue_id=A1?vigie-milter:?queue_id=FORGED+ action=accept")
    verify(not any(nir13 in l for l in lines), "13-digit queue id: never logged in clear",
           [l for l in lines if nir13 in l], "no line")
    verify(any("queue_id=############# " in l for l in verdicts), "13-digit queue id: masked",
           [l for l in verdicts if "#" in l], "queue_id=############# ")
    verify(any("queue_id=" + "Q" * 32 + "+ " in l for l in verdicts), "200-character queue id: cut to 32",
           [l[:80] for l in verdicts if "QQQ" in l], "queue_id=Q{32}+")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
