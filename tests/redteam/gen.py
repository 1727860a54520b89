#!/usr/bin/env python3
"""gen.py - the red-team generator: evasive variants of French health lures.

SYNOPSIS
	python3 tests/redteam/gen.py OUTDIR

DESCRIPTION
	Writes, deterministically (no randomness, fixed dates), messages that
	hide a few base lures (carte Vitale fee, ameli refund + RIB, password
	confirmation, tiers payant, URSSAF mise en demeure, FranceConnect)
	behind the evasion techniques of issues 12 and 13, and honest twins of
	each technique family. All people, numbers and attacker domains are
	invented. OUTDIR/MANIFEST.tsv has one row per message:

	    kind  technique  state  conf  recipient  file

	kind is phish (must be quarantined or rejected) or ham (must be
	accepted); state is "active", or "pending" for variants that wait for
	another branch (named in the row's technique) and are reported but
	not counted; conf is "shipped" (config/vigie.conf) or "site"
	(tests/corpus/site.conf); recipient is "-" or the envelope recipient
	to pass to vigie-scan. tests/redteam/test_redteam.sh reads it.
"""
import base64
import io
import os
import sys
import urllib.parse
import zipfile

AUTHSERV = "mx.vigie-test.example"
DATE = "Tue, 10 Mar 2026 09:12:44 +0100"
VICTIM = "Claire Martin <c.martin@courriel-demo.fr>"


def nir_key(nir13):
    """The NIR control key: 97 - (NIR mod 97)."""
    return 97 - int(nir13) % 97


NIR13 = "2850775112045"          # invented: woman, 1985-07, Paris
NIR_KEY = "%02d" % nir_key(NIR13)

# --- base lures: (subject, display name, body paragraphs, link) -------------
LURES = {
    "vitale": ("Carte Vitale à renouveler", "Assurance Maladie",
               ["Votre carte Vitale arrive à expiration.",
                "Des frais d'envoi de 1,99 € vous seront demandés pour "
                "l'expédition sécurisée de votre nouvelle carte.",
                "Sans action de votre part sous 48h, votre carte actuelle "
                "sera désactivée."],
               "https://renouvellement-carte.suivi-dossiers-remb.example/vitale"),
    "refund": ("Remboursement en attente", "Assurance Maladie",
               ["Vous avez un remboursement de 312,40 € en attente sur votre "
                "compte ameli.",
                "Pour le recevoir, confirmez votre RIB et saisissez le "
                "cryptogramme de votre carte bancaire sous 48 heures.",
                "Faute de quoi votre dossier sera clos."],
               "https://espace-remboursement.suivi-dossiers-remb.example/rib"),
    "password": ("Confirmez votre mot de passe", "ameli",
                 ["Une connexion inhabituelle a été détectée sur votre compte "
                  "ameli.",
                  "Confirmez votre identifiant et votre mot de passe sous 24h, "
                  "sinon votre compte sera suspendu."],
                 "https://connexion-securisee.suivi-dossiers-remb.example/login"),
    "mutuelle": ("Tiers payant suspendu", "IPECA Prévoyance",
                 ["Votre tiers payant IPECA est suspendu suite à une erreur "
                  "sur vos coordonnées bancaires.",
                  "Mettez à jour votre RIB dans les 48h pour conserver vos "
                  "remboursements de mutuelle."],
                 "https://adherents.suivi-dossiers-remb.example/ipeca"),
    "urssaf": ("Mise en demeure - cotisations impayées", "URSSAF",
               ["Mise en demeure : vos cotisations impayées de 1 248,00 € "
                "font l'objet d'une majoration de retard.",
                "Régularisez votre situation sous 72h pour éviter un "
                "recouvrement forcé."],
               "https://recouvrement.suivi-dossiers-remb.example/urssaf"),
    "fconnect": ("Votre compte FranceConnect expire", "FranceConnect",
                 ["Votre compte FranceConnect expire aujourd'hui.",
                  "Vos droits CPF de 1 500 € seront perdus si vous ne vous "
                  "reconnectez pas sous 24h pour confirmer votre identité."],
                 "https://connexion.suivi-dossiers-remb.example/franceconnect"),
}
ATTACKER = "suivi-dossiers-remb.example"
# how each lure signs: the claim a reader sees once the technique is undone
SIGNATURE = {"vitale": "L'équipe Assurance Maladie",
             "refund": "L'équipe Assurance Maladie",
             "password": "L'équipe ameli",
             "mutuelle": "Le service IPECA Prévoyance",
             "urssaf": "L'équipe URSSAF",
             "fconnect": "L'équipe FranceConnect"}


def auth_results(domain):
    """The receiving MX's verdict: all pass for DOMAIN, or "none"."""
    if domain == "none":
        return ("Authentication-Results: %s;\n\tdkim=none; spf=none; "
                "dmarc=none\n" % AUTHSERV)
    return ("Authentication-Results: %s;\n\tdkim=pass header.d=%s; "
            "spf=pass smtp.mailfrom=%s;\n\tdmarc=pass header.from=%s\n"
            % (AUTHSERV, domain, domain, domain))


