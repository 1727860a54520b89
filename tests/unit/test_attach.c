/*
 * test_attach.c - the attachment decoders (decode/attach/): PDF, archives,
 * calendars, SVG, HTML scripts, QR codes, the dispatcher and its limits, and the
 * hook in mime.c. Fixtures: tests/unit/fixtures/, written by
 * tests/tools/attachgen.py fixtures.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "attach.h"
#include "buf.h"
#include "htmlscript.h"
#include "mime.h"
#include "msgview.h"
#include "testutil.h"

static struct scan_limits limits;

/* view - a fresh view over limits */
static void
view(struct msgview *mv)
{
	assert_int_equal(msgview_init(mv, &limits), 0);
}

/* decode_fixture - attach_decode of one fixture file declared as type/sub */
static void
decode_fixture(struct msgview *mv, const char *name, const char *type,
    const char *sub)
{
	struct buf b;

	test_fixture_load(name, &b);
	assert_int_equal(attach_decode(mv, name, type, sub, b.data, b.len), 0);
	buf_free(&b);
}

/* find_url - the view's URL with this host, NULL if none */
static const struct mv_url *
find_url(const struct msgview *mv, const char *host)
{
	size_t i;

	for (i = 0; i < mv->nurls; i++)
		if (strcmp(mv->urls[i].host, host) == 0)
			return &mv->urls[i];
	return NULL;
}

/* find_attachment - the listed attachment with this name, NULL if none */
static const struct mv_attachment *
find_attachment(const struct msgview *mv, const char *name)
{
	size_t i;

	for (i = 0; i < mv->nattachments; i++)
		if (strcmp(mv->attachments[i].name, name) == 0)
			return &mv->attachments[i];
	return NULL;
}

/* assert_url_origin - host listed, from origin (NULL: the body), as source */
static void
assert_url_origin(const struct msgview *mv, const char *host,
    const char *origin, enum mv_url_source source)
{
	const struct mv_url *u = find_url(mv, host);

	if (u == NULL)
		fail_msg("no URL to %s", host);
	if (origin == NULL)
		assert_null(u->origin);
	else {
		assert_non_null(u->origin);
		assert_string_equal(u->origin, origin);
	}
	assert_int_equal(u->source, source);
}

/* reset_limits - cmocka setup: default limits before each test */
static int
reset_limits(void **state)
{
	(void)state;
	scan_limits_set_defaults(&limits);
	return 0;
}

/* test_pdf - page text, link annotations per page, form field labels */
static void
test_pdf(void **state)
{
	struct msgview mv;

	(void)state;
	view(&mv);
	decode_fixture(&mv, "lure.pdf", "application", "pdf");
	assert_non_null(strstr(buf_cstr(&mv.text),
	    "Vous avez un remboursement de 312,40 euros en attente."));
	assert_non_null(strstr(buf_cstr(&mv.text), "Numéro de carte bancaire"));
	assert_non_null(strstr(buf_cstr(&mv.text), "conditions générales"));
	assert_url_origin(&mv, "ameli-remboursement.example", "pdf:page1",
	    MV_URL_HREF);
	assert_url_origin(&mv, "page2.example", "pdf:page2", MV_URL_HREF);
	assert_int_equal(mv.anomalies, 0);
	assert_true(mv.ntext_origins >= 2);
	assert_string_equal(mv.text_origins[0].origin, "pdf:page1");
	assert_null(mv.origin);
	msgview_free(&mv);
}

/* test_pdf_page_limit - pages past max_attach_pages are not read */
static void
test_pdf_page_limit(void **state)
{
	struct msgview mv;

	(void)state;
	limits.max_attach_pages = 1;
	view(&mv);
	decode_fixture(&mv, "lure.pdf", "application", "pdf");
	assert_non_null(find_url(&mv, "ameli-remboursement.example"));
	assert_null(find_url(&mv, "page2.example"));
	assert_null(strstr(buf_cstr(&mv.text), "conditions"));
	assert_true(mv.anomalies & MV_ANOM_LIMIT_ATTACH_ITEMS);
	msgview_free(&mv);
}

