/*
 * test_html.c - html.c: visible text, hidden text, links with anchor
 * text, <base>, forms and images, and bounded work on hostile nesting.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "domain.h"
#include "html.h"
#include "mime.h"
#include "msgview.h"
#include "testutil.h"

struct html_case {
	const char *html;
	const char *text;	/* exact visible text */
	unsigned anomalies;
};

static const struct html_case html_cases[] = {
	{ "<p>Caf&eacute; &amp; th&#233;</p>", "Café & thé", 0 },
	{ "<html><head><title>Titre</title><style>p{color:red}</style>"
	    "<script>var a = '<p>x</p>';</script></head><body>Corps"
	    "<script>document.write('y')</script></body></html>", "Corps", 0 },
	{ "<div>un</div><div>deux</div>trois<br>quatre<p>cinq</p>",
	    "un\ndeux\ntrois\nquatre\ncinq", 0 },
	{ "<td>a</td><td>b</td>", "a\nb", 0 },
	{ "mots   <b>en</b>\n\t<i>ligne</i>", "mots en ligne", 0 },
	{ "<!-- commentaire -->visible", "visible", 0 },
	{ "Am<!-- -->eli et L'Assu<!-- x -->rance", "Ameli et L'Assurance",
	    MV_ANOM_SPLIT_WORD },
	{ "fin. <!-- note --> Suite", "fin. Suite", 0 },
	{ "<p>un</p><!-- x --><p>deux</p>", "un\ndeux", 0 },
	{ "a<span style=\"display:none\">CACHE</span>b", "ab",
	    MV_ANOM_HIDDEN_HTML },
	{ "a<div style=\"DISPLAY : None !important\">CACHE<p>aussi</p></div>b",
	    "a\nb", MV_ANOM_HIDDEN_HTML },
	{ "<span style='visibility:hidden'>CACHE</span>vu", "vu",
	    MV_ANOM_HIDDEN_HTML },
	{ "<font style=\"font-size:0px\">CACHE</font>vu", "vu",
	    MV_ANOM_HIDDEN_HTML },
	{ "<span style=\"opacity:0.0\">CACHE</span>vu", "vu",
	    MV_ANOM_HIDDEN_HTML },
	{ "<span style=\"opacity:0.5;font-size:10px\">vu</span>", "vu", 0 },
	{ "<p hidden>CACHE</p>vu", "vu", MV_ANOM_HIDDEN_HTML },
	{ "<div style=\"display:none\"> </div>vu", "vu", 0 },
	/* found by the differential test against Python's email package */
	{ "<html><body><p>vu</p></body></html><p>apres</p>", "vu\napres", 0 },
	{ "<meta charset=\"utf-8\"><x>dans la tete</x>", "dans la tete", 0 },
	{ "<td style=\"font-size:0\"><td style=\"font-size:14px\">vu</td></td>",
	    "vu", 0 },
	{ "<p style=\"visibility:hidden\">A<b style=\"visibility:visible\">vu"
	    "</b></p>", "vu", MV_ANOM_HIDDEN_HTML },
	{ "<div style=\"display:none\"><b style=\"font-size:12px\">CACHE</b>"
	    "</div>vu", "vu", MV_ANOM_HIDDEN_HTML },
	{ "", "", 0 },
	{ "a < b && c > d", "a < b && c > d", 0 },
};

/* test_html_text_table - visible text and hidden-text anomaly */
static void
test_html_text_table(void **state)
{
	const struct scan_limits *l = ((struct msgview *)*state)->limits;
	struct msgview mv;
	size_t i;

	for (i = 0; i < sizeof(html_cases) / sizeof(html_cases[0]); i++) {
		assert_int_equal(msgview_init(&mv, l), 0);
		assert_int_equal(html_extract(&mv, html_cases[i].html,
		    strlen(html_cases[i].html)), 0);
		if (strcmp(buf_cstr(&mv.text), html_cases[i].text) != 0)
			fail_msg("%s: got text \"%s\", want \"%s\"",
			    html_cases[i].html, buf_cstr(&mv.text),
			    html_cases[i].text);
		if (mv.anomalies != html_cases[i].anomalies)
			fail_msg("%s: got anomalies %x, want %x",
			    html_cases[i].html, mv.anomalies,
			    html_cases[i].anomalies);
		msgview_free(&mv);
	}
}

