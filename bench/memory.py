#!/usr/bin/env python3
"""memory.py - peak RSS of a milter holding many sessions at once.

SYNOPSIS
    memory.py unix:/path/to/sock PID [SESSIONS [SIZE [SECONDS]]]

DESCRIPTION
    Opens SESSIONS (200) milter-protocol connections to the filter at the
    socket (tests/miltertest/milterproto.py), and on each sends one message of
    about SIZE (50,000) bytes: envelope, header fields, then the body in
    8 KiB chunks spread over SECONDS (3) so that the sessions overlap.
    Every session waits until all of them have sent their whole body, then
    all send end-of-message at once, so SESSIONS messages are held and then
    judged together: the worst case for memory. Meanwhile the filter's
    /proc/PID/status is sampled every 20 ms.

    Prints one JSON object: sessions completed and failed, verdicts, the
    filter's VmRSS before, the highest VmRSS sampled, VmHWM at the end, the
    most threads seen, and the wall time.
"""
import json
import os
import sys
import threading
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "tests", "miltertest"))
import gen  # noqa: E402
from milterproto import Milter  # noqa: E402


def status(pid):
    out = {}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            k, _, v = line.partition(":")
            if k in ("VmRSS", "VmHWM", "Threads"):
                out[k] = int(v.split()[0])
    return out


def main():
    if len(sys.argv) < 3 or not sys.argv[1].startswith("unix:"):
        sys.stderr.write(__doc__)
        return 2
    spec, pid = sys.argv[1], int(sys.argv[2])
    sessions = int(sys.argv[3]) if len(sys.argv) > 3 else 200
    size = int(sys.argv[4]) if len(sys.argv) > 4 else 50_000
    spread = float(sys.argv[5]) if len(sys.argv) > 5 else 3.0

    raw = gen.sized_message(size).decode()
    head, _, body = raw.partition("\n\n")
    headers = [tuple(x.strip() for x in h.split(":", 1)) for h in head.split("\n")]
    body = body.replace("\n", "\r\n").encode()
    chunks = [body[i:i + 8192] for i in range(0, len(body), 8192)]
    pause = spread / max(1, len(chunks))

    held = threading.Barrier(sessions + 1)
    verdicts, errors, lock = {}, [], threading.Lock()

    def run(i):
        s = None
        try:
            s = Milter(spec, timeout=120)
            s.hello()
            r = s.begin("BENCH%d" % i, headers)
            for c in chunks:
                if r is not None:
                    raise ConnectionError("filter ended the message: " + r)
                r = s.body(c)
                time.sleep(pause)
        except Exception as e:  # noqa: BLE001 - counted, reported
            with lock:
                errors.append(str(e))
        try:
            held.wait(timeout=120)
        except threading.BrokenBarrierError:
            pass
        if s is None:
            return
        try:
            v, _ = s.end()
            s.quit()
            with lock:
                verdicts[v] = verdicts.get(v, 0) + 1
        except Exception as e:  # noqa: BLE001
            with lock:
                errors.append(str(e))

    before = status(pid)
    peak = dict(before)
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            try:
                st = status(pid)
            except OSError:
                return
            peak["VmRSS"] = max(peak["VmRSS"], st["VmRSS"])
            peak["Threads"] = max(peak["Threads"], st["Threads"])
            time.sleep(0.02)

    sampler = threading.Thread(target=sample)
    sampler.start()
    t0 = time.monotonic()
    threads = [threading.Thread(target=run, args=(i,)) for i in range(sessions)]
    for t in threads:
        t.start()
    try:
        held.wait(timeout=120)
    except threading.BrokenBarrierError:
        errors.append("not every session reached end of body")
    held_rss = status(pid)["VmRSS"]
    for t in threads:
        t.join()
    elapsed = time.monotonic() - t0
    time.sleep(0.1)
    stop.set()
    sampler.join()
    end = status(pid)
    print(json.dumps({
        "sessions": sessions, "message_bytes": len(raw.encode()), "completed": sum(verdicts.values()),
        "errors": len(errors), "first_error": errors[0] if errors else None,
        "verdicts": verdicts, "rss_before_kib": before["VmRSS"],
        "rss_all_held_kib": held_rss, "rss_peak_sampled_kib": peak["VmRSS"],
        "vmhwm_kib": end["VmHWM"], "threads_peak": peak["Threads"],
        "seconds": round(elapsed, 3)}))
    return 0 if not errors else 1


if __name__ == "__main__":
    sys.exit(main())