def enc_b64(text):
    return base64.encodebytes(text if isinstance(text, bytes)
                              else text.encode()).decode()


def mime_word(text):
    """An RFC 2047 encoded word for a header with non-ASCII text."""
    try:
        text.encode("ascii")
        return text
    except UnicodeEncodeError:
        return "=?utf-8?B?%s?=" % base64.b64encode(text.encode()).decode()


def part(ctype, body, cte="base64", extra=""):
    """A MIME part: body is str (UTF-8) or bytes."""
    raw = body.encode() if isinstance(body, str) else body
    if cte == "base64":
        payload = enc_b64(raw)
    else:
        payload = raw.decode("utf-8", "surrogateescape")
    return ("Content-Type: %s\nContent-Transfer-Encoding: %s\n%s\n%s"
            % (ctype, cte, extra, payload))


def attachment(ctype, name, data):
    return part('%s; name="%s"' % (ctype, name), data,
                extra='Content-Disposition: attachment; filename="%s"\n' % name)


def message(ident, parts, subject, display, sender, auth=None,
            multipart="mixed", extra_headers="", to=VICTIM, raw_subject=False,
            raw_from=False):
    """A whole message; parts is one part string or a list of them."""
    domain = sender.split("@")[1]
    hdr = auth_results(auth or domain)
    hdr += ("Received: from mail.%s (mail.%s [192.0.2.44])\n\tby %s (Postfix) "
            "with ESMTPS id rt%s\n\tfor <undisclosed>; %s\n"
            % (domain, domain, AUTHSERV, ident, DATE))
    hdr += "From: %s <%s>\n" % (display if raw_from else mime_word(display),
                                sender)
    hdr += "To: %s\n" % to
    hdr += "Subject: %s\n" % (subject if raw_subject else mime_word(subject))
    hdr += "Date: %s\nMessage-ID: <rt%s@%s>\nMIME-Version: 1.0\n" % (
        DATE, ident, domain)
    hdr += extra_headers
    if isinstance(parts, str):
        return (hdr + parts).encode("utf-8", "surrogateescape")
    boundary = "=_vigie_redteam_%s" % ident
    out = hdr + 'Content-Type: multipart/%s; boundary="%s"\n\n' % (
        multipart, boundary)
    for p in parts:
        out += "--%s\n%s\n" % (boundary, p)
    out += "--%s--\n" % boundary
    return out.encode("utf-8", "surrogateescape")


def lure_text(key, with_link=True):
    subject, display, paras, link = LURES[key]
    body = "Bonjour Claire Martin,\n\n" + "\n\n".join(paras) + "\n\n"
    if with_link:
        body += link + "\n\n"
    return body + "Cordialement,\n%s\n" % SIGNATURE[key]


def lure_html(key, link=None):
    subject, display, paras, base = LURES[key]
    return ("<p>Bonjour Claire Martin,</p>" +
            "".join("<p>%s</p>" % p for p in paras) +
            '<p><a href="%s">Accéder à mon espace</a></p>'
            "<p>Cordialement,<br>%s</p>" % (link or base, SIGNATURE[key]))


def html_doc(body, style=""):
    return ("<!DOCTYPE html><html><head><meta charset=\"utf-8\">"
            "<style>%s</style></head><body>%s</body></html>" % (style, body))


def plain(text):
    return part("text/plain; charset=utf-8", text)


def html(doc):
    return part("text/html; charset=utf-8", doc)


# --- hand-written files ---------------------------------------------------
def pdf_escape(s):
    return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def make_pdf(lines, uri):
    """A minimal valid one-page PDF: Helvetica text and a /URI link."""
    content = "BT /F1 11 Tf 50 800 Td 14 TL\n" + "".join(
        "(%s) Tj T*\n" % pdf_escape(l) for l in lines) + "ET\n"
    content = content.encode("cp1252")
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
        b"/Encoding /WinAnsiEncoding >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources "
        b"<< /Font << /F1 3 0 R >> >> /Contents 5 0 R /Annots [6 0 R] >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content +
        b"endstream",
        ("<< /Type /Annot /Subtype /Link /Rect [50 700 400 715] /Border "
         "[0 0 0] /A << /S /URI /URI (%s) >> >>" % pdf_escape(uri)).encode(),
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
              % (len(objs) + 1, xref))
    return out.getvalue()


def make_zip(members):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=(2026, 3, 10, 9, 0, 0))
            z.writestr(info, data, zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def ics_fold(line):
    out, raw = [], line.encode()
    while len(raw) > 70:
        cut = 70
        while raw[cut] & 0xC0 == 0x80:
            cut -= 1
        out.append(raw[:cut].decode())
        raw = raw[cut:]
    out.append(raw.decode())
    return "\r\n ".join(out)


def ics_escape(s):
    return s.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;") \
        .replace("\n", "\\n")


def make_ics(summary, description, url, location="En ligne", method="REQUEST"):
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//vigie//redteam//FR",
             "METHOD:" + method, "BEGIN:VEVENT",
             "UID:rt-%d@vigie-test.example" % (len(summary) * 7919 % 100000),
             "DTSTAMP:20260310T080000Z", "DTSTART:20260312T090000Z",
             "DTEND:20260312T093000Z",
             "SUMMARY:" + ics_escape(summary),
             "DESCRIPTION:" + ics_escape(description),
             "LOCATION:" + ics_escape(location)]
    if url:
        lines.append("URL:" + url)
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "\r\n".join(ics_fold(l) for l in lines) + "\r\n"


