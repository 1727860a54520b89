"""attachcorpus.py - the attachment lures and their honest twins of tests/corpus/.

Used by `attachgen.py corpus DIR`: writes DIR/phish/*.eml and DIR/legit/*.eml.
In every lure the message itself is bland; the lure is only inside the
attachment (a PDF, a ZIP'd HTML page, a calendar invitation, an SVG
image, the script of an HTML page), which is what vigie could not see
before decode/attach/. People, domains and numbers are invented.
"""
import base64
import os
import subprocess

from attachgen import (eml, make_ics, make_pdf, make_qr_png, make_tar,
                       make_zip, png_to_pgm, write)

BLAND = ("Bonjour,\n\nVeuillez trouver ci-joint le document concernant votre "
         "dossier.\n\nCordialement,\nLe service client")


def svg(text_lines, link=None, script=None):
    out = ('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" '
           'xmlns:xlink="http://www.w3.org/1999/xlink" width="600" height="400">\n'
           '<rect width="600" height="400" fill="#ffffff"/>\n')
    y = 40
    for line in text_lines:
        out += '<text x="20" y="%d" font-size="16">%s</text>\n' % (y, line)
        y += 24
    if link:
        out += ('<a xlink:href="%s"><rect x="20" y="%d" width="200" height="30" '
                'fill="#0c419a"/><text x="30" y="%d" fill="#fff">Continuer</text></a>\n'
                % (link, y, y + 20))
    if script:
        out += "<script><![CDATA[\n%s\n]]></script>\n" % script
    return (out + "</svg>\n").encode()


def qr_jpeg(text):
    """a JPEG of a QR code (cjpeg from libjpeg-turbo-progs)"""
    return subprocess.run(["cjpeg", "-quality", "85"], input=png_to_pgm(
        make_qr_png(text)), check=True, stdout=subprocess.PIPE).stdout


def related(sender, subject, html, image, ctype, msgid):
    """an HTML message showing one inline image (cid:code) in multipart/related"""
    msg = eml(sender, subject, "x", [], msgid=msgid).decode()
    head = msg[:msg.index("Content-Type: multipart/mixed")]
    b = "----=_vigie_rel_%s" % msgid
    enc = base64.b64encode(image).decode()
    enc = "\n".join(enc[i:i + 76] for i in range(0, len(enc), 76))
    return (head + 'Content-Type: multipart/related; boundary="%s"; type="text/html"\n\n'
            "--%s\nContent-Type: text/html; charset=utf-8\n"
            "Content-Transfer-Encoding: 8bit\n\n%s\n"
            "--%s\nContent-Type: %s\nContent-ID: <code>\n"
            "Content-Disposition: inline\nContent-Transfer-Encoding: base64\n\n%s\n"
            "--%s--\n" % (b, b, html, b, ctype, enc, b)).encode()


