#!/usr/bin/env python3
"""make_hostile.py - write the hostile messages of the limits test.

usage: make_hostile.py DIR

Each file is built to hit one bound of the engine (see limits.h):
nested multiparts, a huge header, a flood of URLs, tens of megabytes of
base64, text crafted against a backtracking pattern, invalid UTF-8 in
every place. People and domains are invented.
"""
import base64
import os
import sys

HEAD = ("From: Service <svc@sender.example>\nTo: someone@rcpt.example\n"
        "Subject: {subject}\nMIME-Version: 1.0\n")


def write(path, data):
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


def nested(n):
    parts = [HEAD.format(subject="nested") +
             'Content-Type: multipart/mixed; boundary="b0"\n\n']
    for i in range(1, n):
        parts.append('--b%d\nContent-Type: multipart/mixed; boundary="b%d"\n\n'
                     % (i - 1, i))
    parts.append("--b%d\nContent-Type: text/plain\n\ncarte vitale\n" % (n - 1))
    for i in range(n - 1, -1, -1):
        parts.append("--b%d--\n" % i)
    return "".join(parts)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    write(os.path.join(out, "nested-10000.eml"), nested(10000))
    write(os.path.join(out, "header-90k.eml"),
          HEAD.format(subject="long") + "X-Long: " + "a" * (90 * 1024) +
          "\n\nbody\n")
    urls = "".join("https://h%d.example/p%d\n" % (i % 5000, i)
                   for i in range(100000))
    write(os.path.join(out, "urls-100000.eml"),
          HEAD.format(subject="links") + "Content-Type: text/plain\n\n" + urls)
    raw = os.urandom(37 * 1024 * 1024)          # 50 MB once in base64
    b64 = base64.encodebytes(raw)
    write(os.path.join(out, "base64-50mb.eml"),
          (HEAD.format(subject="big") +
           'Content-Type: application/octet-stream; name="x.bin"\n'
           "Content-Transfer-Encoding: base64\n\n").encode() + b64)
    write(os.path.join(out, "backtrack.eml"),
          HEAD.format(subject="a " * 2000 + "!") + "Content-Type: text/plain\n\n" +
          ("a " * 50000) + "!\n")
    bad = bytes(range(0x80, 0x100)) * 64
    write(os.path.join(out, "invalid-utf8.eml"),
          b"From: \xff\xfe <x\xc3@bad\xe9.example>\nTo: y@rcpt.example\n"
          b"Subject: =?utf-8?B?" + base64.b64encode(bad[:120]) + b"?= \xc0\xaf\n"
          b"MIME-Version: 1.0\nContent-Type: text/html; charset=utf-8\n\n"
          b"<a href=\"http://\xff\xfe.example/\xc3\">" + bad + b"</a>" + bad + b"\n")


if __name__ == "__main__":
    main()