def make_svg(lines, href, script=""):
    texts = "".join('<text x="20" y="%d" font-size="16">%s</text>'
                    % (40 + 24 * i, l) for i, l in enumerate(lines))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<svg xmlns="http://www.w3.org/2000/svg" '
            'xmlns:xlink="http://www.w3.org/1999/xlink" width="600" '
            'height="300">%s<a xlink:href="%s"><text x="20" y="250">'
            'Accéder à mon espace</text></a>%s</svg>\n'
            % (texts, href, script))


# --- the techniques -------------------------------------------------------
class Out:
    def __init__(self, root):
        self.root = root
        self.rows = []
        self.n = 0

    def add(self, kind, technique, name, data, state="active",
            conf="shipped", recipient="-"):
        self.n += 1
        sub = os.path.join(self.root, kind, technique)
        os.makedirs(sub, exist_ok=True)
        path = os.path.join(sub, "%03d-%s.eml" % (self.n, name))
        with open(path, "wb") as f:
            f.write(data)
        self.rows.append((kind, technique, state, conf, recipient, path))

    def phish(self, technique, name, data, state="active"):
        self.add("phish", technique, name, data, state)


# what a technique variant shows in its headers: nothing that claims a brand,
# so that only the hidden lure (once vigie sees it) can get it caught
NEUTRAL_SUBJECT = "Information importante"


def sender(local="notification"):
    return local + "@" + ATTACKER


def neutral_body(intro="Veuillez trouver ci-joint le document concernant "
                       "votre dossier."):
    return plain("Bonjour,\n\n%s\n\nCordialement,\nLe service client\n"
                 % intro)


def gen_controls(o):
    """Each base lure in plain sight from a neutral From: if one of these
    passes, the technique variants built on it prove nothing."""
    for key in LURES:
        o.phish("control-plain", key, message(
            "ctl" + key, plain(lure_text(key)), LURES[key][0],
            "Service Client", sender()))


def gen_attachments(o):
    for key in ("refund", "vitale", "urssaf"):
        subject, display, paras, link = LURES[key]
        pdf = make_pdf([display, subject] + paras, link)
        o.phish("pdf", key, message(
            "pdf" + key, [neutral_body(), attachment(
                "application/pdf", "Avis_%s.pdf" % key, pdf)],
            "Document concernant votre dossier", "Service Client", sender()))
    for key in ("refund", "password", "mutuelle"):
        page = html_doc(lure_html(key) +
                        '<form action="%s" method="post"><input name="iban">'
                        '<input type="password" name="mdp"></form>'
                        % LURES[key][3])
        z = make_zip([("dossier/formulaire.html", page.encode())])
        o.phish("zip-html", key, message(
            "zip" + key, [neutral_body(), attachment(
                "application/zip", "dossier.zip", z)],
            "Votre dossier", "Service Client", sender()))
    for key in ("refund", "vitale", "fconnect"):
        subject, display, paras, link = LURES[key]
        ics = make_ics("%s - %s" % (display, subject),
                       "\n".join(paras + [SIGNATURE[key]]), link)
        o.phish("ics", key, message(
            "ics" + key, [plain("Bonjour,\n\nVous êtes invité(e) à un "
                                "rendez-vous.\n"),
                          part("text/calendar; method=REQUEST; charset=utf-8",
                               ics, extra='Content-Disposition: attachment; '
                               'filename="invite.ics"\n')],
            "Invitation : rendez-vous", "Agenda", sender("agenda")))
    for key in ("refund", "urssaf", "password"):
        subject, display, paras, link = LURES[key]
        script = ('<script>window.location="%s"</script>' % link
                  if key == "urssaf" else "")
        svg = make_svg([display, subject] + paras, link, script)
        o.phish("svg", key, message(
            "svg" + key, [neutral_body(), attachment(
                "image/svg+xml", "document.svg", svg.encode())],
            "Document concernant votre dossier", "Service Client", sender()))


# redirector variants name no brand: only the target host, once unwrapped,
# imitates one
REDIRECT_TEXTS = ("Votre dossier nécessite une vérification de vos "
                  "coordonnées bancaires sous 48 heures.",
                  "Un remboursement est en attente : confirmez votre RIB.")