def phish():
    m = {}
    m["176-pdf-remboursement-attente.eml"] = eml(
        "Service Client <notification@suivi-dossiers-remb.example>",
        "Document concernant votre dossier", BLAND,
        [("Avis_de_paiement.pdf", "application/pdf", make_pdf([(
            ["Assurance Maladie", "Avis de remboursement",
             "Madame, Monsieur,",
             "Vous avez un remboursement de 312,40 euros en attente.",
             "Pour le recevoir, cliquez ici et saisissez le cryptogramme",
             "de votre carte bancaire sous 48 heures, faute de quoi",
             "votre dossier sera clos."],
            ["https://ameli-remboursement.suivi-dossier.example/avis"])]))],
        msgid="att087")
    m["177-pdf-vitale-frais-formulaire.eml"] = eml(
        "Espace Assure <ne-pas-repondre@envoi-courrier-fr.example>",
        "Votre courrier", BLAND,
        [("Courrier_2026.pdf", "application/pdf", make_pdf([(
            ["Votre nouvelle carte Vitale 2026 est prête à être expédiée.",
             "Merci de régler les frais d'envoi de 1,99 € avant le 30 mars,",
             "sans action de votre part votre carte sera bloquée.",
             "Remplissez le formulaire ci-dessous (Assurance Maladie)."],
            ["https://carte-vitale-2026.envoi-courrier-fr.example/frais"])],
            fields=[("numero_carte", "Numéro de carte bancaire"),
                    ("cvv", "Cryptogramme visuel")]))],
        msgid="att088")
    form = ('<!DOCTYPE html><html><head><meta charset="utf-8"><title>ameli</title></head>'
            '<body><h2>Assurance Maladie - Formulaire de remboursement</h2>'
            '<p>Vous avez un remboursement de 89,00 euros en attente.</p>'
            '<p>Merci de compléter ce formulaire sous 48h, faute de quoi votre '
            'dossier sera clôturé.</p>'
            '<form action="https://collecte-remb.example/ameli/valider.php" method="post">'
            '<label>Numéro de sécurité sociale</label><input name="nir"><br>'
            '<label>Mot de passe ameli</label><input type="password" name="p"><br>'
            '<label>Numéro de carte bancaire</label><input name="cb"><br>'
            '<label>Cryptogramme</label><input name="cvv"><br>'
            '<button>Valider</button></form></body></html>')
    m["178-zip-html-formulaire-remboursement.eml"] = eml(
        "Gestion Dossiers <dossiers@gestion-remb-fr.example>",
        "Document concernant votre dossier", BLAND,
        [("Dossier_2026.zip", "application/zip", make_zip(
            [("Dossier_2026/Formulaire.html", form.encode())]))],
        msgid="att089")
    refresh = ('<html><head><meta http-equiv="refresh" content="0; '
               'url=https://vitale-commande.secure-fr.example/carte"></head><body>'
               '<p>Votre carte Vitale expire : commandez votre nouvelle carte Vitale.</p>'
               '<p>Des frais d\'expédition de 2,49 € sont à régler sous 48h.</p>'
               '<p>Assurance Maladie</p></body></html>')
    m["179-zip-html-refresh-vitale.eml"] = eml(
        "Courrier <courrier@envois-postaux.example>",
        "Votre document", BLAND.replace("le document", "les documents"),
        [("Documents.zip", "application/x-zip-compressed", make_zip(
            [("Documents/lisez-moi.txt", "Ouvrez la page jointe.".encode()),
             ("Documents/carte.html", refresh.encode())]))],
        msgid="att090")
    m["202-tgz-html-formulaire-vitale.eml"] = eml(
        "Service Documents <documents@archives-dossiers.example>",
        "Votre dossier", BLAND,
        [("Dossier_Vitale.tar.gz", "application/gzip", make_tar(
            [("Dossier_Vitale/Formulaire.html", form.encode())], gz=True))],
        msgid="att200")
    m["180-ics-regularisation-cpam.eml"] = eml(
        "Agenda <agenda@rdv-partage.example>",
        "Invitation: rendez-vous", "Bonjour,\n\nVous trouverez l'invitation ci-jointe.\n",
        [("invite.ics", "text/calendar; method=REQUEST", make_ics([{
            "ORGANIZER_CN": "Assurance Maladie",
            "SUMMARY": "CPAM : régularisation de votre dossier",
            "DESCRIPTION": ("Vous avez un remboursement de 212,70 euros en attente.\n"
                            "Cliquez ici pour saisir vos coordonnées bancaires "
                            "avant la clôture imminente de votre dossier."),
            "LOCATION": "En ligne",
            "URL": "https://cpam-regularisation.rdv-partage.example/dossier"}]))],
        msgid="att091")
    # declared as a bare octet-stream: recognised by its content
    cal = make_ics([{
        "SUMMARY": "Carte Vitale : activation obligatoire",
        "DESCRIPTION": ("Votre carte Vitale expire. Commandez votre nouvelle carte "
                        "Vitale avant le 15 avril, faute de quoi vos droits seront "
                        "suspendus. Frais de dossier : 1,49 €. Assurance Maladie."),
        "URL": "https://activation-vitale.agenda-fr.example/"}])
    m["181-ics-octet-stream-vitale-activation.eml"] = eml(
        "Rappel <rappel@agenda-fr.example>", "Rappel", "Rappel de votre rendez-vous.",
        [("rendez-vous", "application/octet-stream", cal)],
        msgid="att092")
    m["182-svg-espace-ameli.eml"] = eml(
        "Messagerie <info@notif-messagerie.example>",
        "Nouveau message", "Bonjour,\n\nVous avez reçu une image.\n",
        [("message.svg", "image/svg+xml", svg(
            ["Assurance Maladie", "Votre compte ameli sera suspendu.",
             "Confirmez votre identité et votre mot de passe sous 24h."],
            link="https://ameli-securite.notif-messagerie.example/login"))],
        msgid="att093")
    m["183-svg-script-urssaf.eml"] = eml(
        "Notification <alerte@avis-cotisations.example>",
        "Avis", "Bonjour,\n\nVeuillez consulter l'avis joint.\n",
        [("avis.svg", "image/svg+xml", svg(
            ["URSSAF - Avis de remboursement",
             "Un trop-perçu en votre faveur de 418,00 euros est en attente.",
             "Renseignez votre IBAN pour le recevoir."],
            script='window.location.href = "https://urssaf-remboursement.avis-cotisations.example/iban";'))],
        msgid="att094")
    m["184-qr-png-vitale-userinfo-ip.eml"] = eml(
        "Service <info@notif-envoi.example>", "Information",
        "Bonjour,\n\nVotre carte Vitale expire bientôt. Pour commander votre "
        "nouvelle carte Vitale, scannez le code joint avec votre téléphone sous "
        "48 heures.\n\nAssurance Maladie",
        [("code.png", "image/png", make_qr_png("http://ameli.fr@198.51.100.7/vitale"))],
        msgid="att095")
    m["185-qr-inline-jpeg-espace-ameli.eml"] = related(
        "Espace Assure <contact@lettre-info-assures.example>", "Votre attestation",
        "<html><body><p>Bonjour,</p><p>Votre attestation de droits Assurance Maladie "
        "est prête. Pour la télécharger, scannez ce code avec votre téléphone "
        "avant le 20 mai, faute de quoi votre dossier sera clôturé.</p>"
        "<p><img src=\"cid:code\" alt=\"code\"></p></body></html>",
        qr_jpeg("http://www.ameli.fr:443@203.0.113.45/attestation"), "image/jpeg",
        "att096")
    return m


