#!/usr/bin/env python3
"""attachgen.py - small attachment files and messages for vigie's attachment tests.

Importable (tests/limits/make_hostile.py, tests/unit/fixtures/make_fixtures.py
use it) and runnable:

    attachgen.py fixtures DIR     the unit-test fixtures (tests/unit/fixtures/)
    attachgen.py corpus DIR       the attachment lures and twins (tests/corpus/)
    attachgen.py pdfseeds DIR     the PDF fuzz target's seeds (tests/fuzz/seeds/pdf/)

PDFs are written by hand (PDF 1.4, one Helvetica font in WinAnsi, text
lines, /URI link annotations, AcroForm text fields) so that no PDF library
is needed; ZIPs with the zipfile module; QR codes with the qrcode module
of Debian's python3-qrcode and python3-png (run the `fixtures` and
`corpus` commands with /usr/bin/python3 if another python3 comes first);
the JPEG fixture is the PNG converted by cjpeg (libjpeg-turbo-progs) when
it is there. People, domains and numbers are invented.
"""
import base64
import email.header
import gzip
import io
import os
import shutil
import struct
import subprocess
import sys
import tarfile
import zipfile
import zlib


def make_qr_png(text):
    """a PNG of a QR code saying text (needs python3-qrcode, python3-png)"""
    import qrcode  # noqa: E402 (only the QR fixtures need it)
    from qrcode.image.pure import PyPNGImage
    out = io.BytesIO()
    qrcode.make(text, image_factory=PyPNGImage, box_size=4).save(out)
    return out.getvalue()


def png_to_pgm(data):
    """a PNG (as make_qr_png writes them) as a binary PGM, for cjpeg"""
    import png  # noqa: E402 (python3-png, with python3-qrcode)
    w, h, rows, info = png.Reader(bytes=data).asDirect()
    planes = info["planes"]
    scale = 255 // ((1 << info["bitdepth"]) - 1)
    pix = b"".join(bytes(v * scale for v in row[::planes]) for row in rows)
    return b"P5\n%d %d\n255\n" % (w, h) + pix


def png_chunk(kind, data):
    return (struct.pack(">I", len(data)) + kind + data +
            struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff))


def make_big_png(width, height):
    """a valid all-black 8-bit grey PNG of width x height, compressed as it is made"""
    z = zlib.compressobj(9)
    row = b"\0" * (width + 1)
    idat = b"".join(z.compress(row) for _ in range(height)) + z.flush()
    return (b"\x89PNG\r\n\x1a\n" +
            png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)) +
            png_chunk(b"IDAT", idat) + png_chunk(b"IEND", b""))


def pdf_string(s):
    """a PDF literal string in WinAnsi (latin-1 covers the French text used)"""
    b = s.encode("cp1252")
    b = b.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
    return b"(" + b + b")"


def qr_squares(text, x0=350, y0=700, module=3):
    """a QR code saying text drawn as filled PDF squares (vector, no image),
    its top left corner at (x0, y0) in points (needs python3-qrcode)"""
    import qrcode  # noqa: E402 (only the QR fixtures need it)
    q = qrcode.QRCode(border=4)
    q.add_data(text)
    q.make()
    out = b"q 1 g %d %d %d %d re f 0 g\n" % (
        x0, y0 - module * len(q.get_matrix()), module * len(q.get_matrix()),
        module * len(q.get_matrix()))
    for r, row in enumerate(q.get_matrix()):
        for c, dark in enumerate(row):
            if dark:
                out += b"%d %d %d %d re\n" % (x0 + c * module,
                                               y0 - (r + 1) * module, module, module)
    return out + b"f Q\n"


def qr_image(text):
    """a QR code saying text as a PDF image XObject (8-bit grey, one pixel
    per module, deflated) and the content drawing it 120 points wide at the
    top right of the page (needs python3-qrcode)"""
    import qrcode  # noqa: E402 (only the QR fixtures need it)
    q = qrcode.QRCode(border=4)
    q.add_data(text)
    q.make()
    matrix = q.get_matrix()
    n = len(matrix)
    pixels = b"".join(bytes(0 if dark else 255 for dark in row) for row in matrix)
    data = zlib.compress(pixels)
    xobject = (b"<< /Type /XObject /Subtype /Image /Width %d /Height %d"
               b" /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode"
               b" /Length %d >>\nstream\n" % (n, n, len(data)) + data +
               b"\nendstream")
    return xobject, b"q 120 0 0 120 425 560 cm /QR Do Q\n"