/* test_pdf_qr_image_page3 - a page past the second one is rendered when it draws an image */
static void
test_pdf_qr_image_page3(void **state)
{
	struct msgview mv;

	(void)state;
	view(&mv);
	decode_fixture(&mv, "qr-page3.pdf", "application", "pdf");
	assert_url_origin(&mv, "qr-page3.example", "qr:pdf:page3", MV_URL_QR);
	assert_int_equal(mv.anomalies, 0);
	msgview_free(&mv);
}

/* test_pdf_qr_pages_limit - past max_qr_pages, a page with an image is not rendered */
static void
test_pdf_qr_pages_limit(void **state)
{
	struct msgview mv;

	(void)state;
	limits.max_qr_pages = 2;
	view(&mv);
	decode_fixture(&mv, "qr-page3.pdf", "application", "pdf");
	assert_null(find_url(&mv, "qr-page3.example"));
	assert_non_null(strstr(buf_cstr(&mv.text), "Trois"));
	assert_true(mv.anomalies & MV_ANOM_LIMIT_ATTACH_ITEMS);
	msgview_free(&mv);
}

/*
 * test_pdf_time_inside_page - a page drawing a form 10^8 times (minutes of
 * poppler) stops at max_attach_ms: the stream poppler reads runs dry
 */
static void
test_pdf_time_inside_page(void **state)
{
	struct msgview mv;
	clock_t start;

	(void)state;
	limits.max_attach_ms = 50;
	view(&mv);
	start = clock();
	decode_fixture(&mv, "forms-fanout.pdf", "application", "pdf");
	assert_true(clock() - start < 2 * CLOCKS_PER_SEC);
	assert_true(mv.anomalies & MV_ANOM_LIMIT_ATTACH_TIME);
	msgview_free(&mv);
}

/* test_pdf_broken - a file poppler rejects is an anomaly, not an error */
static void
test_pdf_broken(void **state)
{
	static const char junk[] = "%PDF-1.7\n1 0 obj << /Pages 9 0 R >>\n"
	    "trailer << /Root 1 0 R /Size 1000000000 >>\n%%EOF\n";
	struct msgview mv;

	(void)state;
	view(&mv);
	assert_int_equal(attach_decode(&mv, "a.pdf", "application", "pdf",
	    junk, sizeof(junk) - 1), 0);
	assert_true(mv.anomalies & MV_ANOM_BAD_ATTACHMENT);
	assert_int_equal(mv.text.len, 0);
	msgview_free(&mv);
}

/* test_zip - members listed, HTML and text members read with their origin */
static void
test_zip(void **state)
{
	const struct mv_attachment *a;
	struct msgview mv;

	(void)state;
	view(&mv);
	decode_fixture(&mv, "form.zip", "application", "zip");
	assert_non_null(a = find_attachment(&mv, "invoice/form.html"));
	assert_string_equal(a->origin, "zip");
	assert_non_null(find_attachment(&mv, "readme.txt"));
	assert_non_null(find_attachment(&mv, "photo.bin"));
	assert_non_null(strstr(buf_cstr(&mv.text), "Formulaire ameli"));
	assert_url_origin(&mv, "redirect-refresh.example",
	    "zip:invoice/form.html", MV_URL_HREF);
	assert_url_origin(&mv, "script-location.example",
	    "zip:invoice/form.html", MV_URL_HREF);
	assert_url_origin(&mv, "readme-link.example", "zip:readme.txt",
	    MV_URL_TEXT);
	assert_int_equal(mv.anomalies, 0);
	msgview_free(&mv);
}

