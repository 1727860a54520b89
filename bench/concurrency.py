#!/usr/bin/env python3
"""concurrency.py - do milter sessions wait on each other while vigie waits on DNS?

SYNOPSIS
    concurrency.py unix:/path/to/sock N FILE...     (2 N files at least)

DESCRIPTION
    Speaks the milter protocol to vigie-milter (tests/miltertest/
    milterproto.py) with messages whose DNS answers are not cached yet
    (bench/dns.sh: every file from its own sender domain, the resolver
    slow), envelope sender bounce@ the From's domain, client 127.0.0.1.

    alone     the first N files, one session at a time: for each, the time
              from end-of-message to the filter's final reply (the
              judgement, DNS included).
    together  the next N files in N sessions at once: each sends its
              envelope, header fields and body, all wait for each other,
              then all send end-of-message at the same moment; the time
              from that moment to the last final reply.

    If sessions did not wait on each other, "together" takes about one
    "alone" judgement, not N of them.

    Prints one JSON object: alone_ms (list), together_ms (each session's
    reply time, list), together_total_ms, verdicts, errors.
"""
import json
import os
import re
import sys
import threading
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "miltertest"))
from milterproto import Milter  # noqa: E402


def load(path):
    """(sender, [(name, value)], body bytes with CRLF) of one message file."""
    with open(path, "rb") as f:
        raw = f.read().decode("utf-8", "surrogateescape")
    head, _, body = raw.partition("\n\n")
    fields = []
    for line in head.split("\n"):
        if line[:1] in (" ", "\t") and fields:
            fields[-1][1] += "\n" + line
        else:
            name, _, value = line.partition(":")
            fields.append([name, value[1:] if value.startswith(" ") else value])
    m = re.search(r"^From:.*@([^>\s]+)>", head, re.M)
    sender = "bounce@" + (m.group(1) if m else "example.org")
    return sender, [tuple(f) for f in fields], body.replace("\n", "\r\n").encode(
        "utf-8", "surrogateescape")


def main():
    if len(sys.argv) < 4 or not sys.argv[1].startswith("unix:"):
        sys.stderr.write(__doc__)
        return 2
    spec, n, files = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    if len(files) < 2 * n:
        raise SystemExit("concurrency.py: %d files for 2 x %d sessions" % (len(files), n))
    msgs = [load(f) for f in files[:2 * n]]
    verdicts, errors, lock = {}, [], threading.Lock()

    def count(v):
        with lock:
            verdicts[v] = verdicts.get(v, 0) + 1

    alone = []
    for i in range(n):
        sender, headers, body = msgs[i]
        s = Milter(spec, timeout=60)
        s.hello()
        r = s.begin("ALONE%d" % i, headers, sender) or s.body(body)
        if r is not None:
            errors.append("alone %d ended early: %s" % (i, r))
            continue
        t0 = time.monotonic()
        v, _ = s.end()
        alone.append((time.monotonic() - t0) * 1000)
        s.quit()
        count(v)

    ready = threading.Barrier(n + 1)
    go = threading.Event()
    start = [0.0]
    together = []

    def run(i):
        sender, headers, body = msgs[n + i]
        try:
            s = Milter(spec, timeout=60)
            s.hello()
            r = s.begin("TOGETHER%d" % i, headers, sender) or s.body(body)
            if r is not None:
                raise ConnectionError("filter ended the message: " + r)
        except Exception as e:  # noqa: BLE001 - counted, reported
            with lock:
                errors.append(str(e))
            ready.abort()
            return
        ready.wait(timeout=60)
        go.wait()
        try:
            v, _ = s.end()
            done = time.monotonic()
            s.quit()
            with lock:
                together.append((done - start[0]) * 1000)
            count(v)
        except Exception as e:  # noqa: BLE001
            with lock:
                errors.append(str(e))

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    try:
        ready.wait(timeout=60)
    except threading.BrokenBarrierError:
        errors.append("not every session reached end of body")
    start[0] = time.monotonic()
    go.set()
    for t in threads:
        t.join()
    print(json.dumps({"sessions": n, "alone_ms": [round(x, 2) for x in alone],
                      "together_ms": sorted(round(x, 2) for x in together),
                      "together_total_ms": round(max(together), 2) if together else None,
                      "verdicts": verdicts, "errors": len(errors),
                      "first_error": errors[0] if errors else None}))
    return 0 if not errors else 1


if __name__ == "__main__":
    sys.exit(main())