def make_pdf(pages, count=None, fields=(), qr_as_image=False):
    """pages: list of (lines, links) or (lines, links, qr_text); links: list of
    URIs; qr_text: a QR code on the page, drawn as vector squares or, with
    qr_as_image, pasted as an image; fields: (name, tooltip) on page 1.
    count: the page count the page tree claims (default: true)."""
    objs = {}
    n_pages = len(pages)
    font = 3
    first_page = 4
    nxt = first_page + 2 * n_pages
    field_ids = []
    for name, tip in fields:
        field_ids.append(nxt)
        objs[nxt] = (b"<< /Type /Annot /Subtype /Widget /FT /Tx /T " +
                     pdf_string(name) + b" /TU " + pdf_string(tip) +
                     b" /Rect [50 100 300 120] /P %d 0 R /F 4 >>" % first_page)
        nxt += 1
    kids = []
    for i, page in enumerate(pages):
        lines, links = page[0], page[1]
        qr_text = page[2] if len(page) > 2 else None
        pid, cid = first_page + 2 * i, first_page + 2 * i + 1
        kids.append(pid)
        annots = []
        for j, uri in enumerate(links):
            objs[nxt] = (b"<< /Type /Annot /Subtype /Link /Rect [50 %d 400 %d]"
                         b" /Border [0 0 0] /A << /S /URI /URI " % (
                             700 - 20 * j, 715 - 20 * j) +
                         pdf_string(uri) + b" >> >>")
            annots.append(nxt)
            nxt += 1
        if i == 0:
            annots += field_ids
        content = b"BT /F1 11 Tf 50 800 Td 14 TL\n"
        for line in lines:
            content += pdf_string(line) + b" Tj T*\n"
        content += b"ET\n"
        xobjects = b""
        if qr_text and qr_as_image:
            objs[nxt], draw = qr_image(qr_text)
            content += draw
            xobjects = b" /XObject << /QR %d 0 R >>" % nxt
            nxt += 1
        elif qr_text:
            content += qr_squares(qr_text)
        objs[cid] = (b"<< /Length %d >>\nstream\n" % len(content) + content +
                     b"endstream")
        objs[pid] = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]"
                     b" /Resources << /Font << /F1 %d 0 R >>%s >> /Contents %d 0 R"
                     % (font, xobjects, cid) +
                     (b" /Annots [" + b" ".join(b"%d 0 R" % a for a in annots) +
                      b"]" if annots else b"") + b" >>")
    form = (b" /AcroForm << /Fields [" + b" ".join(b"%d 0 R" % f for f in field_ids) +
            b"] >>") if field_ids else b""
    objs[1] = b"<< /Type /Catalog /Pages 2 0 R" + form + b" >>"
    objs[2] = (b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % k for k in kids) +
               b"] /Count %d >>" % (count if count is not None else n_pages))
    objs[font] = (b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica"
                  b" /Encoding /WinAnsiEncoding >>")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    top = max(objs)
    for k in range(1, top + 1):
        offsets[k] = out.tell()
        out.write(b"%d 0 obj\n" % k + objs[k] + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (top + 1))
    for k in range(1, top + 1):
        out.write(b"%010d 00000 n \n" % offsets[k])
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
              % (top + 1, xref))
    return out.getvalue()


def make_pdf_fanout(levels, fan):
    """one page drawing a Form XObject that draws the next one fan times,
    levels deep: fan ** (levels - 1) squares from 2 KiB of PDF (a page
    poppler spends minutes on)"""
    def stream(data, extra):
        return b"<< /Length %d%s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"
    form = b" /Type /XObject /Subtype /Form /BBox [0 0 595 842]"
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]"
            b" /Resources << /XObject << /X 5 0 R >> >> /Contents 4 0 R >>",
            stream(b"/X Do", b"")]
    for k in range(levels - 1):
        objs.append(stream(b"/X Do\n" * fan, form +
                           b" /Resources << /XObject << /X %d 0 R >> >>" % (6 + k)))
    objs.append(stream(b"0 0 1 1 re f", form))
    return pdf_objects(objs)


def pdf_objects(objs):
    """a PDF file of objs (object 1 the catalog) with its xref table"""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for k, obj in enumerate(objs, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % k + obj + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1))
    for o in offsets:
        out.write(b"%010d 00000 n \n" % o)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
              % (len(objs) + 1, xref))
    return out.getvalue()