/* test_zip_encrypted - a password-protected member is listed, not read */
static void
test_zip_encrypted(void **state)
{
	struct msgview mv;

	(void)state;
	view(&mv);
	decode_fixture(&mv, "encrypted.zip", "application", "zip");
	assert_non_null(find_attachment(&mv, "secret.html"));
	assert_true(mv.anomalies & MV_ANOM_ENCRYPTED_ARCHIVE);
	assert_null(strstr(buf_cstr(&mv.text), "cache"));
	msgview_free(&mv);
}

/* test_zip_nested - ten archives deep: stopped at max_archive_depth, read when allowed */
static void
test_zip_nested(void **state)
{
	struct msgview mv;

	(void)state;
	view(&mv);
	decode_fixture(&mv, "nested10.zip", "application", "zip");
	assert_true(mv.anomalies & MV_ANOM_LIMIT_ARCHIVE_DEPTH);
	assert_null(find_url(&mv, "deep-link.example"));
	assert_non_null(find_attachment(&mv, "level6.zip"));
	assert_null(find_attachment(&mv, "level5.zip"));
	msgview_free(&mv);

	limits.max_archive_depth = 10;
	view(&mv);
	decode_fixture(&mv, "nested10.zip", "application", "zip");
	assert_false(mv.anomalies & MV_ANOM_LIMIT_ARCHIVE_DEPTH);
	assert_non_null(find_url(&mv, "deep-link.example"));
	assert_non_null(strstr(find_url(&mv, "deep-link.example")->origin,
	    "zip:level0.zip>zip:deep.txt"));
	msgview_free(&mv);
}

/* test_zip_bomb - 24 MiB of zeros in 24 KiB: inflated only up to the limits */
static void
test_zip_bomb(void **state)
{
	struct msgview mv;

	(void)state;
	view(&mv);
	decode_fixture(&mv, "bomb.zip", "application", "zip");
	assert_true(mv.anomalies & MV_ANOM_LIMIT_ATTACH_BYTES);
	assert_true(mv.text.len <= limits.max_text_bytes);
	msgview_free(&mv);
}

/* test_zip_members_limit - members past max_archive_members are not listed */
static void
test_zip_members_limit(void **state)
{
	struct msgview mv;

	(void)state;
	limits.max_archive_members = 2;
	view(&mv);
	decode_fixture(&mv, "form.zip", "application", "zip");
	assert_true(mv.anomalies & MV_ANOM_LIMIT_ATTACH_ITEMS);
	assert_int_equal(mv.nattachments, 2);
	assert_null(find_attachment(&mv, "photo.bin"));
	msgview_free(&mv);
}

/* test_tgz - a gzip-compressed tar: members listed and read with origin "tar" */
static void
test_tgz(void **state)
{
	const struct mv_attachment *a;
	struct msgview mv;

	(void)state;
	view(&mv);
	decode_fixture(&mv, "form.tgz", "application", "octet-stream");
	assert_non_null(a = find_attachment(&mv, "invoice/form.html"));
	assert_string_equal(a->origin, "tar");
	assert_non_null(strstr(buf_cstr(&mv.text), "Formulaire ameli"));
	assert_url_origin(&mv, "script-location.example",
	    "tar:invoice/form.html", MV_URL_HREF);
	assert_url_origin(&mv, "readme-link.example", "tar:readme.txt",
	    MV_URL_TEXT);
	assert_int_equal(mv.anomalies, 0);
	msgview_free(&mv);
}

/* test_gz - a bare .gz is one member, opened by its content */
static void
test_gz(void **state)
{
	struct msgview mv;

	(void)state;
	view(&mv);
	decode_fixture(&mv, "invite.ics.gz", "application", "gzip");
	assert_non_null(find_url(&mv, "gz-link.example"));
	assert_non_null(strstr(find_url(&mv, "gz-link.example")->origin,
	    "gz:data"));
	assert_int_equal(mv.anomalies, 0);
	msgview_free(&mv);
}

