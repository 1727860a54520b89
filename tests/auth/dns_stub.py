#!/usr/bin/python3
# dns_stub.py - a DNS server on loopback that misbehaves on purpose, for
# tests/auth: "servfail" answers every query with SERVFAIL, "silent"
# reads queries and never answers. Prints its port, runs until killed.
#
#	dns_stub.py servfail|silent
import socket
import sys

mode = sys.argv[1]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1], flush=True)
while True:
    data, peer = s.recvfrom(4096)
    if mode != "servfail" or len(data) < 12:
        continue
    # same id and question; QR, opcode and RD kept, RA set, rcode 2
    flags = 0x8000 | (data[2] << 8 & 0x7900) | 0x0080 | 2
    s.sendto(data[:2] + flags.to_bytes(2, "big") + data[4:6] +
             b"\0\0\0\0\0\0" + data[12:], peer)