def legit():
    m = {}
    m["155-pdf-facture-kinesitherapie.eml"] = eml(
        "Cabinet de Kinesitherapie des Lilas <secretariat@kine-des-lilas.example>",
        "Votre facture de mars",
        "Bonjour Madame Martin,\n\nVous trouverez ci-joint la facture de vos séances "
        "de mars, à transmettre à votre mutuelle si besoin.\n\nBien cordialement,\n"
        "Le secrétariat",
        [("Facture_2026-0312.pdf", "application/pdf", make_pdf([(
            ["Cabinet de Kinésithérapie des Lilas - 12 rue des Lilas, 69003 Lyon",
             "Facture n° 2026-0312 du 31 mars 2026",
             "Patiente : Claire Martin",
             "4 séances de rééducation (AMK 7,5) : 4 x 16,13 € = 64,52 €",
             "Part Assurance Maladie (60 %) : 38,71 € - tiers payant appliqué",
             "Reste à charge : 25,81 €, réglé par carte le 31/03/2026.",
             "Mentions : TVA non applicable, art. 261-4-1° du CGI."],
            ["https://www.kine-des-lilas.example/contact"])]))],
        msgid="att055")
    m["156-ics-invitation-reunion-mutuelle.eml"] = eml(
        "Service RH <rh@menuiserie-durand.example>",
        "Invitation : présentation de la mutuelle d'entreprise",
        "Bonjour à tous,\n\nVous êtes invités à la présentation de la nouvelle "
        "mutuelle d'entreprise. L'invitation est jointe.\n\nLe service RH",
        [("invitation.ics", "text/calendar; method=REQUEST", make_ics([{
            "ORGANIZER_CN": "Service RH",
            "SUMMARY": "Présentation de la mutuelle d'entreprise",
            "DESCRIPTION": ("Présentation des garanties santé 2026 par notre "
                            "courtier. Pensez à apporter votre carte Vitale "
                            "et une attestation de droits pour l'affiliation."),
            "LOCATION": "Salle de réunion, bâtiment B",
            "URL": "https://intranet.menuiserie-durand.example/rh/mutuelle"}]))],
        msgid="att056")
    m["157-zip-programme-sortie-club.eml"] = eml(
        "Club de Randonnee <bureau@rando-monts-du-lyonnais.example>",
        "Programme de la sortie du 12 avril",
        "Bonjour,\n\nLe programme et le plan d'accès sont dans l'archive jointe.\n"
        "Pensez à votre carte Vitale et à votre attestation de mutuelle en cas "
        "de pépin.\n\nLe bureau",
        [("sortie-12-avril.zip", "application/zip", make_zip(
            [("sortie/programme.html", (
                "<html><body><h1>Sortie du 12 avril</h1><p>Départ 8h30 parking "
                "de la mairie, 14 km, 600 m de dénivelé.</p><p>Inscriptions : "
                "<a href=\"https://www.rando-monts-du-lyonnais.example/inscription\">"
                "formulaire du club</a></p></body></html>").encode()),
             ("sortie/acces.txt", "Parking de la mairie, covoiturage possible.".encode())]))],
        msgid="att057")
    m["158-qr-pharmacie-rendez-vous.eml"] = related(
        "Pharmacie des Lilas <contact@pharmacie-des-lilas.example>",
        "Vaccination en pharmacie",
        "<html><body><p>Bonjour,</p><p>La campagne de vaccination contre la grippe "
        "commence. Prenez rendez-vous en scannant ce code ou sur notre site. "
        "Pensez à votre carte Vitale.</p><p><img src=\"cid:code\" alt=\"QR\"></p>"
        "<p>Pharmacie des Lilas, 3 place du Marché</p></body></html>",
        qr_jpeg("https://www.pharmacie-des-lilas.example/rendez-vous"), "image/jpeg",
        "att058")
    m["176-tgz-formulaires-remboursement-entreprise.eml"] = eml(
        "Service RH <rh@ateliers-garnier.example>",
        "Formulaires de remboursement scannés",
        "Bonjour,\n\nComme convenu, voici l'archive des formulaires de "
        "remboursement scannés du trimestre.\n\nLe service RH\nAteliers Garnier",
        [("Formulaires_T1_2026.tar.gz", "application/gzip", make_tar(
            [("Formulaires_T1_2026/LISEZMOI.txt", (
                "Formulaires scannés du 1er trimestre 2026 (service RH).\n"
                "Les feuilles de soins papier sont à envoyer à votre CPAM ; "
                "le suivi des remboursements se fait sur ameli.fr, "
                "dans votre compte.\n").encode()),
             ("Formulaires_T1_2026/sommaire.txt",
              "janvier.pdf, fevrier.pdf, mars.pdf : notes de frais validées.\n".encode())],
            gz=True))],
        msgid="att176")
    return m


