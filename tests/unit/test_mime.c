/*
 * test_mime.c - mime.c and its helpers (rfc2047.c, charset.c,
 * mimebound.c): header decoding, addresses, transfer encodings,
 * charsets, MIME structure, attachments and the limits.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "charset.h"
#include "domain.h"
#include "mime.h"
#include "msgview.h"
#include "testutil.h"

#define HDR	"From: Service <service@example.com>\nTo: client@example.org\n"
#define MP(b)	"MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"" b "\"\n\n"

struct mime_case {
	const char *name;
	const char *raw;
	const char *subject;	/* exact, NULL: not checked */
	const char *text_has;	/* substring of the text, NULL: not checked */
	const char *text_not;	/* must not occur in the text */
	unsigned anom;		/* anomalies that must be set */
	unsigned no_anom;	/* anomalies that must not be set */
};

static const struct mime_case mime_cases[] = {
	/* found by the differential test against Python's email package */
	{ "text/plain with a file name is shown",
	    "From: a@b.example\nSubject: s\nContent-Type: text/plain; "
	    "charset=utf-8; name=\"note\"\n\ncarte vitale\n",
	    NULL, "carte vitale", NULL, 0, 0 },
	{ "an invalid Content-Type is read as text/plain (RFC 2045 5.2)",
	    "From: a@b.example\nSubject: s\nContent-Type: text; "
	    "charset=us-ascii\n\ncarte vitale\n",
	    NULL, "carte vitale", NULL, 0, 0 },
	/* an open comment in an address: GMime would leak (ASan checks) */
	{ "unterminated comment after a domain literal in From",
	    "From: a@[1.2](\nTo: b@c.example (x\nSubject: s\n\ncorps\n",
	    "s", "corps", NULL, 0, 0 },
	{ "rfc2047 B and Q, adjacent words joined",
	    HDR "Subject: =?UTF-8?B?UmVtYm91cnNlbWVudCBkZSB2b3M=?= "
	    "=?ISO-8859-1?Q?_frais_m=E9dicaux?=\n\n.\n",
	    "Remboursement de vos frais médicaux", NULL, NULL, 0,
	    MV_ANOM_BAD_ENCODED_WORD | MV_ANOM_BAD_CHARSET },
	{ "a UTF-8 character split across two encoded words",
	    HDR "Subject: =?utf-8?q?r=C3?=\n =?utf-8?q?=A9sili=C3=A9?= fin\n\n.\n",
	    "résilié fin", NULL, NULL, 0, MV_ANOM_BAD_CHARSET },
	{ "encoded word glued to text, lower-case encoding",
	    HDR "Subject: Votre=?utf-8?b?IGNvbXB0ZQ==?=bloqu=E9\n\n.\n",
	    "Votre comptebloqu=E9", NULL, NULL, 0, 0 },
	{ "malformed encoded words",
	    HDR "Subject: =?utf-8?X?abc?= et =?utf-8?q?non ferm\n\n.\n",
	    NULL, NULL, NULL, MV_ANOM_BAD_ENCODED_WORD, 0 },
	{ "CR LF NUL smuggled through encoded words",
	    "From: =?utf-8?q?Ameli=0D=0ABcc:_x@example.net?= <a@example.com>\n"
	    "Subject: =?utf-8?q?avant=00apr=C3=A8s=0Dfin?=\n\n.\n",
	    "avantaprèsfin", NULL, NULL, MV_ANOM_CTRL_IN_HEADER, 0 },
	{ "folded subject",
	    HDR "Subject: une ligne\n\tpliee\n  deux fois\n\n.\n",
	    "une ligne pliee  deux fois", NULL, NULL, 0, 0 },
	{ "unknown charset in a header",
	    HDR "Subject: =?x-martien?q?caf=E9?=\n\n.\n",
	    "café", NULL, NULL, MV_ANOM_BAD_CHARSET, 0 },
	{ "8-bit header, not UTF-8",
	    HDR "Subject: caf\xE9\n\n.\n", "café", NULL, NULL, 0, 0 },
	{ "no From",
	    "To: x@example.com\nSubject: s\n\nbody\n", "s", "body", NULL,
	    MV_ANOM_NO_FROM, MV_ANOM_MULTIPLE_FROM_FIELDS },
	{ "two From fields",
	    HDR "From: other@example.net\nSubject: s\n\nbody\n", NULL, NULL,
	    NULL, MV_ANOM_MULTIPLE_FROM_FIELDS,
	    MV_ANOM_NO_FROM | MV_ANOM_MULTIPLE_FROM_ADDRS },
	{ "base64 with garbage, CRLF line ends",
	    HDR "Content-Type: text/plain; charset=utf-8\r\n"
	    "Content-Transfer-Encoding: base64\r\n\r\n"
	    "Vm90cmUg!!Y29tcHRl\r\nIGFtZWxp*IGVzdCBibG9xdcOp\r\n",
	    NULL, "Votre compte ameli est bloqué", "\r", 0, 0 },
	{ "quoted-printable soft breaks",
	    HDR "Content-Type: text/plain; charset=iso-8859-1\n"
	    "Content-Transfer-Encoding: quoted-printable\n\n"
	    "Mettez =E0 jour votre carte Vit=\nale ici=3A http://ex=\n"
	    "ample.test/v\n",
	    NULL, "Mettez à jour votre carte Vitale ici: http://example.test/v",
	    NULL, 0, MV_ANOM_BAD_CHARSET },
	{ "UTF-7",
	    HDR "Content-Type: text/plain; charset=utf-7\n\n"
	    "S+AOk-curit+AOk- sociale\n",
	    NULL, "Sécurité sociale", NULL, 0, MV_ANOM_BAD_CHARSET },
	{ "UTF-16 with BOM, base64",
	    HDR "Content-Type: text/plain; charset=utf-16\n"
	    "Content-Transfer-Encoding: base64\n\n"
	    "//5SAGUAbQBiAG8AdQByAHMAZQBtAGUAbgB0AA==\n",
	    NULL, "Remboursement", NULL, 0, MV_ANOM_BAD_CHARSET },
	{ "ISO-2022-JP",
	    HDR "Content-Type: text/plain; charset=ISO-2022-JP\n\n"
	    "\x1b$B$3$s$K$A$O\x1b(B ok\n",
	    NULL, "こんにちは ok", NULL, 0, MV_ANOM_BAD_CHARSET },
	{ "windows-1252 specials",
	    HDR "Content-Type: text/plain; charset=windows-1252\n\n"
	    "\x93" "Cher client\x94 \x80 100\n",
	    NULL, "“Cher client” € 100", NULL, 0, MV_ANOM_BAD_CHARSET },
	{ "unknown body charset",
	    HDR "Content-Type: text/plain; charset=\"x-inconnu\"\n\n"
	    "caf\xE9\n",
	    NULL, "café", NULL, MV_ANOM_BAD_CHARSET, 0 },
	{ "invalid UTF-8 in a declared UTF-8 body",
	    HDR "Content-Type: text/plain; charset=utf-8\n\n"
	    "ok \xC3\x28 \xFF fin\n",
	    NULL, "ok \xEF\xBF\xBD( \xEF\xBF\xBD fin", NULL,
	    MV_ANOM_BAD_CHARSET, 0 },
	{ "no charset, 8-bit, not UTF-8: windows-1252",
	    HDR "\nd\xE9j\xE0 pay\xE9\n",
	    NULL, "déjà payé", NULL, 0, MV_ANOM_BAD_CHARSET },
	{ "no charset, valid UTF-8 kept",
	    HDR "\nd\xC3\xA9j\xC3\xA0\n", NULL, "déjà", NULL, 0,
	    MV_ANOM_BAD_CHARSET },
	{ "NUL bytes in a body are dropped",
	    HDR "Content-Type: text/plain; charset=utf-8\n"
	    "Content-Transfer-Encoding: base64\n\nYQBi\n",
	    NULL, "ab", NULL, 0, 0 },
	{ "multipart/alternative shows the HTML",
	    HDR "Content-Type: multipart/alternative; boundary=ALT\n\n"
	    "--ALT\nContent-Type: text/plain\n\nTEXTE BRUT\n"
	    "--ALT\nContent-Type: text/html\n\n<p>Version HTML</p>\n--ALT--\n",
	    NULL, "Version HTML", "TEXTE BRUT", 0, MV_ANOM_BAD_BOUNDARY },
	{ "nested message/rfc822",
	    HDR MP("M") "--M\nContent-Type: text/plain\n\nVoir ci-joint.\n"
	    "--M\nContent-Type: message/rfc822\n\n"
	    "From: Assurance Maladie <contact@ameli.example>\n"
	    "Subject: =?utf-8?q?Votre_dossier_n=C2=B0_123?=\n\n"
	    "Texte du message joint.\n--M--\n",
	    NULL, "Votre dossier n° 123\nAssurance Maladie <contact@ameli.example>"
	    "\nTexte du message joint.", NULL, 0, MV_ANOM_BAD_BOUNDARY },
	{ "attached .html decoded as HTML",
	    HDR MP("Z") "--Z\nContent-Type: application/octet-stream; "
	    "name=\"facture.html\"\nContent-Disposition: attachment; "
	    "filename=\"facture.html\"\nContent-Transfer-Encoding: base64\n\n"
	    "PGI+UGF5ZXogaWNpPC9iPg==\n--Z--\n",
	    NULL, "Payez ici", "<b>", 0, 0 },
	{ "attached .eml decoded as a message",
	    HDR MP("E") "--E\nContent-Type: application/octet-stream\n"
	    "Content-Disposition: attachment; filename=fwd.eml\n\n"
	    "From: x@example.net\nSubject: interne\n\ncorps interne\n--E--\n",
	    NULL, "interne\nx@example.net\ncorps interne", NULL, 0, 0 },
	{ "multipart without boundary",
	    HDR "Content-Type: multipart/mixed\n\n--x\n\nabc\n",
	    NULL, NULL, NULL, MV_ANOM_BAD_BOUNDARY, 0 },
	{ "unclosed multipart",
	    HDR MP("U") "--U\nContent-Type: text/plain\n\ncoupe\n",
	    NULL, "coupe", NULL, MV_ANOM_BAD_BOUNDARY, 0 },
	{ "two Content-Type fields",
	    HDR "Content-Type: text/plain\nContent-Type: text/html\n\n<b>x</b>\n",
	    NULL, NULL, NULL, MV_ANOM_DUP_CONTENT_TYPE, 0 },
	{ "no header/body separator",
	    "From: a@example.com\nSubject: seul", "seul", NULL, NULL, 0,
	    MV_ANOM_NO_FROM },
	{ "garbage, no header at all",
	    "\x01\x02 pas un en-tete\n\xff\xfe http://garbage.example/x\n",
	    NULL, "pas un en-tete", NULL, MV_ANOM_NO_FROM, 0 },
	{ "empty input", "", "", NULL, NULL, MV_ANOM_NO_FROM, 0 },
	{ "unknown-8bit text read as UTF-8 when valid",
	    HDR "Content-Type: text/plain; charset=unknown-8bit\n\n"
	    "S\xc3\xa9" "curit\xc3\xa9 sociale\n", NULL,
	    "S\xc3\xa9" "curit\xc3\xa9 sociale", "\xc3\x83", 0,
	    MV_ANOM_BAD_CHARSET },
	{ "unknown label: UTF-8 when valid, and an anomaly",
	    HDR "Content-Type: text/plain; charset=x-inconnu\n\n"
	    "frais d'exp\xc3\xa9" "dition\n", NULL, "exp\xc3\xa9" "dition",
	    "\xc3\x83", MV_ANOM_BAD_CHARSET, 0 },
	{ "unknown label: windows-1252 when not UTF-8",
	    HDR "Content-Type: text/plain; charset=x-inconnu\n\n"
	    "exp\xe9" "dition\n", NULL, "exp\xc3\xa9" "dition", NULL,
	    MV_ANOM_BAD_CHARSET, 0 },
	{ "text/plain alternative saying something else is read too",
	    HDR "Content-Type: multipart/alternative; boundary=A\n\n"
	    "--A\nContent-Type: text/plain\n\nvotre carte Vitale expire, "
	    "reglez les frais d'expedition maintenant\n"
	    "--A\nContent-Type: text/html\n\n<p>Merci pour votre commande "
	    "du mois dernier</p>\n--A--\n", NULL, "frais d'expedition", NULL,
	    0, 0 },
	{ "text/plain alternative saying the same is not repeated",
	    HDR "Content-Type: multipart/alternative; boundary=A\n\n"
	    "--A\nContent-Type: text/plain\n\nMerci pour votre commande "
	    "du mois dernier. Voir https://boutique.example/c\n"
	    "--A\nContent-Type: text/html\n\n<p>Merci pour votre commande "
	    "du <b>mois dernier</b>.</p>\n--A--\n", NULL, NULL, "Voir", 0,
	    0 },
};