/* test_html_links - hrefs with anchor text, base, form, img, dropped schemes */
static void
test_html_links(void **state)
{
	static const char html[] =
	    "<html><head><base href=\"https://portail.example/espace/\">"
	    "</head><body>"
	    "<a href=\"http://ameli.fr@evil.example/r?x=1&amp;y=2\">Mon "
	    "  <b>compte</b>\n ameli</a>"
	    "<a href=\"suivi.html\"><img src=\"logo.png\"></a>"
	    "<a href=\"mailto:x@example.com\">mail</a>"
	    "<a href=\"javascript:void(0)\">js</a>"
	    "<a href=\"data:text/html,x\">data</a>"
	    "<img src=\"cid:img1\">"
	    "<form action=\"/collecte.php\" method=post><input name=iban>"
	    "</form>"
	    "<map><area href=\"http://zone.example/\" alt=\"Zone\"></map>"
	    "<div style=\"display:none\"><a href=\"http://cache.example/\">"
	    "x</a></div>"
	    "</body></html>";
	static const struct {
		const char *url, *host, *text;
		enum mv_url_source src;
		unsigned flags;
	} want[] = {
		{ "http://ameli.fr@evil.example/r?x=1&y=2", "evil.example",
		    "Mon compte ameli", MV_URL_HREF, MV_URL_USERINFO },
		{ "https://portail.example/espace/logo.png", "portail.example",
		    NULL, MV_URL_IMG, 0 },
		{ "https://portail.example/espace/suivi.html",
		    "portail.example", "", MV_URL_HREF, 0 },
		{ "https://portail.example/collecte.php", "portail.example",
		    NULL, MV_URL_FORM, 0 },
		{ "http://zone.example/", "zone.example", "Zone", MV_URL_HREF,
		    0 },
		{ "http://cache.example/", "cache.example", "", MV_URL_HREF,
		    0 },
	};
	struct msgview *mv = *state;
	size_t i;

	assert_int_equal(html_extract(mv, html, strlen(html)), 0);
	if (mv->nurls != sizeof(want) / sizeof(want[0]))
		fail_msg("got %zu URLs, want %zu", mv->nurls,
		    sizeof(want) / sizeof(want[0]));
	for (i = 0; i < mv->nurls; i++) {
		const struct mv_url *u = &mv->urls[i];

		if (strcmp(u->url, want[i].url) != 0 ||
		    strcmp(u->host, want[i].host) != 0 ||
		    u->source != want[i].src || u->flags != want[i].flags ||
		    (want[i].text == NULL) != (u->text == NULL) ||
		    (u->text != NULL && strcmp(u->text, want[i].text) != 0))
			fail_msg("URL %zu: got %s %s [%s] %d %x, want %s %s [%s] "
			    "%d %x", i, u->url, u->host, u->text ? u->text : "-",
			    u->source, u->flags, want[i].url, want[i].host,
			    want[i].text ? want[i].text : "-", want[i].src,
			    want[i].flags);
	}
	/*
	 * inline anchors side by side run together, as a browser shows
	 * them; the data: page is read after the page, on its own line
	 */
	assert_string_equal(buf_cstr(&mv->text),
	    "Mon compte amelimailjsdata\nx");
	assert_true(mv->anomalies & MV_ANOM_HIDDEN_HTML);
}

/* test_html_anchor_cap - anchor text is cut at 256 bytes, on a character */
static void
test_html_anchor_cap(void **state)
{
	struct msgview *mv = *state;
	char *html;
	size_t i, n;

	html = malloc(4096);
	assert_non_null(html);
	n = (size_t)snprintf(html, 4096, "<a href=\"http://x.example/\">");
	for (i = 0; i < 300; i++) {
		memcpy(html + n, "\xC3\xA9", 2);	/* é */
		n += 2;
	}
	memcpy(html + n, "</a>", 5);
	assert_int_equal(html_extract(mv, html, strlen(html)), 0);
	assert_int_equal(mv->nurls, 1);
	assert_true(strlen(mv->urls[0].text) < 256);
	assert_true(strlen(mv->urls[0].text) % 2 == 0);
	free(html);
}

/* test_html_deep - 200,000 nested elements: bounded, still extracts */
static void
test_html_deep(void **state)
{
	struct msgview *mv = *state;
	size_t n = 200000, i, off = 0;
	char *html = malloc(n * 11 + 64);

	assert_non_null(html);
	for (i = 0; i < n; i++) {
		memcpy(html + off, "<div><span>", 11);
		off += 11;
	}
	memcpy(html + off, "fond", 4);
	off += 4;
	assert_int_equal(html_extract(mv, html, off), 0);
	free(html);
}

/* test_html_text_limit - visible text is cut at max_text_bytes */
static void
test_html_text_limit(void **state)
{
	struct scan_limits l = *((struct msgview *)*state)->limits;
	struct msgview mv;
	char html[4096];

	l.max_text_bytes = 100;
	memset(html, 'a', sizeof(html) - 1);
	html[sizeof(html) - 1] = '\0';
	assert_int_equal(msgview_init(&mv, &l), 0);
	assert_int_equal(html_extract(&mv, html, strlen(html)), 0);
	assert_int_equal(mv.text.len, 100);
	assert_true(mv.anomalies & MV_ANOM_LIMIT_TEXT_BYTES);
	msgview_free(&mv);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_html_text_table,
		    test_view_setup, test_view_teardown),
		cmocka_unit_test_setup_teardown(test_html_links,
		    test_view_setup, test_view_teardown),
		cmocka_unit_test_setup_teardown(test_html_anchor_cap,
		    test_view_setup, test_view_teardown),
		cmocka_unit_test_setup_teardown(test_html_deep,
		    test_view_setup, test_view_teardown),
		cmocka_unit_test_setup_teardown(test_html_text_limit,
		    test_view_setup, test_view_teardown),
	};

	if (domain_init() < 0 || mime_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