def qr_pdf_phish():
    """lures whose only link is a QR code drawn on a PDF page (issue 12)"""
    m = {}
    m["200-pdf-qr-ameli-page1.eml"] = eml(
        "Service Documents <documents@envoi-courrier-pro.example>",
        "Votre courrier",
        BLAND,
        [("Courrier_Vitale.pdf", "application/pdf", make_pdf([(
            ["Votre espace assure",
             "Un document de votre caisse vous attend.",
             "Scannez ce code avec votre telephone pour le consulter."],
            [], "https://espace-ameli-documents.example/consulter")]))],
        msgid="att200")
    m["201-pdf-qr-ameli-page2.eml"] = eml(
        "Service Documents <documents@envoi-courrier-pro.example>",
        "Document a signer",
        BLAND,
        [("Dossier.pdf", "application/pdf", make_pdf([
            (["Dossier de remboursement", "Page 1 sur 2"], []),
            (["ameli - remboursement en attente de 243,50 EUR",
              "Scannez le code pour confirmer vos coordonnees bancaires."],
             [], "http://ameli.fr@198.51.100.23/remboursement")]))],
        msgid="att201")
    m["212-pdf-qr-image-ameli-page3.eml"] = eml(
        "Service Documents <documents@envoi-courrier-pro.example>",
        "Votre releve",
        BLAND,
        [("Releve_2026.pdf", "application/pdf", make_pdf([
            (["Releve de situation", "Page 1 sur 3"], []),
            (["Conditions generales", "Page 2 sur 3"], []),
            (["ameli - remboursement en attente de 187,30 EUR",
              "Scannez le code pour confirmer vos coordonnees bancaires.",
              "Page 3 sur 3"],
             [], "http://ameli.fr@198.51.100.61/remboursement")], qr_as_image=True))],
        msgid="att212")
    m["213-pdf-qr-image-vitale-page5.eml"] = eml(
        "Service Courrier <courrier@envoi-courrier-pro.example>",
        "Votre courrier",
        BLAND,
        [("Courrier.pdf", "application/pdf", make_pdf(
            [(["Courrier d'information", "Page %d sur 5" % n], []) for n in range(1, 5)] +
            [(["Votre espace assure",
               "Un document de votre caisse vous attend.",
               "Scannez ce code avec votre telephone pour le consulter.",
               "Page 5 sur 5"],
              [], "https://espace-ameli-documents.example/carte-vitale")],
            qr_as_image=True))],
        msgid="att213")
    return m