static struct scan_limits test_limits;

/* valid_utf8_no_nul - the view's text invariant */
static int
valid_utf8_no_nul(const struct buf *b)
{
	size_t i = 0, n;

	while (i < b->len) {
		if (b->data[i] == '\0' || (n = charset_utf8_valid_len(
		    (const unsigned char *)b->data + i, b->len - i)) == 0)
			return 0;
		i += n;
	}
	return 1;
}

/* parse - a fresh view of raw */
static void
parse(struct msgview *mv, const struct scan_limits *l, const char *raw,
    size_t len)
{
	assert_int_equal(msgview_init(mv, l), 0);
	assert_int_equal(mime_parse(raw, len, mv), 0);
	assert_true(valid_utf8_no_nul(&mv->text));
}

/* test_mime_table - every case of mime_cases */
static void
test_mime_table(void **state)
{
	const struct mime_case *c;
	struct msgview mv;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(mime_cases) / sizeof(mime_cases[0]); i++) {
		c = &mime_cases[i];
		parse(&mv, &test_limits, c->raw, strlen(c->raw));
		if (c->subject != NULL && strcmp(mv.subject, c->subject) != 0)
			fail_msg("%s: got subject \"%s\", want \"%s\"", c->name,
			    mv.subject, c->subject);
		if (c->text_has != NULL && strstr(buf_cstr(&mv.text),
		    c->text_has) == NULL)
			fail_msg("%s: got text \"%s\", want it to hold \"%s\"",
			    c->name, buf_cstr(&mv.text), c->text_has);
		if (c->text_not != NULL && strstr(buf_cstr(&mv.text),
		    c->text_not) != NULL)
			fail_msg("%s: got text \"%s\", want no \"%s\"", c->name,
			    buf_cstr(&mv.text), c->text_not);
		if ((mv.anomalies & c->anom) != c->anom ||
		    (mv.anomalies & c->no_anom) != 0)
			fail_msg("%s: got anomalies %x, want %x set and %x clear",
			    c->name, mv.anomalies, c->anom, c->no_anom);
		msgview_free(&mv);
	}
}