def make_zip(members, encrypt=False):
    """members: list of (name, bytes). encrypt: mark every member encrypted
    (general purpose bit 0), as a password-protected ZIP is."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            z.writestr(name, data)
    data = bytearray(out.getvalue())
    if encrypt:
        for sig, off in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
            i = data.find(sig)
            while i >= 0:
                data[i + off] |= 1
                i = data.find(sig, i + 4)
    return bytes(data)


def ics_fold(line):
    """RFC 5545 folding at 60 octets (continuations start with a space)"""
    b = line.encode()
    parts = [b[i:i + 60] for i in range(0, len(b), 60)] or [b""]
    return b"\r\n ".join(parts) + b"\r\n"


def make_ics(events, method="REQUEST"):
    """events: list of dicts with SUMMARY, DESCRIPTION, LOCATION, URL, ORGANIZER_CN..."""
    out = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//vigie tests//FR\r\n"
    out += b"METHOD:" + method.encode() + b"\r\n"
    for i, ev in enumerate(events):
        out += b"BEGIN:VEVENT\r\n"
        out += ics_fold("UID:%d-test@vigie.example" % i)
        out += b"DTSTART:20260312T090000Z\r\nDTEND:20260312T093000Z\r\n"
        if "ORGANIZER_CN" in ev:
            out += ics_fold('ORGANIZER;CN="%s":mailto:%s' % (
                ev["ORGANIZER_CN"], ev.get("ORGANIZER", "agenda@example.org")))
        for key in ("SUMMARY", "DESCRIPTION", "LOCATION", "URL"):
            if key in ev:
                v = ev[key]
                if key != "URL":
                    v = (v.replace("\\", "\\\\").replace(";", "\\;")
                         .replace(",", "\\,").replace("\n", "\\n"))
                out += ics_fold("%s:%s" % (key, v))
        out += b"END:VEVENT\r\n"
    return out + b"END:VCALENDAR\r\n"


def eml(sender, subject, body, attachments, rcpt="Claire Martin <c.martin@courriel-demo.fr>",
        date="Tue, 10 Mar 2026 09:12:44 +0100", msgid="att", auth_domain=None):
    """a multipart/mixed message; attachments: (name, type, bytes); a name of
    None makes an inline part (e.g. text/calendar)."""
    dom = sender.split("@")[1].rstrip(">")
    head = ""
    if auth_domain is None:
        auth_domain = dom
    head += ("Authentication-Results: mx.vigie-test.example;\n"
             "\tdkim=pass header.d=%s; spf=pass smtp.mailfrom=%s;\n"
             "\tdmarc=pass header.from=%s\n" % (auth_domain, auth_domain, auth_domain))
    head += ("Received: from mail.%s (mail.%s [192.0.2.44])\n"
             "\tby mx.vigie-test.example (Postfix) with ESMTPS id 4r2%s\n"
             "\tfor <undisclosed>; %s\n" % (dom, dom, msgid, date))
    if not subject.isascii():
        subject = email.header.Header(subject, "utf-8").encode()
    head += ("From: %s\nTo: %s\nSubject: %s\nDate: %s\nMessage-ID: <%s@%s>\n"
             "MIME-Version: 1.0\n" % (sender, rcpt, subject, date, msgid, dom))
    b = "----=_vigie_att_%s" % msgid
    out = head + 'Content-Type: multipart/mixed; boundary="%s"\n\n' % b
    out += ("--%s\nContent-Type: text/plain; charset=utf-8\n"
            "Content-Transfer-Encoding: 8bit\n\n%s\n" % (b, body))
    for name, ctype, data in attachments:
        out += "--%s\nContent-Type: %s" % (b, ctype)
        if name:
            out += '; name="%s"\nContent-Disposition: attachment; filename="%s"' % (
                name, name)
        out += "\nContent-Transfer-Encoding: base64\n\n"
        enc = base64.b64encode(data).decode()
        out += "\n".join(enc[i:i + 76] for i in range(0, len(enc), 76)) + "\n"
    out += "--%s--\n" % b
    return out.encode()


def make_tar(members, gz=False):
    """a POSIX tar of (name, bytes), gzip-compressed when gz; fixed dates"""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.USTAR_FORMAT) as t:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mtime = 1773130364
            t.addfile(info, io.BytesIO(data))
    if not gz:
        return raw.getvalue()
    return gzip.compress(raw.getvalue(), mtime=0)


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)


LURE_LINES = [
    "Assurance Maladie - Service des remboursements",
    "Madame, Monsieur,",
    "Vous avez un remboursement de 312,40 euros en attente.",
    "Pour le recevoir, cliquez ici et saisissez le cryptogramme",
    "de votre carte bancaire avant le 20 mars, faute de quoi",
    "votre dossier sera clos.",
]


def fixtures(d):
    """the unit tests' small files"""
    os.makedirs(d, exist_ok=True)
    write(os.path.join(d, "lure.pdf"), make_pdf(
        [(LURE_LINES, ["https://ameli-remboursement.example/dossier"]),
         (["Page deux : conditions générales"], ["https://page2.example/cgv"])],
        fields=[("numero_carte", "Numéro de carte bancaire")]))
    html = ("<html><head><meta http-equiv=\"refresh\" content=\"0; "
            "url=https://redirect-refresh.example/go\"></head><body>"
            "<p>Formulaire ameli</p><script>window.location.href = "
            "'https://script-location.example/x';</script></body></html>")
    write(os.path.join(d, "form.zip"), make_zip(
        [("invoice/form.html", html.encode()),
         ("readme.txt", "Lisez https://readme-link.example/ avant".encode()),
         ("photo.bin", b"\x00\x01\x02")]))
    write(os.path.join(d, "encrypted.zip"), make_zip(
        [("secret.html", b"<p>cache</p>")], encrypt=True))
    inner = make_zip([("deep.txt", b"le fond https://deep-link.example/")])
    for i in range(10):
        inner = make_zip([("level%d.zip" % i, inner)])
    write(os.path.join(d, "nested10.zip"), inner)
    write(os.path.join(d, "bomb.zip"), make_zip(
        [("zeros%d.txt" % i, b"\0" * (8 << 20)) for i in range(3)]))
    write(os.path.join(d, "form.tgz"), make_tar(
        [("invoice/form.html", html.encode()),
         ("readme.txt", "Lisez https://readme-link.example/ avant".encode())],
        gz=True))
    write(os.path.join(d, "invite.ics.gz"), gzip.compress(make_ics(
        [{"SUMMARY": "Rappel", "URL": "https://gz-link.example/rdv"}]),
        mtime=0))
    write(os.path.join(d, "bomb.tgz"), make_tar(
        [("zeros%d.txt" % i, b"\0" * (8 << 20)) for i in range(3)], gz=True))
    write(os.path.join(d, "invite.ics"), make_ics([
        {"SUMMARY": "Rendez-vous, CPAM; dossier", "DESCRIPTION":
         "Ligne un\nLigne deux : confirmez sur https://ics-desc.example/a "
         "avec un texte assez long pour être plié en plusieurs lignes",
         "LOCATION": "Agence de Lyon", "URL": "https://ics-url.example/rdv",
         "ORGANIZER_CN": "Secretariat Medical"}]))
    write(os.path.join(d, "lure.svg"), (
        '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" '
        'xmlns:xlink="http://www.w3.org/1999/xlink"><text x="1" y="2">'
        'Votre carte Vitale</text><a xlink:href="https://svg-link.example/'
        'login"><text>Se connecter</text></a><style>.a{}</style><script>'
        '<![CDATA[window.open("https://svg-script.example/p")]]></script>'
        '</svg>').encode())
    write(os.path.join(d, "qr-page3.pdf"), make_pdf(
        [(["Un"], []), (["Deux"], []),
         (["Trois"], [], "https://qr-page3.example/p")], qr_as_image=True))
    write(os.path.join(d, "forms-fanout.pdf"), make_pdf_fanout(9, 10))
    qr = make_qr_png("https://qr-link.example/ameli")
    write(os.path.join(d, "qr.png"), qr)
    write(os.path.join(d, "qr-text.png"), make_qr_png("Rappelez le 08 99 12 34 56"))
    write(os.path.join(d, "big.png"), make_big_png(5000, 5000))
    if shutil.which("cjpeg"):
        write(os.path.join(d, "qr.jpg"), subprocess.run(
            ["cjpeg", "-quality", "90"], input=png_to_pgm(qr), check=True,
            stdout=subprocess.PIPE).stdout)


