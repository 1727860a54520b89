#!/usr/bin/env python3
"""case_long_header.py - a 90 KiB header field does not break the session.

SYNOPSIS
    case_long_header.py unix:/path/to/vigie.sock

DESCRIPTION
    miltertest cannot send this case: its mt.header() copies the field
    into a 1024-byte stack buffer. So this is a minimal MTA side of the
    milter protocol (version 6, as Postfix speaks it), enough for one
    connection with three messages:

      1. a message with a 90 KiB X-Long header and a tagging subject: the
         filter must answer every step and return a verdict (tag);
      2. a message whose 90 KiB header is ONE unfolded line;
      3. a plain message on the same connection: accept.

    Postfix passes headers up to header_size_limit (100 KiB) to milters in
    one SMFIC_HEADER packet; libmilter drops the connection on any packet
    larger than its maximum data size (64 KiB unless the filter raised it
    with smfi_setmaxdatasize), which Postfix then treats per
    milter_default_action.

    Prints "ok - ..." / "not ok - ... (got X, want Y)" lines; exit 1 when
    one failed.
"""
import socket
import struct
import sys

# protocol steps the filter may skip (SMFIP_NO*) or not answer (SMFIP_NR_*)
NOCONNECT, NOHELO, NOMAIL, NORCPT, NOBODY, NOHDRS, NOEOH = 0x1, 0x2, 0x4, 0x8, 0x10, 0x20, 0x40
NR_HDR, NODATA = 0x80, 0x200
NR_CONN, NR_HELO, NR_MAIL, NR_RCPT, NR_DATA, NR_EOH, NR_BODY = (
    0x1000, 0x2000, 0x4000, 0x8000, 0x10000, 0x40000, 0x80000)
HDR_LEADSPC = 0x100000
MTA_PROTO = 0x1FFFFF  # every step and option miltertest offers
MTA_ACTIONS = 0x1FF
FINAL = b"catdy"  # continue accept tempfail discard replycode(reject)
NAMES = {b"c": "continue", b"a": "accept", b"r": "reject", b"t": "tempfail",
         b"d": "discard", b"y": "replycode", b"s": "skip"}

failures = 0


def verify(cond, what, got, want):
    global failures
    if cond:
        print("ok - " + what, flush=True)
    else:
        failures += 1
        print("not ok - %s (got %s, want %s)" % (what, got, want), flush=True)
    return cond


class Milter:
    """The MTA end of one milter connection."""

    def __init__(self, spec):
        if not spec.startswith("unix:"):
            raise SystemExit("only unix: sockets")
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.s.settimeout(20)
        self.s.connect(spec[5:])
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
        """Send one protocol step unless skipped; its reply word, or None."""
        if self.proto & no_flag:
            return None
        self.send(cmd, data)
        if self.proto & nr_flag:
            return None
        code, _ = self.recv()
        return NAMES.get(code, repr(code))

    def negotiate(self):
        self.send(b"O", struct.pack(">III", 6, MTA_ACTIONS, MTA_PROTO))
        code, data = self.recv()
        if code != b"O":
            raise ConnectionError("no option negotiation reply: %r" % code)
        _, _, self.proto = struct.unpack(">III", data[:12])

    def hello(self):
        self.negotiate()
        r = self.step(b"C", b"client.vigie-test.example\0" + b"4" + struct.pack(">H", 25) +
                      b"127.0.0.1\0", NOCONNECT, NR_CONN)
        assert r in (None, "continue"), r
        r = self.step(b"H", b"client.vigie-test.example\0", NOHELO, NR_HELO)
        assert r in (None, "continue"), r

    def message(self, qid, headers, body):
        """One message; returns (final reply word, requests before it)."""
        self.send(b"D", b"M" + b"i\0" + qid.encode() + b"\0")
        for cmd, data, no, nr in ((b"M", b"<sender@example.org>\0", NOMAIL, NR_MAIL),
                                  (b"R", b"<user@vigie-test.example>\0", NORCPT, NR_RCPT),
                                  (b"T", b"", NODATA, NR_DATA)):
            r = self.step(cmd, data, no, nr)
            if r not in (None, "continue"):
                return r, []
        lead = b" " if self.proto & HDR_LEADSPC else b""
        for name, value in headers:
            r = self.step(b"L", name.encode() + b"\0" + lead + value.encode() + b"\0",
                          NOHDRS, NR_HDR)
            if r not in (None, "continue"):
                return r, []
        r = self.step(b"N", b"", NOEOH, NR_EOH)
        if r not in (None, "continue"):
            return r, []
        for i in range(0, len(body), 65535):
            r = self.step(b"B", body[i:i + 65535], NOBODY, NR_BODY)
            if r not in (None, "continue", "skip"):
                return r, []
        self.send(b"E")
        requests = []
        while True:
            code, data = self.recv()
            if code in (b"p",):  # progress
                continue
            if code in FINAL:
                if code == b"y":
                    requests.append((code, data))
                return NAMES[code], requests
            requests.append((code, data))

    def quit(self):
        self.send(b"Q")
        self.s.close()


def added(requests, name):
    """Values of header NAME added or inserted at end of message."""
    out = []
    for code, data in requests:
        if code == b"i":  # insheader: index, name, value
            data = data[4:]
        if code in (b"h", b"i"):
            n, _, v = data.partition(b"\0")
            if n.decode(errors="replace").lower() == name.lower():
                out.append(v.rstrip(b"\0").decode(errors="replace").strip())
    return out


def base_headers(qid, subject):
    return [("From", "Sender <sender@example.org>"), ("To", "user@vigie-test.example"),
            ("Subject", subject), ("Message-ID", "<%s@example.org>" % qid)]


def main():
    if len(sys.argv) != 2:
        sys.stderr.write(__doc__)
        return 2
    m = Milter(sys.argv[1])
    m.hello()
    folded = "\r\n\t".join(["a" * 98] * 940)  # ~ 90 KiB, folded every 100 bytes
    single = "b" * (90 * 1024)
    cases = (("LONG1", "vigie-e2e-tag folded", folded, "folded 90 KiB header"),
             ("LONG2", "vigie-e2e-tag one line", single, "unfolded 90 KiB header"))
    for qid, subject, value, what in cases:
        try:
            reply, reqs = m.message(qid, base_headers(qid, subject) + [("X-Long", value)],
                                    b"Hello.\r\n")
        except (ConnectionError, OSError) as e:
            verify(False, what + ": session survives", "'%s'" % e, "a verdict")
            return 1
        verify(reply in ("accept", "continue"), what + ": message accepted", reply, "accept")
        st = added(reqs, "X-Vigie-Status")
        verify(st == ["tag score=5.0"], what + ": X-Vigie-Status: tag score=5.0", st,
               "['tag score=5.0']")
    reply, reqs = m.message("LONG3", base_headers("LONG3", "plain"), b"Clean.\r\n")
    st = added(reqs, "X-Vigie-Status")
    verify(len(st) == 1 and st[0].startswith("accept "),
           "next message on the connection: X-Vigie-Status: accept", st, "['accept score=...']")
    m.quit()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