/*
 * test_mime_unpadded_words - base64 encoded words without '=' padding
 * keep their last bytes in display names and file names (GMime drops
 * them), and a message without such words is parsed as it is
 */
static void
test_mime_unpadded_words(void **state)
{
	static const char raw[] =
	    "From: =?utf-8?B?U2VydmljZSBhbWVsaQ?= <a@expe.example>\n"
	    "Subject: =?utf-8?B?QXNzdXJhbmNlIE1hbGFkaWUgw6k?=\n"
	    MP("P") "--P\nContent-Type: application/pdf\n"
	    "Content-Disposition: attachment; "
	    "filename=\"=?utf-8?B?YXR0ZXN0YXRpb24gw6k?=.pdf\"\n\nx\n--P--\n";
	struct msgview mv;

	(void)state;
	parse(&mv, &test_limits, raw, strlen(raw));
	assert_int_equal(mv.nfrom, 1);
	assert_string_equal(mv.from[0].display, "Service ameli");
	assert_string_equal(mv.subject, "Assurance Maladie \xc3\xa9");
	assert_int_equal(mv.nattachments, 1);
	assert_string_equal(mv.attachments[0].name,
	    "attestation \xc3\xa9.pdf");
	msgview_free(&mv);
}

/* test_mime_headers - every header kept in order, decoded, without controls */
static void
test_mime_headers(void **state)
{
	static const char raw[] =
	    "Return-Path: <bounce@mailer.example>\n"
	    "Received: from x\n\tby y\n"
	    "From: Expediteur <x@example.com>, =?utf-8?q?=0D=0AAmeli?= <a@example.com>\n"
	    "Subject: =?utf-8?b?w6l0w6k=?=\n"
	    "Content-Type: text/plain\n"
	    "X-Mailer: test\n\nbody\n";
	static const char *const want[][2] = {
		{ "Return-Path", "<bounce@mailer.example>" },
		{ "Received", "from x by y" },
		{ "From", "Expediteur <x@example.com>, Ameli <a@example.com>" },
		{ "Subject", "été" },
		{ "Content-Type", "text/plain" },
		{ "X-Mailer", "test" },
	};
	struct msgview mv;
	size_t i;

	(void)state;
	parse(&mv, &test_limits, raw, strlen(raw));
	assert_int_equal(mv.nheaders, 6);
	for (i = 0; i < 6; i++)
		if (strcmp(mv.headers[i].name, want[i][0]) != 0 ||
		    strcmp(mv.headers[i].value, want[i][1]) != 0)
			fail_msg("header %zu: got %s: \"%s\", want %s: \"%s\"", i,
			    mv.headers[i].name, mv.headers[i].value, want[i][0],
			    want[i][1]);
	assert_string_equal(mv.return_path, "bounce@mailer.example");
	assert_int_equal(mv.nfrom, 2);
	assert_string_equal(mv.from[1].display, "Ameli");
	assert_true(mv.anomalies & MV_ANOM_CTRL_IN_HEADER);
	msgview_free(&mv);
}