/* test_tgz_bomb - 24 MiB of zeros in a 24 KiB .tgz: the ZIP bomb limits apply */
static void
test_tgz_bomb(void **state)
{
	struct msgview mv;

	(void)state;
	view(&mv);
	decode_fixture(&mv, "bomb.tgz", "application", "x-compressed-tar");
	assert_true(mv.anomalies & MV_ANOM_LIMIT_ATTACH_BYTES);
	assert_true(mv.text.len <= limits.max_text_bytes);
	msgview_free(&mv);
}

/* test_budget - decoded files and time are counted per message */
static void
test_budget(void **state)
{
	struct msgview mv;

	(void)state;
	limits.max_attach_decoded = 1;	/* the ZIP itself, none of its members */
	view(&mv);
	decode_fixture(&mv, "form.zip", "application", "zip");
	assert_true(mv.anomalies & MV_ANOM_LIMIT_ATTACH_ITEMS);
	assert_non_null(find_attachment(&mv, "invoice/form.html"));
	assert_null(strstr(buf_cstr(&mv.text), "Formulaire"));
	msgview_free(&mv);

	scan_limits_set_defaults(&limits);
	view(&mv);
	mv.attach_started = -1000.0;	/* the budget started long ago */
	decode_fixture(&mv, "lure.pdf", "application", "pdf");
	assert_true(mv.anomalies & MV_ANOM_LIMIT_ATTACH_TIME);
	assert_int_equal(mv.text.len, 0);
	msgview_free(&mv);
}

/* test_ics - unfolding, escapes, the properties read and those left */
static void
test_ics(void **state)
{
	static const char ics[] =
	    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
	    "BEGIN:VEVENT\r\n"
	    "SUMMARY:Rendez-vous\\, CPAM\\; dossier\r\n"
	    "DESCRIPTION:Ligne un\\nLigne deux : confirmez sur https://ics-de\r\n"
	    " sc.example/a avant\\\\ demain\r\n"
	    "LOCATION:Agence de Lyon\r\n"
	    "ORGANIZER;CN=\"Secretariat; Medical\":mailto:a@b.example\r\n"
	    "URL:https://ics-url.example/rdv\r\n"
	    "ATTACH;FMTTYPE=application/pdf:https://ics-attach.example/f.pdf\r\n"
	    "ATTACH;ENCODING=BASE64;VALUE=BINARY:aHR0cHM6Ly9iaW4uZXhhbXBsZS8=\r\n"
	    "X-ALT-DESC;FMTTYPE=text/html:<p>Votre <b>carte</b> <a href=\"htt\r\n"
	    "\tps://ics-html.example/\">ici</a></p>\r\n"
	    "X-UNKNOWN:https://ignored.example/\r\n"
	    "END:VEVENT\r\nEND:VCALENDAR\r\n";
	const char *t;
	struct msgview mv;

	(void)state;
	view(&mv);
	assert_int_equal(attach_decode(&mv, "invite.ics", "text", "calendar",
	    ics, sizeof(ics) - 1), 0);
	t = buf_cstr(&mv.text);
	assert_non_null(strstr(t, "Rendez-vous, CPAM; dossier"));
	assert_non_null(strstr(t, "Ligne un\nLigne deux"));
	assert_non_null(strstr(t, "avant\\ demain"));
	assert_non_null(strstr(t, "Agence de Lyon"));
	assert_non_null(strstr(t, "Secretariat; Medical"));
	assert_non_null(strstr(t, "Votre carte ici"));
	assert_url_origin(&mv, "ics-desc.example", "ics:event1", MV_URL_TEXT);
	assert_url_origin(&mv, "ics-url.example", "ics:event1", MV_URL_HREF);
	assert_url_origin(&mv, "ics-attach.example", "ics:event1", MV_URL_HREF);
	assert_non_null(find_url(&mv, "ics-html.example"));
	assert_null(find_url(&mv, "bin.example"));
	assert_null(find_url(&mv, "ignored.example"));
	msgview_free(&mv);
}

