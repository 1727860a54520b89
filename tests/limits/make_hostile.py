#!/usr/bin/env python3
"""make_hostile.py - write the hostile messages of the limits test.

usage: make_hostile.py DIR

Each file is built to hit one bound of the engine (see limits.h):
nested multiparts, a huge header, a flood of URLs, tens of megabytes of
base64, text crafted against a backtracking pattern, invalid UTF-8 in
every place. People and domains are invented.
"""
import base64
import io
import os
import sys
import zipfile
import zlib

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "tools"))
import attachgen  # noqa: E402 (tests/tools/attachgen.py)

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

    attachments(out)


def zip_bomb(members, mib):
    """members x mib MiB of zeros, streamed into a deflated ZIP (~1 KiB per MiB)"""
    out = io.BytesIO()
    zero = b"\0" * (1 << 20)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for i in range(members):
            with z.open("facture-%d.html" % i, "w", force_zip64=True) as m:
                for _ in range(mib):
                    m.write(zero)
    return out.getvalue()


def pdf_stream(data, extra=b""):
    """a PDF stream object's text: dictionary (plus extra entries) and data"""
    return (b"<< /Length %d%s >>\nstream\n" % (len(data), extra) + data +
            b"\nendstream")


def pdf_many_pages(n, image=False):
    """n pages sharing one content stream and one font; with image, the
    content also draws one shared image (so every page is one pdf.c
    renders to look for a QR code)"""
    content = b"BT /F1 12 Tf 50 800 Td (page) Tj ET\n"
    res = b"/Font << /F1 3 0 R >>"
    if image:
        content += b"q 100 0 0 100 400 600 cm /Im Do Q\n"
        res += b" /XObject << /Im 5 0 R >>"
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", None,
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            pdf_stream(content),
            pdf_stream(bytes(range(256)) * 4, b" /Type /XObject /Subtype /Image"
                       b" /Width 32 /Height 32 /ColorSpace /DeviceGray"
                       b" /BitsPerComponent 8")]
    first = len(objs) + 1
    kids = []
    for i in range(n):
        kids.append(b"%d 0 R" % (first + i))
        objs.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]"
                    b" /Resources << " + res + b" >> /Contents 4 0 R >>")
    objs[1] = b"<< /Type /Pages /Kids [" + b" ".join(kids) + b"] /Count %d >>" % n
    return attachgen.pdf_objects(objs)


def pdf_one_page(content, resources, more=()):
    """one page drawing content (object 4) with resources, font 3, more
    objects from 6 on"""
    return attachgen.pdf_objects([b"<< /Type /Catalog /Pages 2 0 R >>",
                        b"<< /Type /Pages /Kids [5 0 R] /Count 1 >>",
                        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
                        content,
                        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]"
                        b" /Resources << " + resources + b" >> /Contents 4 0 R >>"] +
                       list(more))


def pdf_page_ops(size):
    """one page whose content stream is size bytes of text operators"""
    unit = b"BT /F1 1 Tf 10 10 Td (xy) Tj ET\n"
    return pdf_one_page(pdf_stream(unit * (size // len(unit))),
                        b"/Font << /F1 3 0 R >>")


def pdf_page_inflating(mib):
    """one page whose deflated content stream inflates to mib MiB of
    filled squares (about 2 MiB of PDF for 1,000 MiB)"""
    unit = b"0 0 1 1 re f\n"
    data = zlib.compress(unit * (mib * 1024 * 1024 // len(unit)), 9)
    return pdf_one_page(pdf_stream(data, b" /Filter /FlateDecode"), b"")


def pdf_billion_objects():
    """a trailer and an xref section claiming a billion objects"""
    body = (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
            b"2 0 obj << /Type /Pages /Kids [] /Count 1000000000 >> endobj\n")
    xref = len(body)
    return body + (b"xref\n0 1000000000\n0000000000 65535 f \n"
                   b"trailer\n<< /Size 1000000000 /Root 1 0 R >>\nstartxref\n%d\n"
                   b"%%%%EOF\n" % xref)


def attachments(out):
    """hostile attachments: each must be judged within the attachment limits"""
    def msg(name, ctype, data):
        return attachgen.eml("Service <svc@sender.example>", "piece jointe",
                             "Voir la piece jointe.", [(name, ctype, data)],
                             msgid="hostile")
    write(os.path.join(out, "att-zip-bomb.eml"),
          msg("factures.zip", "application/zip", zip_bomb(16, 64)))
    inner = attachgen.make_zip([("fond.html", b"<p>ameli</p>")])
    for i in range(10):
        inner = attachgen.make_zip([("niveau%d.zip" % i, inner)])
    write(os.path.join(out, "att-zip-nested-10.eml"),
          msg("archive.zip", "application/zip", inner))
    write(os.path.join(out, "att-zip-many-members.eml"),
          msg("many.zip", "application/zip", attachgen.make_zip(
              [("m%05d.txt" % i, b"x") for i in range(20000)])))
    write(os.path.join(out, "att-pdf-10000-pages.eml"),
          msg("pages.pdf", "application/pdf", pdf_many_pages(10000)))
    write(os.path.join(out, "att-pdf-10000-pages-images.eml"),
          msg("images.pdf", "application/pdf", pdf_many_pages(10000, image=True)))
    write(os.path.join(out, "att-pdf-page-2mib-operators.eml"),
          msg("operateurs.pdf", "application/pdf", pdf_page_ops(2000000)))
    write(os.path.join(out, "att-pdf-page-inflating-1000mib.eml"),
          msg("gonfle.pdf", "application/pdf", pdf_page_inflating(1000)))
    write(os.path.join(out, "att-pdf-page-forms-10-pow-8.eml"),
          msg("formes.pdf", "application/pdf", attachgen.make_pdf_fanout(9, 10)))
    write(os.path.join(out, "att-pdf-billion-objects.eml"),
          msg("objets.pdf", "application/pdf", pdf_billion_objects()))
    write(os.path.join(out, "att-png-20000x20000.eml"),
          msg("scan.png", "image/png", attachgen.make_big_png(20000, 20000)))
    write(os.path.join(out, "att-ics-100000-events.eml"),
          msg("agenda.ics", "text/calendar", b"BEGIN:VCALENDAR\r\n" +
              b"BEGIN:VEVENT\r\nSUMMARY:x\r\nEND:VEVENT\r\n" * 100000 +
              b"END:VCALENDAR\r\n"))


if __name__ == "__main__":
    main()