/* test_mime_addresses - lists, groups, quoted names, comments, IDN domains */
static void
test_mime_addresses(void **state)
{
	static const char raw[] =
	    "From: Equipe Support: \"Dupont, Jean\" <jean@example.com>, "
	    "marie@EXAMPLE.org (Marie);\n"
	    "Reply-To: =?utf-8?q?Caisse_d=27assurance?= <remb@xn--caf-dma.example>\n"
	    "Sender: robot@mail.example.net\n"
	    "Return-Path: <>\n\nbody\n";
	struct msgview mv;

	(void)state;
	parse(&mv, &test_limits, raw, strlen(raw));
	assert_int_equal(mv.from_fields, 1);
	assert_int_equal(mv.nfrom, 2);
	assert_string_equal(mv.from[0].display, "Dupont, Jean");
	assert_string_equal(mv.from[0].addr, "jean@example.com");
	assert_string_equal(mv.from[0].domain, "example.com");
	assert_string_equal(mv.from[1].addr, "marie@EXAMPLE.org");
	assert_string_equal(mv.from[1].domain, "example.org");
	assert_true(mv.anomalies & MV_ANOM_MULTIPLE_FROM_ADDRS);
	assert_false(mv.anomalies & MV_ANOM_MULTIPLE_FROM_FIELDS);
	assert_int_equal(mv.nreply_to, 1);
	assert_string_equal(mv.reply_to[0].display, "Caisse d'assurance");
	assert_string_equal(mv.reply_to[0].domain, "xn--caf-dma.example");
	assert_string_equal(mv.return_path, "");
	msgview_free(&mv);
}