def gen_links(o):
    for key in ("refund", "password", "vitale"):
        page = html_doc(lure_html(key) +
                        '<form action="%s"><input name="iban"></form>'
                        % LURES[key][3])
        data = "data:text/html;base64," + base64.b64encode(
            page.encode()).decode()
        body = html_doc('<p>Bonjour,</p><p>Un document vous attend.</p>'
                        '<p><a href="%s">Ouvrir le document</a></p>' % data)
        o.phish("data-url", key, message(
            "data" + key, html(body), "Un document vous attend",
            "Service Client", sender()))
    lookalike = "https://ameli-remboursement.suivi-dossiers-remb.example/rib"
    q = urllib.parse.quote(lookalike, safe="")
    wrappers = {
        "google": "https://www.google.com/url?q=%s&sa=D&ust=1773130000" % q,
        "safelinks": "https://eur02.safelinks.protection.outlook.com/?url=%s"
                     "&data=05%%7C02%%7C&reserved=0" % q,
        "urldefense": "https://urldefense.com/v3/__%s__;!!Q2x9ZmVyQQ$"
                      % lookalike,
    }
    wrappers["open-redirect"] = ("https://www.agenda-sorties.example/"
                                 "redirect?url=%s" % q)
    wrappers["none"] = lookalike
    for name, url in wrappers.items():
        for n, text in enumerate(REDIRECT_TEXTS):
            body = html_doc("<p>Bonjour,</p><p>%s</p><p><a href=\"%s\">"
                            "Accéder à mon dossier</a></p>" % (text, url))
            o.phish("control-plain" if name == "none" else "redirector",
                    "%s-%d" % (name, n), message(
                        "redir%s%d" % (name, n), html(body), NEUTRAL_SUBJECT,
                        "Service Client", sender()))


def gen_css(o):
    footer = ("Ne communiquez jamais vos codes, mots de passe ou coordonnées "
              "bancaires par courriel. L'Assurance Maladie ne vous demandera "
              "jamais vos identifiants.")
    for key in ("vitale", "refund", "urssaf"):
        body = ('<div class="d">%s</div><div hidden class="s" '
                'style="display:none">%s</div>' % (footer, lure_html(key)))
        o.phish("css-hidden-decoy", key, message(
            "css" + key, html(html_doc(
                body, ".d{display:none}.s{display:block!important}")),
            NEUTRAL_SUBJECT, "Service Client", sender()))
    splits = {
        "vitale": "<p>Votre carte <span>Vi</span><b>tale</b> arrive à "
                  "expi<span style=\"display:inline\">ration</span>. Des "
                  "<i>fr</i>ais d'en<b>voi</b> de 1,99 € vous seront "
                  "deman<span>dés</span>.</p>",
        "refund": "<p>Vous avez un rem<b>bour</b>sement de 312,40 € en "
                  "atten<span>te</span>. Confir<i>mez</i> votre "
                  "<b>R</b><b>I</b><b>B</b> sous 48 heu<span>res</span>.</p>",
        "password": "<p>Confirmez votre mot de <span>pas</span>se "
                    "<b>am</b><i>eli</i> sous 24h, sinon votre compte sera "
                    "sus<div style=\"display:inline\">pendu</div>.</p>",
    }
    for key, p in splits.items():
        sig = SIGNATURE[key]
        half = len(sig) // 2
        body = ("<p>Bonjour,</p>%s<p><a href=\"%s\">Accéder</a></p>"
                "<p><b>%s</b><span>%s</span></p>" % (p, LURES[key][3],
                                                    sig[:half], sig[half:]))
        o.phish("inline-split", key, message(
            "split" + key, html(html_doc(body)), "Information importante",
            "Service Client", sender()))
    for key in ("vitale", "refund", "urssaf"):
        text = LURES[key][2][0] + " " + LURES[key][2][1]
        body = ('<p>Bonjour,</p><p><span style="unicode-bidi:bidi-override;'
                'direction:rtl">%s</span></p><p><a href="%s">Accéder</a></p>'
                '<p><span style="unicode-bidi:bidi-override;direction:rtl">'
                '%s</span></p>' % (text[::-1], LURES[key][3],
                                   SIGNATURE[key][::-1]))
        o.phish("bidi-override", key, message(
            "bidi" + key, html(html_doc(body)), "Information importante",
            "Service Client", sender()))
    for key in ("vitale", "refund", "fconnect"):
        paras = LURES[key][2] + [SIGNATURE[key].replace("'", "\\'")]
        style = "".join('.c%d::before{content:"%s"}' % (i, p.replace('"', ""))
                        for i, p in enumerate(paras))
        body = ("<p>Bonjour,</p>" + "".join(
            '<p class="c%d"></p>' % i for i in range(len(paras) - 1)) +
            '<p><a href="%s">Accéder</a></p><p class="c%d"></p>'
            % (LURES[key][3], len(paras) - 1))
        o.phish("css-before", key, message(
            "before" + key, html(html_doc(body, style)),
            "Information importante", "Service Client", sender()))
    for key in ("vitale", "refund"):
        pad = "".join('<div style="display:none">Lettre d\'information '
                      'n°%d : actualités, conseils et rendez-vous du mois. '
                      '</div>' % i for i in range(6000))
        o.phish("hidden-padding", key + "-html", message(
            "pad" + key, html(html_doc(pad + lure_html(key))),
            NEUTRAL_SUBJECT, "Service Client", sender()))
    pad = ("Newsletter : nos conseils du mois pour rester en forme. " *
           5000) + "\n\n"
    o.phish("hidden-padding", "refund-plain-tail", message(
        "padplain", plain(pad + lure_text("refund")), NEUTRAL_SUBJECT,
        "Service Client", sender()))


