#!/usr/bin/env python3
"""ocrgen.py - images of text for vigie's OCR tests (ocr = true).

    ocrgen.py fixtures DIR     tests/unit/fixtures/ocr-lure.png, ocr-lure.jpg
    ocrgen.py corpus DIR       the OCR lures and twins (DIR/phish, DIR/legit)

A lure written as a picture carries no text the filter can read unless it
reads the picture: these images are lines of black text on white, drawn
with cairo (Debian's python3-cairo, DejaVu Sans; run with /usr/bin/python3
if another python3 comes first), as a PNG, a JPEG (cjpeg from
libjpeg-turbo-progs) or a PDF page holding only the image (a "scan": no
text layer). The outputs are committed, so the tests need none of this.
People, domains and numbers are invented.
"""
import io
import os
import struct
import subprocess
import sys

import cairo

import zlib

from attachcorpus import related
from attachgen import eml, png_chunk, write

FONT_PX = 26            # a mail client's large body text
LINE_PX = 40


def text_surface(lines, width=900, size=FONT_PX):
    """an RGB24 cairo surface with lines of black text on white"""
    height = 40 + LINE_PX * len(lines)
    s = cairo.ImageSurface(cairo.FORMAT_RGB24, width, height)
    c = cairo.Context(s)
    c.set_source_rgb(1, 1, 1)
    c.paint()
    c.set_source_rgb(0, 0, 0)
    c.select_font_face("DejaVu Sans", cairo.FONT_SLANT_NORMAL,
                       cairo.FONT_WEIGHT_NORMAL)
    c.set_font_size(size)
    for i, line in enumerate(lines):
        c.move_to(24, 20 + size + LINE_PX * i)
        c.show_text(line)
    s.flush()
    return s


def grey_rows(lines, **kw):
    """the picture's width, height and rows of 8-bit grey"""
    s = text_surface(lines, **kw)
    w, h, stride, data = s.get_width(), s.get_height(), s.get_stride(), s.get_data()
    # black text on white: any channel of xRGB is the grey level
    return w, h, [bytes(data[y * stride + 1:y * stride + 4 * w:4]) for y in range(h)]


def text_png(lines, **kw):
    """the picture as an 8-bit grey PNG (a third of cairo's RGB one)"""
    w, h, rows = grey_rows(lines, **kw)
    raw = b"".join(b"\0" + r for r in rows)
    return (b"\x89PNG\r\n\x1a\n" +
            png_chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0)) +
            png_chunk(b"IDAT", zlib.compress(raw, 9)) + png_chunk(b"IEND", b""))


def text_pgm(lines, **kw):
    """the picture as a binary PGM, for cjpeg"""
    w, h, rows = grey_rows(lines, **kw)
    return b"P5\n%d %d\n255\n" % (w, h) + b"".join(rows)


def text_jpeg(lines, **kw):
    return subprocess.run(["cjpeg", "-quality", "60", "-grayscale"],
                          input=text_pgm(lines, **kw), check=True,
                          stdout=subprocess.PIPE).stdout


def scanned_pdf(lines):
    """an A4 PDF whose only content is the picture of lines (150 dpi)"""
    img = text_surface(lines, width=1200, size=30)
    out = io.BytesIO()
    pdf = cairo.PDFSurface(out, 595, 842)
    pdf.set_metadata(cairo.PDF_METADATA_CREATE_DATE, "2026-03-10T09:00:00")
    pdf.set_metadata(cairo.PDF_METADATA_CREATOR, "scanner")
    c = cairo.Context(pdf)
    c.translate(20, 40)
    c.scale(72.0 / 150, 72.0 / 150)
    c.set_source_surface(img, 0, 0)
    c.paint()
    pdf.finish()
    return out.getvalue()


LURE = [
    "Assurance Maladie",
    "Votre carte Vitale expire le 15 décembre.",
    "Mettez à jour vos informations avant 48 heures",
    "sur https://ameli-remboursement.fr/vitale",
    "Frais d'envoi de la nouvelle carte : 1,99 €",
]