/* test_mime_attachments - names (RFC 2231, RFC 2047), declared and sniffed types */
static void
test_mime_attachments(void **state)
{
	static const char raw[] = HDR MP("A")
	    "--A\nContent-Type: text/plain\n\nVoir les pieces jointes.\n"
	    "--A\nContent-Type: APPLICATION/PDF\n"
	    "Content-Disposition: attachment;\n"
	    " filename*=UTF-8''relev%C3%A9%20de%20soins.pdf\n"
	    "Content-Transfer-Encoding: base64\n\n"
	    "JVBERi0xLjQKJcOkw7zDtsOfCjIgMCBvYmoKPDwvTGVuZ3RoIDMgMCBSPj4Kc3RyZWFtCg==\n"
	    "--A\nContent-Type: application/octet-stream;\n"
	    " name=\"=?utf-8?q?d=C3=A9claration.zip?=\"\n\nPK\x03\x04\n"
	    "--A\nContent-Type: image/png\nContent-Disposition: attachment;\n"
	    " filename*0=\"lo\"; filename*1=\"go.png\"\n\nnot really a png\n"
	    "--A--\n";
	struct msgview mv;

	(void)state;
	parse(&mv, &test_limits, raw, strlen(raw));
	assert_int_equal(mv.nattachments, 3);
	assert_string_equal(mv.attachments[0].name, "relevé de soins.pdf");
	assert_string_equal(mv.attachments[0].declared_type, "application/pdf");
	assert_string_equal(mv.attachments[0].sniffed_type, "application/pdf");
	assert_string_equal(mv.attachments[1].name, "déclaration.zip");
	assert_string_equal(mv.attachments[1].declared_type,
	    "application/octet-stream");
	assert_string_equal(mv.attachments[2].name, "logo.png");
	assert_string_equal(mv.attachments[2].sniffed_type, "text/plain");
	assert_string_equal(buf_cstr(&mv.text), "Voir les pieces jointes.");
	msgview_free(&mv);
}

