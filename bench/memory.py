#!/usr/bin/env python3
"""memory.py - peak RSS of a milter holding many sessions at once.

SYNOPSIS
    memory.py unix:/path/to/sock PID [SESSIONS [SIZE [SECONDS]]]

DESCRIPTION
    Opens SESSIONS (200) milter-protocol connections to the filter at the
    socket (the MTA side of protocol version 6, as Postfix speaks it; see
    tests/miltertest/case_long_header.py), and on each sends one message of
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
import socket
import struct
import sys
import threading
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen  # noqa: E402

NOHELO, NOMAIL, NORCPT, NOBODY, NOHDRS, NOEOH = 0x2, 0x4, 0x8, 0x10, 0x20, 0x40
NR_HDR, NODATA = 0x80, 0x200
NR_CONN, NR_HELO, NR_MAIL, NR_RCPT, NR_DATA, NR_EOH, NR_BODY = (
    0x1000, 0x2000, 0x4000, 0x8000, 0x10000, 0x40000, 0x80000)
NOCONNECT = 0x1
HDR_LEADSPC = 0x100000
MTA_PROTO = 0x1FFFFF
MTA_ACTIONS = 0x1FF
FINAL = b"catdy"


class Session:
    """The MTA end of one milter connection."""

    def __init__(self, path):
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.s.settimeout(120)
        self.s.connect(path)
        self.proto = 0

    def send(self, cmd, data=b""):
        self.s.sendall(struct.pack(">I", len(data) + 1) + cmd + data)

    def _read(self, n):
        buf = b""
        while len(buf) < n:
            got = self.s.recv(n - len(buf))
            if not got:
                raise ConnectionError("filter closed the connection")
            buf += got
        return buf

    def recv(self):
        (n,) = struct.unpack(">I", self._read(4))
        pkt = self._read(n)
        return pkt[:1], pkt[1:]

    def step(self, cmd, data, no_flag, nr_flag):
        if self.proto & no_flag:
            return
        self.send(cmd, data)
        if not self.proto & nr_flag:
            code, _ = self.recv()
            if code not in (b"c", b"s"):
                raise ConnectionError("reply %r to %r" % (code, cmd))

    def start(self, qid, headers):
        self.send(b"O", struct.pack(">III", 6, MTA_ACTIONS, MTA_PROTO))
        code, data = self.recv()
        if code != b"O":
            raise ConnectionError("no negotiation reply")
        _, _, self.proto = struct.unpack(">III", data[:12])
        self.step(b"C", b"client.bench.example\0" + b"4" + struct.pack(">H", 25) +
                  b"127.0.0.1\0", NOCONNECT, NR_CONN)
        self.step(b"H", b"client.bench.example\0", NOHELO, NR_HELO)
        self.send(b"D", b"M" + b"i\0" + qid.encode() + b"\0")
        self.step(b"M", b"<sender@association.example.fr>\0", NOMAIL, NR_MAIL)
        self.step(b"R", b"<rcpt@bench.example>\0", NORCPT, NR_RCPT)
        self.step(b"T", b"", NODATA, NR_DATA)
        lead = b" " if self.proto & HDR_LEADSPC else b""
        for name, value in headers:
            self.step(b"L", name.encode() + b"\0" + lead + value.encode() + b"\0",
                      NOHDRS, NR_HDR)
        self.step(b"N", b"", NOEOH, NR_EOH)

    def body(self, chunk):
        self.step(b"B", chunk, NOBODY, NR_BODY)

    def finish(self):
        self.send(b"E")
        while True:
            code, _ = self.recv()
            if code in FINAL:
                return code.decode()

    def quit(self):
        self.send(b"Q")
        self.s.close()


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
    path, pid = sys.argv[1][5:], int(sys.argv[2])
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
            s = Session(path)
            s.start("BENCH%d" % i, headers)
            for c in chunks:
                s.body(c)
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
            v = s.finish()
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
