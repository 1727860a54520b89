"""milterproto.py - the MTA end of the milter protocol, for tests and benches.

Protocol version 6, as Postfix speaks it: option negotiation, then the
steps the filter did not skip (SMFIP_NO*), reading a reply only where it
did not ask for none (SMFIP_NR_*). miltertest cannot send a header
larger than 1 KiB, nor hold hundreds of sessions open at once; this can.
Used by case_long_header.py, tests/stress/milter_loop.py and
bench/memory.py.
"""
import socket
import struct

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
CHUNK = 65535  # largest body chunk Postfix sends


class Milter:
    """One milter connection, seen from the MTA."""

    def __init__(self, spec, timeout=20):
        if not spec.startswith("unix:"):
            raise SystemExit("only unix: sockets")
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.s.settimeout(timeout)
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
        """Negotiate, connect and HELO."""
        self.negotiate()
        r = self.step(b"C", b"client.vigie-test.example\0" + b"4" + struct.pack(">H", 25) +
                      b"127.0.0.1\0", NOCONNECT, NR_CONN)
        assert r in (None, "continue"), r
        r = self.step(b"H", b"client.vigie-test.example\0", NOHELO, NR_HELO)
        assert r in (None, "continue"), r

    def begin(self, qid, headers, sender="sender@example.org"):
        """Envelope and header fields of a message; None, or the reply that ended it."""
        self.send(b"D", b"M" + b"i\0" + qid.encode() + b"\0")
        for cmd, data, no, nr in ((b"M", b"<%s>\0" % sender.encode(), NOMAIL, NR_MAIL),
                                  (b"R", b"<user@vigie-test.example>\0", NORCPT, NR_RCPT),
                                  (b"T", b"", NODATA, NR_DATA)):
            r = self.step(cmd, data, no, nr)
            if r not in (None, "continue"):
                return r
        lead = b" " if self.proto & HDR_LEADSPC else b""
        for name, value in headers:
            r = self.step(b"L", name.encode() + b"\0" + lead + value.encode() + b"\0",
                          NOHDRS, NR_HDR)
            if r not in (None, "continue"):
                return r
        r = self.step(b"N", b"", NOEOH, NR_EOH)
        return r if r not in (None, "continue") else None

    def body(self, data):
        """Body bytes in chunks; None, or the reply that ended the message."""
        for i in range(0, len(data), CHUNK):
            r = self.step(b"B", data[i:i + CHUNK], NOBODY, NR_BODY)
            if r not in (None, "continue", "skip"):
                return r
        return None

    def end(self):
        """End of message: (final reply word, the requests before it)."""
        self.send(b"E")
        requests = []
        while True:
            code, data = self.recv()
            if code == b"p":  # progress
                continue
            if code in FINAL:
                if code == b"y":
                    requests.append((code, data))
                return NAMES[code], requests
            requests.append((code, data))

    def message(self, qid, headers, body):
        """One whole message; returns (final reply word, requests before it)."""
        r = self.begin(qid, headers) or self.body(body)
        if r is not None:
            return r, []
        return self.end()

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
