#!/usr/bin/env python3
"""case_long_header.py - a 90 KiB header field does not break the session.

SYNOPSIS
    case_long_header.py unix:/path/to/vigie.sock

DESCRIPTION
    miltertest cannot send this case: its mt.header() copies the field
    into a 1024-byte stack buffer. So this uses milterproto.py, a minimal
    MTA side of the milter protocol, for one connection with three messages:

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
import sys

from milterproto import Milter, added

failures = 0


def verify(cond, what, got, want):
    global failures
    if cond:
        print("ok - " + what, flush=True)
    else:
        failures += 1
        print("not ok - %s (got %s, want %s)" % (what, got, want), flush=True)
    return cond


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
