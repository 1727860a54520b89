#!/usr/bin/env python3
"""gen.py - inputs for make bench: synthetic messages, rule packs, configs.

SYNOPSIS
    python3 bench/gen.py OUTDIR        (bench.py imports it; the CLI is for a look)

DESCRIPTION
    Everything is generated, deterministically (fixed seeds), under OUTDIR:

      msg-SIZE.eml   plain French text with links (text/plain, UTF-8, 8bit),
                     SIZE in bytes; a few health-insurance words per page so
                     that the body rules' prefilter lets some PCRE2 patterns
                     run over the whole text, as on the mail vigie is for
      typical.eml    an ordinary newsletter-like message (~6 KB,
                     multipart/alternative: quoted-printable text + HTML
                     with links), what smtp-source sends through Postfix
      rules-xN.rules the shipped pack (brands, freemail and every rule) plus
                     N-1 copies of each of its PATTERN rules under new ids
                     (ID_Xk); each copy's pattern gets an extra alternative
                     "|vgbenchKz" so that copies are distinct patterns (a
                     multi-pattern matcher cannot fold them into one) that
                     match what the original matches; brands stay once;
                     must_match / must_not_match examples are not copied
      empty.rules    rules = ( );   (the floor: reading, decoding, normalising)
      pdf-with.eml, pdf-without.eml
                     an invoice: text/plain + a 3-page PDF (text, a /URI
                     link, a logo image; ~70 KiB), and the same message
                     with the PDF part removed
      qr-with.eml, qr-without.eml
                     tests/corpus/legit/158-qr-pharmacie-rendez-vous.eml
                     (HTML + one inline JPEG QR code), and without the image
      trusted.conf   full.conf with authentication = "trusted": no DNS at all
                     (the shipped "both" asks the system's resolver about
                     every sender), for the rows about content
      noattach.conf  trusted.conf with max_attach_bytes = 0 (attachments are
                     not opened: what a message without any pays at least)
      auth/          (auth_inputs) for the DNS rows: typical.eml from
                     lettre@association.example.fr and cold-NNN.eml, each
                     from its own domain coldNNN.example.fr, all with a
                     Return-Path and a Received field from 127.0.0.1 (SPF
                     from the headers); bench/dns.sh signs them
      auth-NAME.conf (auth_confs) full.conf with authentication = "builtin"
                     and dns_resolver at one of bench/dns.sh's ports
      full.conf, empty.conf, xN.conf
                     config/vigie.conf with its rules = [...] pointing at one
                     of the above (absolute paths), user = "", allow_root =
                     true and socket_mode = "0666" (the benchmark's milter
                     runs as root, its socket used by Postfix's smtpd)
"""
import os
import random
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHIPPED_CONF = os.path.join(ROOT, "config", "vigie.conf")
SHIPPED_RULES = os.path.join(ROOT, "config", "rules", "fr-health.rules")

WORDS = (
    "le la les un une des du de et à au aux en dans pour par sur avec sans sous "
    "nous vous ils elles notre votre nos vos leur leurs ce cette ces qui que dont où "
    "est sont était sera seront avons avez ont fait faire peut peuvent doit doivent "
    "réunion équipe projet semaine prochaine mois année rapport dossier document "
    "compte rendu présentation budget calendrier journée atelier formation service "
    "client partenaire adhérent bénévole association commune mairie école collège "
    "santé médecin pharmacie hôpital rendez-vous consultation ordonnance mutuelle "
    "remboursement soins prévention vaccination dépistage campagne information "
    "été hiver printemps automne lundi mardi mercredi jeudi vendredi samedi "
    "très bien aussi encore déjà toujours jamais souvent parfois ensuite enfin "
    "nouveau nouvelle ancien première dernière grand petite important général "
    "écrire lire envoyer recevoir préparer organiser participer proposer confirmer "
    "café déjeuner salle bâtiment étage accueil secrétariat direction ressources "
    "humaines comptabilité facture devis commande livraison retour échange"
).split()

HEALTH = ("carte vitale", "Assurance Maladie", "votre mutuelle", "remboursement des soins",
          "compte ameli", "frais de dossier", "coordonnées bancaires")


def french_text(size, seed=1, link_every=600, health_every=2500):
    """About SIZE bytes of UTF-8 French prose in 72-column lines, with links."""
    rnd = random.Random(seed)
    lines, line, total = [], [], 0
    since_link = since_health = 0
    nlink = 0
    while total < size:
        if since_link >= link_every:
            nlink += 1
            w = "https://www.site-%d.example.fr/actualites/%d/article.html?ref=lettre" % (
                nlink % 97, nlink)
            since_link = 0
        elif since_health >= health_every:
            w = rnd.choice(HEALTH)
            since_health = 0
        else:
            w = rnd.choice(WORDS)
            if rnd.random() < 0.08:
                w += rnd.choice((".", ",", ";", " :"))
        n = len(w.encode()) + 1
        since_link += n
        since_health += n
        if sum(len(x.encode()) + 1 for x in line) + n > 72:
            s = " ".join(line)
            lines.append(s)
            total += len(s.encode()) + 1
            line = []
        line.append(w)
    if line:
        lines.append(" ".join(line))
    return "\n".join(lines) + "\n"


