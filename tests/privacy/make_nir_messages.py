#!/usr/bin/env python3
"""make_nir_messages.py - messages that carry invented NIRs in every form.

SYNOPSIS
    make_nir_messages.py OUTDIR

DESCRIPTION
    Writes OUTDIR/msgs/NN-form.eml, one message per way a NIR can be written
    or hidden (compact, spaced, dotted, dashed, Corsica 2A/2B, base64 and
    quoted-printable bodies, HTML with entities and tags between the
    groups, Subject plain and RFC 2047 encoded, From display name,
    attachment name, URL path and query), plus a quarantine-level and a
    reject-level lure. Every NIR is invented here (a seeded random draw,
    never a published test value) and has a valid key: 97 - (N mod 97)
    over the first 13 characters, with 2A -> 19 and 2B -> 18. Each message
    also carries a NIR next to a label in its Subject or body, so the
    NIR detectors must fire on every one of them.

    Also writes:
      OUTDIR/nirs.txt       every invented NIR, compact, one a line
      OUTDIR/forms.txt      each NIR in every separator form (compact,
                            spaced, dotted, dashed; upper and lower case),
                            for grep -F -i -f
      OUTDIR/prefixes.txt   the first 8 characters of each NIR in every
                            separator form (a cut-off excerpt must not
                            show even those: sex, birth year and month,
                            departement)
      OUTDIR/boxes.txt      "FILE BOX EXPECT" per message: EXPECT is the
                            action the shipped thresholds give it
"""
import base64
import os
import quopri
import random
import sys

PUBLISHED = {"255081416802538", "295109912611193", "253072B07300470",
             "253072A07300443", "178059933010817"}


def key(first13):
    """the NIR key of its first 13 characters (2A -> 19, 2B -> 18)"""
    v = int(first13.upper().replace("2A", "19").replace("2B", "18"))
    return 97 - v % 97


def invent(rng, dept=None):
    """a structurally valid NIR with a valid key, never a published one"""
    while True:
        sex = rng.choice("12")
        year = "%02d" % rng.randint(30, 99)
        month = "%02d" % rng.randint(1, 12)
        d = dept or "%02d" % rng.choice([x for x in range(1, 96) if x != 20])
        commune = "%03d" % rng.randint(1, 899)
        order = "%03d" % rng.randint(1, 999)
        first = sex + year + month + d + commune + order
        nir = first + "%02d" % key(first)
        if nir not in PUBLISHED:
            return nir


def groups(nir):
    """the seven groups: sex, year, month, departement, commune, order, key"""
    return [nir[0], nir[1:3], nir[3:5], nir[5:7], nir[7:10], nir[10:13], nir[13:]]


def sep(nir, s):
    return s.join(groups(nir))


def forms(nir):
    out = set()
    for s in ("", " ", ".", "-"):
        out.add(sep(nir, s))
        out.add(sep(nir, s).lower())
    return out


def prefixes(nir):
    """the first 8 characters, in every separator form"""
    g = groups(nir)
    head = g[:4] + [g[4][0]]        # 1 + 2 + 2 + 2 + 1 characters
    return {s.join(head) for s in ("", " ", ".", "-")} | \
        {s.join(head).lower() for s in ("", " ", ".", "-")}


def headers(box, subject, frm="Marie Durand <marie.durand@example.org>",
            extra=()):
    h = ["From: " + frm,
         "To: %s@vigie-test.example" % box,
         "Subject: " + subject,
         "Date: Tue, 01 Apr 2025 10:00:00 +0200",
         "Message-ID: <%s.privacy@client.vigie-test.example>" % box,
         "MIME-Version: 1.0"]
    h.extend(extra)
    return "\n".join(h) + "\n"