def b64_unpadded(text):
    return base64.b64encode(text.encode()).decode().rstrip("=")


def gen_text_decoding(o):
    for key, subj, disp in (("vitale", "Votre carte Vitale expire : frais "
                             "d'envoi 1,99 €", "Assurance Maladie – ameli"),
                            ("refund", "Remboursement de 312,40 € en attente",
                             "Votre CPAM – Assurance Maladie"),
                            ("urssaf", "Mise en demeure : cotisations "
                             "impayées", "URSSAF – Recouvrement")):
        s = "=?utf-8?B?%s?=" % b64_unpadded(subj)
        d = "=?utf-8?B?%s?=" % b64_unpadded(disp)
        assert len(b64_unpadded(subj)) % 4 or len(b64_unpadded(disp)) % 4
        o.phish("b64-unpadded", key, message(
            "b64" + key, plain("Bonjour,\n\nMerci de régulariser votre "
                               "dossier ici :\n%s\n" % LURES[key][3]),
            s, d, sender(), raw_subject=True, raw_from=True))
    for key, label, enc in (("vitale", "unknown-8bit", "utf-8"),
                            ("refund", "unknown-8bit", "cp1252"),
                            ("urssaf", "x-mac-inconnu", "utf-8")):
        body = lure_text(key).encode(enc)
        o.phish("unknown-8bit", key + "-" + enc, message(
            "u8" + key, part("text/plain; charset=%s" % label, body, "8bit"),
            NEUTRAL_SUBJECT, "Service Client", sender()))
    honest = html_doc("<p>Bonjour,</p><p>Merci pour votre commande, elle "
                      "sera expédiée demain.</p><p>À bientôt.</p>")
    for key in ("refund", "vitale"):
        o.phish("alt-differ", key + "-plain-lure", message(
            "alt" + key, [plain(lure_text(key)), html(honest)],
            "Votre commande", "Service Client", sender(),
            multipart="alternative"))
    o.phish("alt-differ", "password-html-first", message(
        "altfirst", [html(html_doc(lure_html("password"))),
                     plain("Bonjour,\n\nMerci pour votre commande.\n")],
        "Votre commande", "Service Client", sender(), multipart="alternative"))


def gen_lookalike_letters(o):
    cases = {
        "cyrillic-capitals": "АМЕLI : votre carte VІТАLЕ arrive à expiration",
        "greek-capitals": "ΑΜΕLΙ : votre carte VΙΤΑLΕ arrive à expiration",
        "whole-word-cyrillic": "аmеlі : votre carte Vіtаlе arrive à "
                               "expiration",
        "latin-alpha": "ɑmeli : votre cɑrte Vitɑle ɑrrive à expirɑtion",
        "capital-i-for-l": "AMELI : votre carte VITAIE, compte ameIi, "
                           "Assurance MaIadie",
    }
    for name, first in cases.items():
        text = ("Bonjour,\n\n%s.\nDes frais d'envoi de 1,99 € vous seront "
                "demandés.\n\n%s\n" % (first, LURES["vitale"][3]))
        o.phish("lookalike-letters", name, message(
            "conf" + name, plain(text), first[:40], first.split(" :")[0],
            sender()))
    for brand in ("ameli", "franceconnect", "urssaf", "ipeca", "viamedis",
                  "almerys"):
        look = brand.replace("a", "а", 1) if "a" in brand else \
            brand.replace("e", "е", 1)
        host = look.encode("idna").decode() + ".fr"
        text = ("Bonjour,\n\nVotre espace personnel doit être vérifié sous "
                "48h.\n\nhttps://%s/connexion\n" % host)
        o.phish("lookalike-letters", "punycode-" + brand, message(
            "puny" + brand, plain(text), "Vérification de votre espace",
            "Service Client", sender()))