def headers(subject, ctype, extra=()):
    h = ["From: Lettre du comité <lettre@association.example.fr>",
         "To: adherents@bench.example",
         "Subject: " + subject,
         "Date: Tue, 04 Mar 2025 09:12:00 +0100",
         "Message-ID: <bench.%d@association.example.fr>" % len(subject),
         "MIME-Version: 1.0",
         "Content-Type: " + ctype]
    h.extend(extra)
    return "\n".join(h) + "\n\n"


def sized_message(size):
    """A text/plain message of about SIZE bytes in all."""
    hdr = headers("Compte rendu de la réunion (%d octets)" % size,
                  "text/plain; charset=utf-8", ["Content-Transfer-Encoding: 8bit"])
    body = french_text(max(0, size - len(hdr.encode())), seed=size)
    return (hdr + body).encode()


def qp_encode(text):
    import quopri
    return quopri.encodestring(text.encode()).decode()


def typical_message():
    """An ordinary ~6 KB multipart/alternative message (what Postfix gets)."""
    text = french_text(2200, seed=7, health_every=10 ** 9)
    paras = [p for p in text.split("\n") if p]
    html = ["<html><head><meta charset=\"utf-8\"></head><body>",
            "<h1>Lettre du comit&eacute;</h1>"]
    for i in range(0, len(paras), 4):
        chunk = " ".join(paras[i:i + 4])
        chunk = re.sub(r"(https://\S+)", r'<a href="\1">lire la suite</a>', chunk)
        html.append("<p>" + chunk + "</p>")
    html.append("<p><a href=\"https://www.association.example.fr/desinscription\">"
                "Se d&eacute;sinscrire</a></p></body></html>")
    b = "=_bench_boundary_42"
    out = headers("Lettre du comité, mars 2025",
                  "multipart/alternative; boundary=\"%s\"" % b)
    out += "--%s\nContent-Type: text/plain; charset=utf-8\n" \
           "Content-Transfer-Encoding: quoted-printable\n\n%s\n" % (b, qp_encode(text))
    out += "--%s\nContent-Type: text/html; charset=utf-8\n" \
           "Content-Transfer-Encoding: quoted-printable\n\n%s\n" % (b, qp_encode("\n".join(html)))
    out += "--%s--\n" % b
    return out.encode()


def pdf_string(text):
    return "(" + text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


def invoice_pdf(pages=3):
    """A small invoice-like PDF: PAGES pages of text in Helvetica (not
    embedded), a logo image (noisy RGB, ~55 KB compressed: real invoices
    carry logos and fonts) and a /URI link annotation on page 1."""
    import zlib
    rnd = random.Random(12)
    w, h = 160, 120
    pixels = bytes(rnd.randrange(256) for _ in range(w * h * 3))
    objs = []  # object bodies, numbered from 1

    def add(body):
        objs.append(body)
        return len(objs)

    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    img = zlib.compress(pixels, 9)
    logo = add(b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB "
               b"/BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n" % (w, h, len(img))
               + img + b"\nendstream")
    link = add(b"<< /Type /Annot /Subtype /Link /Rect [72 90 300 104] /Border [0 0 0] "
               b"/A << /S /URI /URI (https://www.kine-des-tilleuls.example.fr/factures/2025-0342) >> >>")
    kids = []
    parent = len(objs) + 1 + 2 * pages + 1  # the Pages object comes last
    for n in range(1, pages + 1):
        lines = ["Cabinet de kinesitherapie des Tilleuls - 12 rue des Tilleuls, 69003 Lyon",
                 "FACTURE n. 2025-0342 - page %d / %d" % (n, pages), ""]
        text = french_text(2400, seed=100 + n, link_every=10 ** 9, health_every=10 ** 9)
        lines += [x for x in text.split("\n") if x][:28]
        if n == pages:
            lines += ["", "Total TTC : 248,00 EUR - reglement par virement a reception.",
                      "Facture en ligne : https://www.kine-des-tilleuls.example.fr/factures/2025-0342"]
        ops = ["q 90 0 0 68 460 740 cm /Logo Do Q", "BT /F1 10 Tf 72 720 Td 13 TL"]
        for line in lines:
            ops.append(pdf_string(line).encode("latin-1", "replace").decode("latin-1") + " '")
        ops.append("ET")
        content = zlib.compress("\n".join(ops).encode("latin-1", "replace"))
        c = add(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content) + content +
                b"\nendstream")
        annots = b" /Annots [%d 0 R]" % link if n == 1 else b""
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
                        b"/Resources << /Font << /F1 %d 0 R >> /XObject << /Logo %d 0 R >> >>%s >>"
                        % (parent, c, font, logo, annots)))
    info = add(b"<< /Title (Facture 2025-0342) /Producer (vigie bench/gen.py) >>")
    pages_obj = add(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids), pages))
    assert pages_obj == parent
    catalog = add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_obj)
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for o in offsets:
        out += b"%010d 00000 n \n" % o
    out += b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objs) + 1, catalog, info, xref)
    return bytes(out)


