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


def conf_for(rules_path):
    with open(SHIPPED_CONF) as f:
        text = f.read()
    subs = ((r'^rules\s*=.*$', 'rules = [ "%s" ];' % rules_path),
            (r'^user\s*=.*$', 'user = "";'),
            (r'^allow_root\s*=.*$', 'allow_root = true;'),
            (r'^socket_mode\s*=.*$', 'socket_mode = "0666";'),
            (r'^stats_listen\s*=.*$', 'stats_listen = "";'))
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