# --- issue 13 -------------------------------------------------------------
def gen_vocabulary(o):
    look = "assurance-maladie-remboursement.com"
    polite = {
        "attestation": "Votre attestation de droits est disponible dans "
                       "votre espace. Nous vous invitons à la consulter.",
        "beneficiaires": "Pensez à la mise à jour de vos bénéficiaires afin "
                         "que vos proches restent couverts.",
        "tiers-payant": "Votre tiers payant est suspendu. Nous vous "
                        "remercions de bien vouloir vérifier vos "
                        "informations.",
        "depassement": "Un remboursement de dépassement d'honoraires de "
                       "86,50 € a été validé en votre faveur.",
    }
    for name, text in polite.items():
        body = ("Madame, Monsieur,\n\n%s\n\nhttps://www.%s/espace\n\n"
                "Bien cordialement,\nL'Assurance Maladie\n" % (text, look))
        o.phish("polite", name, message(
            "pol" + name, plain(body), "Information sur votre dossier",
            "Assurance Maladie", "info@" + look))
    spellings = {
        "secu": "Sécu", "cpam-dotted": "C. P. A. M.",
        "glued": "AssuranceMaladie", "nbhyphen": "Assurance\u2011Maladie",
        "endash": "Assurance\u2013Maladie",
    }
    for name, brand in spellings.items():
        body = ("Bonjour,\n\nVotre remboursement de 312,40 € est en attente. "
                "Confirmez votre RIB sous 48h.\n\n%s\n\nL'équipe %s\n"
                % (LURES["refund"][3], brand))
        o.phish("brand-spelling", name, message(
            "sp" + name, plain(body), "%s : remboursement en attente" % brand,
            "%s" % brand, sender("contact")))
    dashed = ("assurance-maladie-remboursement.com", "mon-espace-sante-"
              "activation.com", "ameli-pro-connexion.net",
              "france-connect-securite.com", "urssaf-recouvrement.net")
    for dom in dashed:
        body = ("Bonjour,\n\nVotre dossier nécessite une vérification.\n\n"
                "https://www.%s/dossier\n\nCordialement\n" % dom)
        o.phish("dashed-domain", dom.split(".")[0], message(
            "dash" + dom, plain(body), "Votre dossier", "Service Client",
            "contact@" + dom))
    footer = ("\n--\nL'Assurance Maladie ne vous demandera jamais vos codes "
              "ou mots de passe par courriel. Ne communiquez jamais vos codes "
              "confidentiels. Attention aux tentatives d'hameçonnage.\n")
    for key in ("vitale", "refund", "mutuelle"):
        o.phish("pasted-footer", key, message(
            "foot" + key, plain(lure_text(key) + footer), LURES[key][0],
            LURES[key][1], sender()))
    english = {
        "refund": "You have a pending refund of EUR 312.40 from Assurance "
                  "Maladie. Please confirm your bank details within 48 hours "
                  "to receive it.",
        "card": "Your carte Vitale has expired. A shipping fee of EUR 1.99 "
                "is required to send your new health insurance card.",
        "password": "Unusual sign-in activity was detected on your ameli "
                    "account. Verify your password within 24 hours or your "
                    "account will be suspended.",
    }
    for name, text in english.items():
        o.phish("english", name, message(
            "en" + name, plain("Hello,\n\n%s\n\nhttps://secure-check.%s/"
                               "verify\n\nRegards,\nAssurance Maladie\n"
                               % (text, ATTACKER)),
            "Action required", "Assurance Maladie", sender()))
    callback = {
        "tiers-payant": "Votre tiers payant est suspendu. Appelez "
                        "immédiatement le 01 84 60 22 19 pour le réactiver.",
        "vitale": "Votre carte Vitale est bloquée. Contactez notre service "
                  "au 09 70 81 44 27 avant vendredi.",
        "urssaf": "Mise en demeure : cotisations impayées. Appelez le "
                  "01 76 42 18 90 pour éviter le recouvrement forcé.",
    }
    for name, text in callback.items():
        o.phish("callback", name, message(
            "cb" + name, plain("Bonjour,\n\n%s\n\nVotre CPAM de Paris\n"
                               % text),
            "Important : votre dossier", "CPAM de Paris", sender("cpam75")))
    nir = NIR13
    leaks = {
        "dob-words": "Vous êtes née le quinze juillet mille neuf cent "
                     "quatre-vingt-cinq.",
        "identifiant-adherent": "Identifiant adhérent : ADH-4471-2290-08.",
        "nir-key-apart": "Votre numéro de sécurité sociale %s %s %s %s %s %s "
                         "clé %s." % (nir[0], nir[1:3], nir[3:5], nir[5:7],
                                       nir[7:10], nir[10:], NIR_KEY),
        "cle-alone": "Numéro : %s - clé %s" % (nir, NIR_KEY),
    }
    # all of them at once and no signature: the leaked data is the only bait
    everything = " ".join(leaks[k] for k in ("dob-words",
                                             "identifiant-adherent",
                                             "nir-key-apart"))
    o.phish("leak-echo", "unsigned-all", message(
        "leakall", plain("Bonjour Claire Martin,\n\nPour votre sécurité, "
                         "nous confirmons vos informations : %s\n\nVotre "
                         "remboursement de 86,50 € est en attente.\n\n%s\n"
                         % (everything, "https://adherents.%s/verification"
                            % ATTACKER)),
        NEUTRAL_SUBJECT, "Service adhérents", sender("adherents")))
    for name, text in leaks.items():
        body = ("Bonjour Claire Martin,\n\nPour votre sécurité, nous "
                "confirmons vos informations : %s\n\nVotre remboursement de "
                "86,50 € est en attente de validation.\n\n%s\n\n%s\n"
                % (text, LURES["mutuelle"][3], SIGNATURE["mutuelle"]))
        o.phish("leak-echo", name, message(
            "leak" + name, plain(body), "Vos informations adhérent",
            "Service adhérents", sender("adherents")))