/* test_ics_events_limit - events past max_attach_pages are not read */
static void
test_ics_events_limit(void **state)
{
	static const char ics[] = "BEGIN:VCALENDAR\nBEGIN:VEVENT\n"
	    "SUMMARY:premier\nEND:VEVENT\nBEGIN:VEVENT\nSUMMARY:second\n"
	    "END:VEVENT\nEND:VCALENDAR\n";
	struct msgview mv;

	(void)state;
	limits.max_attach_pages = 1;
	view(&mv);
	assert_int_equal(attach_decode(&mv, "", "text", "calendar", ics,
	    sizeof(ics) - 1), 0);
	assert_non_null(strstr(buf_cstr(&mv.text), "premier"));
	assert_null(strstr(buf_cstr(&mv.text), "second"));
	assert_true(mv.anomalies & MV_ANOM_LIMIT_ATTACH_ITEMS);
	msgview_free(&mv);
}

/* test_svg - text, xlink:href, script targets; style text dropped */
static void
test_svg(void **state)
{
	struct msgview mv;

	(void)state;
	view(&mv);
	decode_fixture(&mv, "lure.svg", "image", "svg+xml");
	assert_non_null(strstr(buf_cstr(&mv.text), "Votre carte Vitale"));
	assert_non_null(strstr(buf_cstr(&mv.text), "Se connecter"));
	assert_null(strstr(buf_cstr(&mv.text), ".a{}"));
	assert_url_origin(&mv, "svg-link.example", "svg", MV_URL_HREF);
	assert_url_origin(&mv, "svg-script.example", "svg", MV_URL_HREF);
	msgview_free(&mv);
}

/* test_htmlscript - refresh and navigation literals; comparisons and broken literals not */
static void
test_htmlscript(void **state)
{
	static const char html[] =
	    "<META HTTP-EQUIV='Refresh' CONTENT='3;URL=https://a-refresh.example/'>"
	    "<script>if (location == 'https://cmp.example/') {}\n"
	    "location = \"https://b-assign.example/x\";\n"
	    "document.location.replace( 'https://c-replace.example/' );\n"
	    "location.assign(`https://d-assign.example/`);\n"
	    "window.open('https://e-open.example/p', '_self');\n"
	    "location.href='https://f-unterminated.example/\n"
	    "</script><meta name=x content=\"url=https://not-refresh.example/\">"
	    "<meta content=\"0;url=https://g-before.example/\" http-equiv=refresh>";
	struct msgview mv;

	(void)state;
	view(&mv);
	assert_int_equal(htmlscript_scan(&mv, html, sizeof(html) - 1), 0);
	assert_non_null(find_url(&mv, "a-refresh.example"));
	assert_non_null(find_url(&mv, "b-assign.example"));
	assert_non_null(find_url(&mv, "c-replace.example"));
	assert_non_null(find_url(&mv, "d-assign.example"));
	assert_non_null(find_url(&mv, "e-open.example"));
	assert_null(find_url(&mv, "cmp.example"));
	assert_null(find_url(&mv, "f-unterminated.example"));
	assert_null(find_url(&mv, "not-refresh.example"));
	assert_non_null(find_url(&mv, "g-before.example"));
	assert_int_equal(mv.nurls, 6);
	msgview_free(&mv);
}

/* test_qr - QR codes in PNG and JPEG: a URL is a link of source qr, text is text */
static void
test_qr(void **state)
{
	struct msgview mv;

	(void)state;
	view(&mv);
	decode_fixture(&mv, "qr.png", "image", "png");
	decode_fixture(&mv, "qr.jpg", "application", "octet-stream");
	decode_fixture(&mv, "qr-text.png", "image", "png");
	assert_int_equal(mv.nurls, 2);
	assert_string_equal(mv.urls[0].url, "https://qr-link.example/ameli");
	assert_string_equal(mv.urls[0].origin, "qr:image1");
	assert_int_equal(mv.urls[0].source, MV_URL_QR);
	assert_string_equal(mv.urls[1].origin, "qr:image2");
	assert_non_null(strstr(buf_cstr(&mv.text), "Rappelez le 08 99 12 34 56"));
	assert_int_equal(mv.anomalies, 0);
	msgview_free(&mv);
}