def plain(box, subject, body, **kw):
    return headers(box, subject, **kw) + \
        "Content-Type: text/plain; charset=utf-8\n" \
        "Content-Transfer-Encoding: 8bit\n\n" + body + "\n"


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    rng = random.Random(20260412)
    used = []

    def new(dept=None):
        n = invent(rng, dept)
        used.append(n)
        return n

    label = "Votre numéro de sécurité sociale : "
    msgs = []   # (file, box, expect, text)

    def add(form, expect, text):
        box = "p%02d%s" % (len(msgs) + 1, form.replace("-", ""))
        msgs.append(("%02d-%s.eml" % (len(msgs) + 1, form), box, expect,
                     text(box)))

    n = new()
    add("compact", "tag", lambda b: plain(b, "Votre dossier",
        "Bonjour,\n\n" + label + n + "\n\nCordialement"))
    n2 = new()
    add("spaced", "tag", lambda b: plain(b, "Votre dossier",
        "Bonjour,\n\n" + label + sep(n2, " ") + "\n\nCordialement"))
    n3 = new()
    add("dotted", "tag", lambda b: plain(b, "Votre dossier",
        "Bonjour,\n\nN° SS : " + sep(n3, ".") + "\n"))
    n4 = new()
    add("dashed", "tag", lambda b: plain(b, "Votre dossier",
        "Bonjour,\n\nNIR " + sep(n4, "-") + "\n"))
    n5 = new("2A")
    add("corsica-2a", "tag", lambda b: plain(b, "Votre dossier",
        label + sep(n5, " ") + "\n"))
    n6 = new("2B")
    add("corsica-2b", "tag", lambda b: plain(b, "Votre dossier",
        label + n6 + "\n"))
    n7 = new()
    b64 = base64.encodebytes((label + sep(n7, " ") + "\n").encode()).decode()
    add("base64", "tag", lambda b: headers(b, "Votre dossier") +
        "Content-Type: text/plain; charset=utf-8\n"
        "Content-Transfer-Encoding: base64\n\n" + b64)
    n8 = new()
    qp_text = (label + sep(n8, " ") + "\n").encode()
    qp = quopri.encodestring(qp_text).decode()
    # a soft line break and an encoded space in the middle of the number
    s8 = sep(n8, " ")
    qp = qp.replace(s8[:6], s8[:4] + "=\n" + s8[4:6].replace(" ", "=20"), 1)
    add("quoted-printable", "tag", lambda b: headers(b, "Votre dossier") +
        "Content-Type: text/plain; charset=utf-8\n"
        "Content-Transfer-Encoding: quoted-printable\n\n" + qp)
    n9 = new()
    g9 = groups(n9)
    html = ("<html><body><p>N&deg; de s&eacute;curit&eacute; sociale&nbsp;: "
            "&#%d;<b>&#32;%s</b> <span>%s</span>&nbsp;%s <i>%s</i> "
            "<font color=\"#000\">%s</font> <u>%s</u></p></body></html>\n"
            % (ord(g9[0]), g9[1], g9[2], g9[3], g9[4], g9[5], g9[6]))
    add("html", "tag", lambda b: headers(b, "Votre dossier") +
        "Content-Type: text/html; charset=utf-8\n"
        "Content-Transfer-Encoding: 8bit\n\n" + html)
    n10 = new()
    add("subject", "tag", lambda b: plain(b, "NIR " + sep(n10, " ") +
        " a confirmer", "Bonjour, merci de repondre."))
    n11 = new()
    enc = base64.b64encode(("N° de sécurité sociale " + sep(n11, ".")).encode())
    add("subject-2047-b", "tag", lambda b: plain(b, "=?utf-8?B?%s?=" %
        enc.decode(), "Bonjour, merci de repondre."))
    n12 = new("2A")
    q = "".join(chr(x) if chr(x).isalnum() and x < 128 else "=%02X" % x
                for x in ("Numéro de sécurité sociale " + n12).encode())
    add("subject-2047-q", "tag", lambda b: plain(b, "=?utf-8?Q?%s?=" %
        q.replace("=20", "_"), "Bonjour, merci de repondre."))
    n13, n13b = new(), new()
    add("from-display", "tag", lambda b: plain(b, "Votre dossier",
        label + n13b + "\n", frm="\"NIR %s\" <marie.durand@example.org>" %
        sep(n13, " ")))
    n14, n14b = new(), new()
    add("from-display-2047", "tag", lambda b: plain(b, "Votre dossier",
        label + n14b + "\n", frm="=?utf-8?B?%s?= <marie.durand@example.org>" %
        base64.b64encode(("N° SS " + n14).encode()).decode()))
    n15, n15b = new(), new()
    add("attachment-name", "tag", lambda b: headers(b, "Votre dossier") +
        "Content-Type: multipart/mixed; boundary=\"pv-b\"\n\n"
        "--pv-b\nContent-Type: text/plain; charset=utf-8\n\n" + label +
        sep(n15b, " ") + "\n"
        "--pv-b\nContent-Type: application/pdf; name=\"nir-%s.pdf\"\n"
        "Content-Disposition: attachment; filename=\"nir-%s.pdf\"\n"
        "Content-Transfer-Encoding: base64\n\nJVBERi0xLjQK\n"
        "--pv-b\nContent-Type: application/octet-stream\n"
        "Content-Disposition: attachment; filename*=utf-8''releve%%20%s.bin\n"
        "Content-Transfer-Encoding: base64\n\nAAAA\n--pv-b--\n"
        % (n15, sep(n15, "-"), sep(n15, ".")))
    n16, n16b = new(), new()
    add("url", "tag", lambda b: headers(b, "Votre dossier") +
        "Content-Type: multipart/alternative; boundary=\"pv-u\"\n\n"
        "--pv-u\nContent-Type: text/plain; charset=utf-8\n\n" + label +
        n16b + "\nhttps://dossier.example.net/verif/%s?nir=%s&x=1\n"
        "--pv-u\nContent-Type: text/html; charset=utf-8\n\n"
        "<p>NIR %s <a href=\"https://dossier.example.net/v/%s/?id=%s\">"
        "dossier</a></p>\n--pv-u--\n"
        % (n16, sep(n16, "."), sep(n16b, " "), n16, sep(n16, "-")))
    # an excerpt cut 60 bytes into a rule's match must not show the start
    # of the number: pad so that the cut falls after its 8th character
    n17 = new()
    add("excerpt-cut", "tag", lambda b: plain(b, "Votre dossier",
        "Votre numero d'assure : abcdefghij klmnopqrstuv wxyzz " +
        sep(n17, " ") + " merci\n"))
    n18 = new()
    add("excerpt-cut-compact", "tag", lambda b: plain(b, "Votre dossier",
        "Votre numero d'assure : abcdefghij klmnopqrstuv wxyz abcd " +
        n18 + " merci\n"))
    # quarantine level: a brand look-alike sender quoting the NIR
    n19 = new()
    add("quarantine", "quarantine", lambda b: plain(b, "Votre dossier " +
        sep(n19, " "), label + n19 + "\n",
        frm="Assurance Maladie <contact@ameli-dossier.com>"))
    # reject level: the full lure
    n20 = new()
    add("reject", "reject", lambda b: plain(b, "Carte Vitale NIR " + n20,
        "Bonjour, votre numero de securite sociale " + sep(n20, " ") +
        " doit etre confirme.\nVotre n° de sécurité sociale : " + n20 +
        " renouveler votre carte vitale, frais d'envoi 1,90 euros.\n",
        frm="Assurance Maladie <noreply@ameli-secu.com>"))

    os.makedirs(os.path.join(out, "msgs"), exist_ok=True)
    with open(os.path.join(out, "boxes.txt"), "w") as f:
        for name, box, expect, text in msgs:
            with open(os.path.join(out, "msgs", name), "w",
                      newline="\n") as m:
                m.write(text)
            f.write("%s %s %s\n" % (name, box, expect))
    with open(os.path.join(out, "nirs.txt"), "w") as f:
        f.write("".join(n + "\n" for n in used))
    with open(os.path.join(out, "forms.txt"), "w") as f:
        f.write("".join(x + "\n" for n in used for x in sorted(forms(n))))
    with open(os.path.join(out, "prefixes.txt"), "w") as f:
        f.write("".join(x + "\n" for n in used for x in sorted(prefixes(n))))


if __name__ == "__main__":
    main()