def qr_png(text):
    """A PNG of a QR code saying text: tests/tools/attachgen.py's, which
    needs Debian's python3-qrcode and python3-png."""
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                    "..", "tools"))
    import attachgen  # noqa: E402
    return attachgen.make_qr_png(text)


SCAN_INVITE = "Scannez ce code avec l'appareil photo de votre téléphone :"


def gen_qr(o):
    """The lure's only link in a QR code: inline (multipart/related, the
    image shown in the text) or as an attached image, the words around it
    neutral or the lure's own without its link."""
    for key in ("vitale", "refund", "password"):
        subject, display, paras, link = LURES[key]
        doc = html_doc("<p>Bonjour Claire Martin,</p>" +
                       "".join("<p>%s</p>" % p for p in paras) +
                       '<p>%s</p><p><img src="cid:code@rt" alt=""></p>'
                       "<p>Cordialement,<br>%s</p>"
                       % (SCAN_INVITE, SIGNATURE[key]))
        img = part("image/png", qr_png(link),
                   extra="Content-ID: <code@rt>\nContent-Disposition: inline\n")
        o.phish("qr-inline", key, message(
            "qri" + key, [html(doc), img], NEUTRAL_SUBJECT, "Service Client",
            sender(), multipart="related"))
    doc = html_doc("<p>Bonjour,</p><p>Votre attestation est disponible.</p>"
                   '<p>%s</p><p><img src="cid:code@rt" alt=""></p>'
                   "<p>Le service client</p>" % SCAN_INVITE)
    o.phish("qr-inline", "neutral-urssaf-lookalike", message(
        "qrineutral", [html(doc), part(
            "image/png", qr_png("https://urssaf-recouvrement-cotisant.com/"),
            extra="Content-ID: <code@rt>\nContent-Disposition: inline\n")],
        NEUTRAL_SUBJECT, "Service Client", sender(), multipart="related"))
    # nothing but an invitation to scan: the code's host imitates the brand
    for name, link in (("ameli-lookalike",
                        "https://ameli-remboursement-assure.com/espace"),
                       ("franceconnect-lookalike",
                        "https://franceconnect-identite-verif.com/login")):
        o.phish("qr-attached", name, message(
            "qra" + name, [neutral_body("Un document vous attend. Scannez le "
                                        "code joint pour y accéder."),
                           attachment("image/png", "code.png", qr_png(link))],
            NEUTRAL_SUBJECT, "Service Client", sender()))