/* test_qr_limits - too many pixels refused before decoding; broken images noted */
static void
test_qr_limits(void **state)
{
	struct buf png;
	struct msgview mv;

	(void)state;
	view(&mv);
	decode_fixture(&mv, "big.png", "image", "png");	/* 5000 x 5000 */
	assert_true(mv.anomalies & MV_ANOM_LIMIT_IMAGE_PIXELS);
	assert_false(mv.anomalies & MV_ANOM_BAD_ATTACHMENT);
	msgview_free(&mv);

	test_fixture_load("qr.png", &png);
	view(&mv);
	assert_int_equal(attach_decode(&mv, "x.png", "image", "png", png.data,
	    png.len / 2), 0);
	assert_true(mv.anomalies & MV_ANOM_BAD_ATTACHMENT);
	assert_int_equal(mv.nurls, 0);
	msgview_free(&mv);

	limits.max_image_pixels = 0;	/* QR decoding off */
	view(&mv);
	assert_int_equal(attach_decode(&mv, "x.png", "image", "png", png.data,
	    png.len), 0);
	assert_int_equal(mv.nurls, 0);
	assert_int_equal(mv.anomalies, 0);
	msgview_free(&mv);
	buf_free(&png);
}

/* test_wanted - which parts mime.c hands over, by type or name only */
static void
test_wanted(void **state)
{
	(void)state;
	assert_true(attach_wanted("application", "pdf", ""));
	assert_true(attach_wanted("application", "octet-stream", "scan"));
	assert_true(attach_wanted("application", "x-whatever", "Facture.ZIP"));
	assert_true(attach_wanted("application", "x-whatever", "dossier.tar.gz"));
	assert_true(attach_wanted("application", "x-tar", ""));
	assert_true(attach_wanted("text", "calendar", ""));
	assert_true(attach_wanted("image", "svg+xml", ""));
	assert_false(attach_wanted("text", "plain", "a.txt"));
	assert_false(attach_wanted("text", "html", "a.html"));
	assert_false(attach_wanted("application", "msword", "cv.doc"));
	assert_false(attach_wanted("audio", "mpeg", ""));
	assert_true(attach_wanted("image", "png", ""));
	assert_true(attach_wanted("image", "x-unknown", "photo.JPG"));
	assert_false(attach_wanted("image", "gif", ""));
}