def pdf_seeds(d):
    """small PDFs, one per feature pdf.c reads, for fuzz_pdf"""
    os.makedirs(d, exist_ok=True)
    write(os.path.join(d, "text.pdf"), make_pdf(
        [(LURE_LINES, []), (["Page deux"], [])]))
    write(os.path.join(d, "link.pdf"), make_pdf(
        [(["Cliquez ici"], ["https://lien.example/a", "http://192.0.2.1/b"])]))
    write(os.path.join(d, "form.pdf"), make_pdf(
        [(["Formulaire"], [])], fields=[("nir", "Numéro de sécurité sociale"),
                                        ("cvv", "Cryptogramme")]))
    write(os.path.join(d, "qr-vector.pdf"), make_pdf(
        [(["Scannez"], [], "https://qr-vector.example/p")]))
    write(os.path.join(d, "qr-image-page3.pdf"), make_pdf(
        [(["Un"], []), (["Deux"], []), (["Trois"], [], "https://qr-image.example/p")],
        qr_as_image=True))


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("fixtures", "corpus", "pdfseeds"):
        sys.exit(__doc__)
    if sys.argv[1] == "fixtures":
        fixtures(sys.argv[2])
    elif sys.argv[1] == "pdfseeds":
        pdf_seeds(sys.argv[2])
    else:
        import attachcorpus  # noqa: E402 (tests/tools/attachcorpus.py)
        attachcorpus.corpus(sys.argv[2])