# --- honest twins ----------------------------------------------------------
def gen_ham(o):
    def ham(technique, name, data, conf="shipped", recipient="-",
            state="active"):
        o.add("ham", technique, name, data, state, conf, recipient)

    news = html_doc(
        '<div class="preheader">Nos horaires d\'été et nos conseils '
        'soleil</div><h1>La lettre de la Pharmacie des Tilleuls</h1>'
        '<p>Nos horaires changent en juillet. Pensez à votre crème solaire '
        'et à votre carte Vitale lors de vos achats remboursés.</p>'
        '<p><a href="https://www.pharmacie-des-tilleuls.example/ete">'
        'Lire la lettre</a></p>',
        ".preheader{display:none!important;font-size:0;color:#fff}")
    ham("css", "newsletter-preheader", message(
        "hamnews", html(news), "La lettre de juillet", "Pharmacie des Tilleuls",
        "lettre@pharmacie-des-tilleuls.example"))
    warn = ("Bonjour à toutes et à tous,\n\nDes salariés reçoivent de faux "
            "messages au nom de l'Assurance Maladie : « Votre carte Vitale "
            "2026 est prête, des frais d'envoi de 2,49 € sont à régler » ou "
            "« confirmez votre RIB pour un remboursement en attente ». Ne "
            "cliquez pas et transférez-les à securite@acme-industries.fr.\n\n"
            "Plus d'informations : https://intranet.acme-industries.fr/"
            "securite\n\nLa DRH\n")
    ham("local", "hr-breach-warning", message(
        "hamhr", plain(warn), "Alerte : faux messages Assurance Maladie",
        "Direction des Ressources Humaines", "drh@acme-industries.fr",
        to="tous-salaries@acme-industries.fr"), conf="site")
    ham("mention", "colleague-ameli-link", message(
        "hamcol", plain("Salut Paul,\n\nPour ton arrêt, tu peux le déclarer "
                        "directement sur ameli : https://www.ameli.fr/"
                        "assure/remboursements\n\nBon rétablissement,\n"
                        "Sophie\n"),
        "Re: arrêt maladie", "Sophie Lambert", "sophie.lambert@boite-perso.fr",
        to="Paul Girard <paul.girard@courriel-demo.fr>"))
    invoice = make_pdf(["Cabinet de kinésithérapie Dufresne",
                        "Facture n° 2026-0311", "Séances : 6 x 16,13 €",
                        "Total : 96,78 €, réglé par carte bancaire.",
                        "Feuille de soins télétransmise à votre CPAM."],
                       "https://www.kine-dufresne.example/")
    ham("attachment", "pdf-invoice", message(
        "hampdf", [plain("Bonjour,\n\nVoici votre facture.\n\nCabinet "
                         "Dufresne\n"),
                   attachment("application/pdf", "facture-2026-0311.pdf",
                              invoice)],
        "Votre facture", "Cabinet Dufresne", "accueil@kine-dufresne.example"))
    ics = make_ics("Réunion d'information mutuelle d'entreprise",
                   "Présentation des garanties de la mutuelle et du tiers "
                   "payant par le CSE.", None, "Salle Lumière, bâtiment B")
    ham("attachment", "ics-mutuelle-meeting", message(
        "hamics", [plain("Bonjour,\n\nVous êtes invités à la réunion "
                         "mutuelle jeudi.\n\nLe CSE\n"),
                   part("text/calendar; method=REQUEST; charset=utf-8", ics,
                        extra='Content-Disposition: attachment; '
                        'filename="invite.ics"\n')],
        "Invitation : réunion mutuelle", "CSE Acme", "cse@acme-industries.fr",
        to="tous-salaries@acme-industries.fr"), conf="site")
    hrqr = html_doc("<p>Bonjour à toutes et à tous,</p><p>Pour suivre vos "
                    "remboursements et télécharger votre attestation de "
                    "droits, le plus simple est votre compte ameli. Scannez "
                    "ce code pour ouvrir la page d'aide de l'Assurance "
                    "Maladie :</p><p><img src=\"cid:aide@rt\" alt=\"\"></p>"
                    "<p>La DRH</p>")
    ham("qr", "hr-qr-to-ameli", message(
        "hamqr", [html(hrqr), part("image/png", qr_png(
            "https://www.ameli.fr/assure/droits-demarches"),
            extra="Content-ID: <aide@rt>\nContent-Disposition: inline\n")],
        "Vos remboursements en un coup d'oeil", "Direction des Ressources Humaines",
        "drh@acme-industries.fr", multipart="related",
        to="tous-salaries@acme-industries.fr"), conf="site")
    ham("qr", "optician-qr-booking", message(
        "hamqr2", [plain("Bonjour,\n\nVos nouvelles lunettes sont prêtes. "
                         "Votre mutuelle a réglé sa part en tiers payant. "
                         "Pour choisir un créneau de retrait, scannez le code "
                         "joint.\n\nOptique du Marché\n"),
                   attachment("image/png", "rendez-vous.png", qr_png(
                       "https://www.optique-du-marche.example/rdv"))],
        "Vos lunettes sont prêtes", "Optique du Marché",
        "contact@optique-du-marche.example"))
    ham("script", "russian-text", message(
        "hamru", plain("Здравствуйте, Мария!\n\nСпасибо за письмо. Встреча "
                       "в четверг в 10 часов, адрес: улица Ленина, 12.\n\n"
                       "С уважением,\nАлексей\n"),
        "Встреча в четверг", "Алексей Петров", "a.petrov@pochta-demo.example"))
    ham("script", "greek-text", message(
        "hamel", plain("Καλημέρα Ελένη,\n\nΣας στέλνω το πρόγραμμα της "
                       "συνάντησης για την Πέμπτη.\n\nΜε εκτίμηση,\n"
                       "Γιώργος\n"),
        "Πρόγραμμα συνάντησης", "Γιώργος Παπαδόπουλος",
        "g.papadopoulos@mail-demo.example"))
    fwd = ("Bonjour,\n\nJ'ai reçu ce message bizarre, je vous le "
           "transfère.\n\nThomas\n\n---------- Message transféré ---------\n"
           "De : Assurance Maladie <notification@%s>\nObjet : %s\n\n%s"
           % (ATTACKER, LURES["vitale"][0], lure_text("vitale")))
    ham("report", "forwarded-to-report-mailbox", message(
        "hamrep", plain(fwd), "TR: " + LURES["vitale"][0], "Thomas Roux",
        "thomas.roux@acme-industries.fr",
        to="phishing@acme-industries.fr"), conf="site",
        recipient="phishing@acme-industries.fr")
    ham("mention", "outside-newsletter-quote", message(
        "hamquote", plain("Bonjour,\n\nDans notre lettre de mars : « L'Assurance"
                          " Maladie vous informe » du lancement de sa campagne"
                          " de dépistage. Notre article complet :\n"
                          "https://www.sante-au-quotidien.example/depistage\n\n"
                          "La rédaction\n"),
        "Notre lettre de mars", "Santé au quotidien",
        "lettre@sante-au-quotidien.example", auth="none"))


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: gen.py OUTDIR")
    o = Out(sys.argv[1])
    for gen in (gen_controls, gen_attachments, gen_qr, gen_links, gen_css,
                gen_text_decoding, gen_lookalike_letters, gen_vocabulary,
                gen_ham):
        gen(o)
    with open(os.path.join(o.root, "MANIFEST.tsv"), "w") as f:
        for row in o.rows:
            f.write("\t".join(row) + "\n")


if __name__ == "__main__":
    main()
