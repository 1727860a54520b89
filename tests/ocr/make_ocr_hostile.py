#!/usr/bin/env python3
"""make_ocr_hostile.py - write the hostile image messages of tests/ocr/test_ocr.sh.

usage: make_ocr_hostile.py DIR

Each one aims at one bound of OCR (decode/attach/ocr.c) when ocr = true:
ten text images in one message (ocr_max_images), random noise that would
keep tesseract's uninterruptible layout pass busy for seconds (the ink-run
gate), a 20,000 x 20,000 PNG (max_image_pixels, refused before decoding).
The text images are the committed unit fixture, so python3-cairo is not
needed. People and domains are invented.
"""
import os
import random
import struct
import sys
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tools"))
import attachgen  # noqa: E402 (tests/tools/attachgen.py)


def noise_png(side, seed=12345):
    """an 8-bit grey PNG of random black and white pixels"""
    rnd = random.Random(seed)
    raw = b"".join(b"\0" + bytes(rnd.choice((0, 255)) for _ in range(side))
                   for _ in range(side))
    return (b"\x89PNG\r\n\x1a\n" +
            attachgen.png_chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)) +
            attachgen.png_chunk(b"IDAT", zlib.compress(raw, 6)) +
            attachgen.png_chunk(b"IEND", b""))


def msg(attachments):
    return attachgen.eml("Service <svc@sender.example>", "images",
                         "Voir les images jointes.", attachments, msgid="ocrhostile")


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(HERE, "..", "unit", "fixtures", "ocr-lure.png"), "rb") as f:
        lure = f.read()
    attachgen.write(os.path.join(out, "ocr-10-images.eml"), msg(
        [("image%02d.png" % i, "image/png", lure) for i in range(10)]))
    attachgen.write(os.path.join(out, "ocr-noise-1024.eml"), msg(
        [("bruit.png", "image/png", noise_png(1024))]))
    attachgen.write(os.path.join(out, "ocr-png-20000x20000.eml"), msg(
        [("scan.png", "image/png", attachgen.make_big_png(20000, 20000))]))


if __name__ == "__main__":
    main()