/* test_mime_alternative_urls - links of the plain alternative are kept, its text is not */
static void
test_mime_alternative_urls(void **state)
{
	static const char raw[] = HDR
	    "Content-Type: multipart/alternative; boundary=ALT\n\n"
	    "--ALT\nContent-Type: text/plain\n\nhttp://plain.example/x\n"
	    "--ALT\nContent-Type: multipart/related; boundary=REL\n\n"
	    "--REL\nContent-Type: text/html\n\n"
	    "<a href=\"https://html.example/y\">ici</a>\n"
	    "--REL\nContent-Type: image/png\nContent-ID: <i1>\n\nx\n--REL--\n"
	    "--ALT--\n";
	struct msgview mv;

	(void)state;
	parse(&mv, &test_limits, raw, strlen(raw));
	assert_int_equal(mv.nurls, 2);
	assert_string_equal(mv.urls[0].host, "plain.example");
	assert_int_equal(mv.urls[0].source, MV_URL_TEXT);
	assert_string_equal(mv.urls[1].host, "html.example");
	assert_string_equal(mv.urls[1].text, "ici");
	assert_string_equal(buf_cstr(&mv.text), "ici");
	assert_int_equal(mv.parts, 5);
	msgview_free(&mv);
}

/* deep_message - n nested multiparts, then filler lines of "--a" */
static char *
deep_message(unsigned n, size_t filler, size_t *len)
{
	size_t cap = (size_t)n * 80 + filler + 256, off = 0;
	char *s = malloc(cap);
	unsigned i;

	assert_non_null(s);
	off += (size_t)snprintf(s + off, cap - off, HDR "Subject: deep\n");
	for (i = 0; i < n; i++)
		off += (size_t)snprintf(s + off, cap - off, "Content-Type: "
		    "multipart/mixed; boundary=\"a%u\"\n\n--a%u\n", i, i);
	off += (size_t)snprintf(s + off, cap - off,
	    "Content-Type: text/plain\n\nfond\n");
	while (off + 4 < cap - 64 && filler > 0) {
		memcpy(s + off, "--a\n", 4);
		off += 4;
		filler = filler > 4 ? filler - 4 : 0;
	}
	s[off] = '\0';
	*len = off;
	return s;
}