def fixtures(d):
    os.makedirs(d, exist_ok=True)
    write(os.path.join(d, "ocr-lure.png"), text_png(LURE))
    write(os.path.join(d, "ocr-lure.jpg"), text_jpeg(LURE))


def phish():
    m = {}
    m["206-ocr-inline-image-carte-vitale.eml"] = related(
        "Service Assures <info@lettre-assures-infos.example>", "Information importante",
        "<html><body><p><img src=\"cid:code\" alt=\"\"></p></body></html>",
        text_png(LURE), "image/png", "ocr206")
    m["207-ocr-png-jointe-remboursement.eml"] = eml(
        "Notification <avis@envoi-dossiers-web.example>", "Avis",
        "Bonjour,\n\nVeuillez consulter l'avis joint.\n",
        [("avis.png", "image/png", text_png([
            "Assurance Maladie - Service des remboursements",
            "Vous avez un remboursement de 312,40 euros en attente.",
            "Pour le recevoir, saisissez votre numéro de carte bancaire",
            "et le cryptogramme avant le 20 mars, faute de quoi",
            "votre dossier sera clôturé.",
            "http://ameli.fr@198.51.100.23/remboursement"]))],
        msgid="ocr207")
    m["208-ocr-pdf-scan-ameli.eml"] = eml(
        "Service Documents <documents@courrier-scan-envoi.example>", "Votre courrier",
        "Bonjour,\n\nVeuillez trouver ci-joint votre courrier.\n",
        [("courrier.pdf", "application/pdf", scanned_pdf([
            "Assurance Maladie - Caisse Primaire",
            "Votre carte Vitale a expiré : vos droits seront suspendus.",
            "Commandez la nouvelle carte Vitale sous 48 heures sur",
            "https://ameli-carte-vitale.fr/commande",
            "Frais d'expédition : 2,90 €"]))],
        msgid="ocr208")
    return m


def legit():
    m = {}
    m["169-ocr-attestation-scannee-collegue.eml"] = eml(
        "Claire Martin <claire.martin@menuiserie-durand.example>",
        "Mon attestation pour la mutuelle",
        "Bonjour Paul,\n\nVoici le scan de mon attestation de droits, pour "
        "l'affiliation à la mutuelle d'entreprise.\n\nBonne journée,\nClaire",
        [("attestation.png", "image/png", text_png([
            "Attestation de droits à l'assurance maladie",
            "Bénéficiaire : Claire Martin, née le 14/05/1986",
            "Vos droits sont ouverts du 01/01/2026 au 31/12/2026.",
            "Organisme de rattachement : CPAM du Rhône",
            "Ce document ne vaut pas carte Vitale."]))],
        msgid="ocr169")
    m["170-ocr-newsletter-pharmacie-image.eml"] = related(
        "Pharmacie des Lilas <contact@pharmacie-des-lilas.example>",
        "La lettre de votre pharmacie",
        "<html><body><p><img src=\"cid:code\" alt=\"Lettre de décembre\"></p>"
        "<p>Pharmacie des Lilas, 3 place du Marché</p></body></html>",
        text_jpeg([
            "Pharmacie des Lilas - lettre de décembre",
            "La vaccination contre la grippe continue, sans rendez-vous",
            "le matin. Pensez à votre carte Vitale.",
            "Nouveau : tensiomètres en location."]), "image/jpeg", "ocr170")
    return m


def corpus(d):
    for sub, msgs in (("phish", phish()), ("legit", legit())):
        os.makedirs(os.path.join(d, sub), exist_ok=True)
        for name, data in msgs.items():
            write(os.path.join(d, sub, name), data)


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("fixtures", "corpus"):
        sys.exit(__doc__)
    (fixtures if sys.argv[1] == "fixtures" else corpus)(sys.argv[2])