def qr_pdf_legit():
    """an honest PDF with a QR code to its sender's own site"""
    return {"166-pdf-qr-facture-pharmacie.eml": eml(
        "Pharmacie des Lilas <contact@pharmacie-des-lilas.example>",
        "Votre facture",
        "Bonjour,\n\nVotre facture est jointe. Le code permet de la retrouver "
        "sur notre site.\n\nPharmacie des Lilas",
        [("Facture_pharmacie.pdf", "application/pdf", make_pdf([(
            ["Pharmacie des Lilas - Facture 2026-0412",
             "Part Assurance Maladie : 12,40 EUR. Reste a charge : 3,10 EUR.",
             "Carte Vitale lue le 10/03/2026. Regle par carte bancaire."],
            [], "https://www.pharmacie-des-lilas.example/factures/2026-0412")]))],
        msgid="att166"),
        "173-pdf-lettre-mutuelle-qr-ameli-page3.eml": eml(
        "Mutuelle des Tisserands <lettre@mutuelle-des-tisserands.example>",
        "La lettre de votre mutuelle - mars 2026",
        "Bonjour,\n\nVotre lettre d'information trimestrielle est jointe.\n\n"
        "Mutuelle des Tisserands",
        [("Lettre_mars_2026.pdf", "application/pdf", make_pdf([
            (["Mutuelle des Tisserands - La lettre, mars 2026",
              "Edito : une annee de nouvelles garanties pour nos adherents.",
              "Optique et dentaire : ce qui change au 1er avril."], []),
            (["Prevention : la campagne de vaccination de printemps.",
              "Nos agences : horaires d'ouverture et permanences."], []),
            (["Vos remboursements Assurance Maladie",
              "Suivez la part obligatoire de vos soins sur votre compte ameli.",
              "Scannez le code pour ouvrir le site ameli.fr."],
             [], "https://www.ameli.fr/assure/remboursements")], qr_as_image=True))],
        msgid="att173")}


def corpus(d):
    for sub, msgs in (("phish", {**phish(), **qr_pdf_phish()}),
                      ("legit", {**legit(), **qr_pdf_legit()})):
        os.makedirs(os.path.join(d, sub), exist_ok=True)
        for name, data in msgs.items():
            write(os.path.join(d, sub, name), data)