/* test_mime_hook - through mime_parse: an attached PDF is read, a plain message pays nothing */
static void
test_mime_hook(void **state)
{
	static const char plain[] = "From: a@b.example\nSubject: s\n\ncorps\n";
	static const char cal[] = "From: a@b.example\nSubject: s\n"
	    "Content-Type: text/calendar; method=REQUEST\n\n"
	    "BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:Rendez-vous\\, vite\n"
	    "END:VEVENT\nEND:VCALENDAR\n";
	struct buf pdf, msg;
	struct msgview mv;
	size_t i;

	(void)state;
	view(&mv);
	assert_int_equal(mime_parse(plain, sizeof(plain) - 1, &mv), 0);
	assert_int_equal(mv.attach_decoded, 0);
	assert_int_equal(mv.ntext_origins, 0);
	msgview_free(&mv);

	view(&mv);
	assert_int_equal(mime_parse(cal, sizeof(cal) - 1, &mv), 0);
	assert_non_null(strstr(buf_cstr(&mv.text), "Rendez-vous, vite"));
	assert_null(strstr(buf_cstr(&mv.text), "BEGIN:"));
	msgview_free(&mv);

	/* an HTML attachment's script navigation, found by htmlscript.c */
	buf_init(&msg);
	assert_int_equal(buf_append_str(&msg, "From: a@b.example\nSubject: s\n"
	    "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n"
	    "--b\nContent-Type: text/plain\n\nOuvrez la page.\n--b\n"
	    "Content-Type: text/html; name=page.html\n"
	    "Content-Disposition: attachment; filename=page.html\n\n"
	    "<p>Redirection</p><script>location.href='https://js-target.example/'"
	    "</script>\n--b--\n"), 0);
	view(&mv);
	assert_int_equal(mime_parse(msg.data, msg.len, &mv), 0);
	assert_non_null(strstr(buf_cstr(&mv.text), "Redirection"));
	assert_non_null(find_url(&mv, "js-target.example"));
	msgview_free(&mv);
	buf_free(&msg);

	test_fixture_load("lure.pdf", &pdf);
	buf_init(&msg);
	assert_int_equal(buf_append_str(&msg, "From: a@b.example\nSubject: s\n"
	    "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n"
	    "--b\nContent-Type: text/plain\n\nVoir le document.\n--b\n"
	    "Content-Type: application/octet-stream; name=scan.jpg\n"
	    "Content-Disposition: attachment; filename=scan.jpg\n"
	    "Content-Transfer-Encoding: quoted-printable\n\n"), 0);
	for (i = 0; i < pdf.len; i++)	/* quoted-printable, every byte */
		assert_int_equal(buf_printf(&msg, "=%02X%s",
		    (unsigned char)pdf.data[i], i % 24 == 23 ? "=\n" : ""), 0);
	assert_int_equal(buf_append_str(&msg, "\n--b--\n"), 0);
	view(&mv);
	assert_int_equal(mime_parse(msg.data, msg.len, &mv), 0);
	assert_non_null(strstr(buf_cstr(&mv.text), "Voir le document."));
	assert_non_null(strstr(buf_cstr(&mv.text), "312,40 euros en attente"));
	assert_url_origin(&mv, "ameli-remboursement.example", "pdf:page1",
	    MV_URL_HREF);
	assert_int_equal(mv.attach_decoded, 1);
	msgview_free(&mv);
	buf_free(&pdf);
	buf_free(&msg);
}

/* group_setup - the MIME layer's libraries initialised once */
static int
group_setup(void **state)
{
	(void)state;
	return mime_init();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_pdf, reset_limits),
		cmocka_unit_test_setup(test_pdf_page_limit, reset_limits),
		cmocka_unit_test_setup(test_pdf_qr_image_page3, reset_limits),
		cmocka_unit_test_setup(test_pdf_qr_pages_limit, reset_limits),
		cmocka_unit_test_setup(test_pdf_time_inside_page, reset_limits),
		cmocka_unit_test_setup(test_pdf_broken, reset_limits),
		cmocka_unit_test_setup(test_zip, reset_limits),
		cmocka_unit_test_setup(test_zip_encrypted, reset_limits),
		cmocka_unit_test_setup(test_zip_nested, reset_limits),
		cmocka_unit_test_setup(test_zip_bomb, reset_limits),
		cmocka_unit_test_setup(test_zip_members_limit, reset_limits),
		cmocka_unit_test_setup(test_tgz, reset_limits),
		cmocka_unit_test_setup(test_gz, reset_limits),
		cmocka_unit_test_setup(test_tgz_bomb, reset_limits),
		cmocka_unit_test_setup(test_budget, reset_limits),
		cmocka_unit_test_setup(test_ics, reset_limits),
		cmocka_unit_test_setup(test_ics_events_limit, reset_limits),
		cmocka_unit_test_setup(test_svg, reset_limits),
		cmocka_unit_test_setup(test_htmlscript, reset_limits),
		cmocka_unit_test_setup(test_qr, reset_limits),
		cmocka_unit_test_setup(test_qr_limits, reset_limits),
		cmocka_unit_test(test_wanted),
		cmocka_unit_test_setup(test_mime_hook, reset_limits),
	};

	test_filter_from_env();
	return cmocka_run_group_tests(tests, group_setup, NULL);
}
