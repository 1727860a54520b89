#!/usr/bin/python3
# dns_stub.py - a DNS server on loopback that misbehaves on purpose, for
# tests/auth and bench/dns.sh: "servfail" answers every query with
# SERVFAIL, "silent" reads queries and never answers, "delay MS PORT"
# forwards every query to 127.0.0.1@PORT and returns its answer MS
# milliseconds after the query came (queries wait side by side, none
# waits for another: a slow resolver, not a busy one). Prints its port,
# runs until killed.
#
#	dns_stub.py servfail|silent
#	dns_stub.py delay MS PORT
import socket
import sys
import threading
import time

mode = sys.argv[1]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1], flush=True)


def forward(data, peer, due, upstream):
    """One query: upstream's answer, sent back to peer at time due."""
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.settimeout(2)
    try:
        u.sendto(data, upstream)
        answer, _ = u.recvfrom(65535)
    except OSError:
        return  # upstream silent: so is the stub, the client times out
    finally:
        u.close()
    time.sleep(max(0.0, due - time.monotonic()))
    s.sendto(answer, peer)


if mode == "delay":
    delay_s = int(sys.argv[2]) / 1000.0
    upstream = ("127.0.0.1", int(sys.argv[3]))
while True:
    data, peer = s.recvfrom(4096)
    if mode == "delay":
        threading.Thread(target=forward, daemon=True,
                         args=(data, peer, time.monotonic() + delay_s, upstream)).start()
        continue
    if mode != "servfail" or len(data) < 12:
        continue
    # same id and question; QR, opcode and RD kept, RA set, rcode 2
    flags = 0x8000 | (data[2] << 8 & 0x7900) | 0x0080 | 2
    s.sendto(data[:2] + flags.to_bytes(2, "big") + data[4:6] +
             b"\0\0\0\0\0\0" + data[12:], peer)
