#!/usr/bin/python3
# sign.py - DKIM-sign a message for tests/auth with python3-dkim (dkimpy):
# prints the message with the new DKIM-Signature field on top.
#
#	sign.py KEY.pem SELECTOR DOMAIN CANON [l] < message > signed
# CANON is "relaxed/simple" and the like; "l" adds a body length tag.
import sys

import dkim

key, selector, domain, canon = sys.argv[1:5]
length = len(sys.argv) > 5 and sys.argv[5] == "l"
msg = sys.stdin.buffer.read()
h, b = canon.split("/")
sig = dkim.sign(msg, selector.encode(), domain.encode(), open(key, "rb").read(),
                canonicalize=(h.encode(), b.encode()), length=length,
                include_headers=[b"from", b"subject", b"date", b"to",
                                 b"message-id"])
sys.stdout.buffer.write(sig.replace(b"\r\n", b"\n") + msg)