def pdf_messages():
    """(with, without): an invoice with its PDF, and the same without it."""
    import base64
    b = "=_bench_mixed_17"
    text = ("Bonjour,\n\nVeuillez trouver ci-joint la facture n. 2025-0342 de vos "
            "seances de kinesitherapie.\nElle est aussi disponible sur "
            "https://www.kine-des-tilleuls.example.fr/factures/2025-0342\n\n"
            "Bien cordialement,\nLe secretariat du cabinet des Tilleuls\n")
    head = headers("Votre facture 2025-0342", "multipart/mixed; boundary=\"%s\"" % b)
    text_part = "--%s\nContent-Type: text/plain; charset=utf-8\n" \
                "Content-Transfer-Encoding: 8bit\n\n%s\n" % (b, text)
    pdf = base64.encodebytes(invoice_pdf()).decode()
    pdf_part = "--%s\nContent-Type: application/pdf; name=\"facture-2025-0342.pdf\"\n" \
               "Content-Disposition: attachment; filename=\"facture-2025-0342.pdf\"\n" \
               "Content-Transfer-Encoding: base64\n\n%s\n" % (b, pdf)
    end = "--%s--\n" % b
    return ((head + text_part + pdf_part + end).encode(), (head + text_part + end).encode())


QR_FIXTURE = os.path.join(ROOT, "tests", "corpus", "legit", "158-qr-pharmacie-rendez-vous.eml")


def qr_messages():
    """(with, without): the QR fixture, and the same without its image part."""
    import email
    import email.policy
    with open(QR_FIXTURE, "rb") as f:
        raw = f.read()
    msg = email.message_from_bytes(raw, policy=email.policy.compat32)
    images = [p for p in msg.get_payload() if p.get_content_maintype() == "image"]
    if len(images) != 1:
        raise SystemExit("gen.py: %s: expected one image part" % QR_FIXTURE)
    msg.set_payload([p for p in msg.get_payload() if p not in images])
    return raw, msg.as_bytes()


AUTH_ENVELOPE = ("Return-Path: <bounce@{d}>\n"
                 "Received: from mail.{d} (mail.{d} [127.0.0.1])\n"
                 "\tby mx.bench.example (Postfix) with ESMTPS id 4Bench;"
                 " Tue, 04 Mar 2025 09:12:01 +0100\n")


def auth_inputs(outdir, cold):
    """Unsigned messages for the DNS rows (bench/dns.sh signs them)."""
    d = os.path.join(outdir, "auth")
    os.makedirs(d, exist_ok=True)
    typical = typical_message().decode()
    write(os.path.join(d, "typical.eml"),
          AUTH_ENVELOPE.format(d="association.example.fr") + typical)
    for i in range(cold):
        dom = "cold%03d.example.fr" % i
        m = typical.replace("lettre@association.example.fr", "lettre@" + dom, 1)
        m = m.replace("Message-ID: <bench.", "Message-ID: <cold%03d.bench." % i, 1)
        write(os.path.join(d, "cold-%03d.eml" % i), AUTH_ENVELOPE.format(d=dom) + m)
    return d


AUTH_KEY = r'^authentication\s*=.*$'


def auth_confs(outdir, ports):
    """full.conf with authentication = "builtin" and dns_resolver at each
    127.0.0.1@PORT of PORTS ({name: port}); returns {name: path}."""
    auth = AUTH_KEY
    out = {}
    for name, port in ports.items():
        out[name] = os.path.join(outdir, "auth-%s.conf" % name)
        write(out[name], conf_for(SHIPPED_RULES, (
            (auth, 'authentication = "builtin";'),
            (r'^dns_resolver\s*=.*$', 'dns_resolver = "127.0.0.1@%d";' % port))))
    return out