/* elapsed_ms - milliseconds since t0 */
static double
elapsed_ms(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1e3 +
	    (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

/* test_mime_deep_nesting - 10,000 nested multiparts: cut at the depth limit, fast */
static void
test_mime_deep_nesting(void **state)
{
	struct timespec t0;
	struct msgview mv;
	size_t len;
	char *raw;

	(void)state;
	raw = deep_message(10000, 0, &len);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	parse(&mv, &test_limits, raw, len);
	assert_true(elapsed_ms(&t0) < 1000);
	assert_true(mv.anomalies & MV_ANOM_LIMIT_MIME_DEPTH);
	assert_true(mv.parts <= test_limits.max_mime_depth + 1);
	assert_string_equal(mv.subject, "deep");
	msgview_free(&mv);
	free(raw);

	/* 1,000 levels then 7 MB of boundary-like lines (9 s in bare GMime) */
	raw = deep_message(1000, 7u << 20, &len);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	parse(&mv, &test_limits, raw, len);
	assert_true(elapsed_ms(&t0) < 1000);
	assert_true(mv.anomalies & MV_ANOM_LIMIT_MIME_DEPTH);
	msgview_free(&mv);
	free(raw);
}

/* test_mime_message_nesting - message/rfc822 inside message/rfc822, 3,000 deep */
static void
test_mime_message_nesting(void **state)
{
	size_t cap = 3000 * 64 + 128, off = 0;
	char *raw = malloc(cap);
	struct msgview mv;
	unsigned i;

	(void)state;
	assert_non_null(raw);
	off += (size_t)snprintf(raw + off, cap - off, HDR);
	for (i = 0; i < 3000; i++)
		off += (size_t)snprintf(raw + off, cap - off,
		    "Content-Type: message/rfc822\n\nSubject: s%u\n", i);
	off += (size_t)snprintf(raw + off, cap - off, "\nfond\n");
	parse(&mv, &test_limits, raw, off);
	assert_true(mv.anomalies & MV_ANOM_LIMIT_MIME_DEPTH);
	assert_non_null(strstr(buf_cstr(&mv.text), "s0\n"));
	msgview_free(&mv);
	free(raw);
}

/* test_mime_many_parts - 1.6 million empty parts (2 GB in bare GMime) */
static void
test_mime_many_parts(void **state)
{
	size_t n = 1600000, off = 0, len;
	char *raw = malloc(n * 5 + 256);
	struct timespec t0;
	struct msgview mv;
	size_t i;

	(void)state;
	assert_non_null(raw);
	off += (size_t)sprintf(raw, HDR MP("b"));
	for (i = 0; i < n; i++) {
		memcpy(raw + off, "--b\n\n", 5);
		off += 5;
	}
	len = off;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	parse(&mv, &test_limits, raw, len);
	assert_true(elapsed_ms(&t0) < 1000);
	assert_true(mv.anomalies & MV_ANOM_LIMIT_PARTS);
	assert_int_equal(mv.parts, test_limits.max_parts);
	msgview_free(&mv);
	free(raw);
}

/* test_mime_part_bytes - a part larger than max_part_bytes is cut and noted */
static void
test_mime_part_bytes(void **state)
{
	struct scan_limits l = test_limits;
	size_t n = 10000, off;
	char *raw = malloc(n + 256);
	struct msgview mv;

	(void)state;
	assert_non_null(raw);
	l.max_part_bytes = 1000;
	off = (size_t)sprintf(raw, HDR "Content-Type: text/plain\n\n");
	memset(raw + off, 'x', n);
	raw[off + n] = '\0';
	parse(&mv, &l, raw, off + n);
	assert_true(mv.anomalies & MV_ANOM_LIMIT_PART_BYTES);
	assert_int_equal(mv.text.len, 1000);
	msgview_free(&mv);
	free(raw);
}

/* test_mime_ambiguous_boundary - a boundary inside a long line ends the scan */
static void
test_mime_ambiguous_boundary(void **state)
{
	char raw[8192];
	struct msgview mv;
	size_t off;

	(void)state;
	off = (size_t)sprintf(raw, HDR MP("b") "--b\nContent-Type: text/plain\n\n");
	memset(raw + off, 'y', 5000);
	off += 5000;
	off += (size_t)sprintf(raw + off, "--b\nContent-Type: text/html\n\n"
	    "<p>apres</p>\n--b--\n");
	parse(&mv, &test_limits, raw, off);
	assert_true(mv.anomalies & MV_ANOM_BAD_BOUNDARY);
	assert_null(strstr(buf_cstr(&mv.text), "apres"));
	msgview_free(&mv);
}

/* parse_thread - parse the attachment message repeatedly in one thread */
static void *
parse_thread(void *arg)
{
	static const char raw[] = HDR MP("T")
	    "--T\nContent-Type: application/pdf; name=a.pdf\n\n%PDF-1.4\n"
	    "--T\nContent-Type: text/html\n\n<a href=\"http://t.example/\">t</a>\n"
	    "--T--\n";
	struct msgview mv;
	int i, *ok = arg;

	for (i = 0; i < 50; i++) {
		if (msgview_init(&mv, &test_limits) < 0 ||
		    mime_parse(raw, sizeof(raw) - 1, &mv) < 0)
			return NULL;
		if (mv.nattachments != 1 || mv.nurls != 1 ||
		    strcmp(mv.attachments[0].sniffed_type, "application/pdf") != 0) {
			msgview_free(&mv);
			return NULL;
		}
		msgview_free(&mv);
	}
	*ok = 1;
	return NULL;
}

/* test_mime_threads - concurrent parses, one libmagic handle per thread */
static void
test_mime_threads(void **state)
{
	pthread_t t[4];
	int ok[4] = { 0 }, i;

	(void)state;
	for (i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&t[i], NULL, parse_thread,
		    &ok[i]), 0);
	for (i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		if (!ok[i])
			fail_msg("thread %d: got a wrong view, want 1 attachment "
			    "sniffed as PDF and 1 URL", i);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mime_table),
		cmocka_unit_test(test_mime_headers),
		cmocka_unit_test(test_mime_unpadded_words),
		cmocka_unit_test(test_mime_addresses),
		cmocka_unit_test(test_mime_attachments),
		cmocka_unit_test(test_mime_alternative_urls),
		cmocka_unit_test(test_mime_deep_nesting),
		cmocka_unit_test(test_mime_message_nesting),
		cmocka_unit_test(test_mime_many_parts),
		cmocka_unit_test(test_mime_part_bytes),
		cmocka_unit_test(test_mime_ambiguous_boundary),
		cmocka_unit_test(test_mime_threads),
	};

	scan_limits_set_defaults(&test_limits);
	if (domain_init() < 0 || mime_init() < 0)
		return 1;
	test_filter_from_env();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