def split_rules(text):
    """(text before 'rules = (', [rule entry texts], text after the list)."""
    m = re.search(r"^rules\s*=\s*\(\s*$", text, re.M)
    if not m:
        raise SystemExit("gen.py: no 'rules = (' line in the shipped rule file")
    head, rest = text[:m.start()], text[m.end():]
    end = re.search(r"^\);\s*$", rest, re.M)
    body, tail = rest[:end.start()], rest[end.end():]
    entries, cur = [], []
    for line in body.split("\n"):
        s = line.strip()
        if not cur and (not s or s.startswith("#")):
            continue
        cur.append(line)
        if s.endswith("},") or s.endswith("}"):
            entries.append("\n".join(cur).rstrip().rstrip(","))
            cur = []
    return head, entries, tail


def multiplied_rules(factor):
    """The shipped pack with FACTOR-1 extra copies of each pattern rule."""
    with open(SHIPPED_RULES) as f:
        head, entries, _ = split_rules(f.read())
    out = list(entries)
    pattern_rules = [e for e in entries if re.search(r"\bpattern\s*=", e)]
    for k in range(1, factor):
        for e in pattern_rules:
            c = re.sub(r'(id\s*=\s*")([^"]+)"', r'\1\2_X%d"' % k, e, count=1)
            c = re.sub(r'(pattern\s*=\s*")((?:[^"\\]|\\.)*)"',
                       lambda m: '%s(?:%s)|vgbench%dz"' % (m.group(1), m.group(2), k), c, count=1)
            c = re.sub(r'\s*must_(not_)?match\s*=\s*\[(?:[^\]"]|"(?:[^"\\]|\\.)*")*\];', "", c)
            out.append(c)
    return (head + "rules = (\n" + ",\n".join(out) + "\n);\n",
            len(entries) + (factor - 1) * len(pattern_rules), len(pattern_rules))


def conf_for(rules_path, extra=()):
    """config/vigie.conf for the benchmark; EXTRA: more (pattern, line) swaps."""
    with open(SHIPPED_CONF) as f:
        text = f.read()
    subs = ((r'^rules\s*=.*$', 'rules = [ "%s" ];' % rules_path),
            (r'^user\s*=.*$', 'user = "";'),
            (r'^allow_root\s*=.*$', 'allow_root = true;'),
            (r'^socket_mode\s*=.*$', 'socket_mode = "0666";'),
            (r'^stats_listen\s*=.*$', 'stats_listen = "";')) + tuple(extra)
    for pat, rep in subs:
        text, n = re.subn(pat, rep.replace("\\", "\\\\"), text, flags=re.M)
        if n != 1:
            raise SystemExit("gen.py: %s: expected one line matching %s" % (SHIPPED_CONF, pat))
    return text


def write(path, data):
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


def generate(outdir, sizes=(10_000, 100_000, 1_000_000, 10_000_000), factors=(1, 10, 100)):
    """Write everything; returns a dict describing what was written."""
    os.makedirs(outdir, exist_ok=True)
    info = {"sizes": {}, "packs": {}}
    for s in sizes:
        p = os.path.join(outdir, "msg-%d.eml" % s)
        write(p, sized_message(s))
        info["sizes"][s] = p
    info["typical"] = os.path.join(outdir, "typical.eml")
    write(info["typical"], typical_message())
    write(os.path.join(outdir, "empty.rules"), "rules = ( );\n")
    write(os.path.join(outdir, "empty.conf"), conf_for(os.path.join(outdir, "empty.rules")))
    write(os.path.join(outdir, "full.conf"), conf_for(SHIPPED_RULES))
    info["full_conf"] = os.path.join(outdir, "full.conf")
    trusted = (AUTH_KEY, 'authentication = "trusted";')
    info["trusted_conf"] = os.path.join(outdir, "trusted.conf")
    write(info["trusted_conf"], conf_for(SHIPPED_RULES, (trusted,)))
    info["noattach_conf"] = os.path.join(outdir, "noattach.conf")
    write(info["noattach_conf"], conf_for(SHIPPED_RULES, (
        trusted, (r'^[ \t]*max_attach_bytes\s*=.*$', '  max_attach_bytes = 0;'))))
    for name, pair in (("pdf", pdf_messages()), ("qr", qr_messages())):
        for which, data in zip(("with", "without"), pair):
            info["%s_%s" % (name, which)] = os.path.join(outdir, "%s-%s.eml" % (name, which))
            write(info["%s_%s" % (name, which)], data)
    info["empty_conf"] = os.path.join(outdir, "empty.conf")
    for n in factors:
        if n == 1:
            info["packs"][1] = {"conf": info["full_conf"]}
            continue
        text, nrules, npat = multiplied_rules(n)
        rp = os.path.join(outdir, "rules-x%d.rules" % n)
        write(rp, text)
        cp = os.path.join(outdir, "x%d.conf" % n)
        write(cp, conf_for(rp))
        info["packs"][n] = {"conf": cp, "rules": nrules, "pattern_rules_copied": npat}
    return info


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.stderr.write(__doc__)
        sys.exit(2)
    print(generate(sys.argv[1]))
