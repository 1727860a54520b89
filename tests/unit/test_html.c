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
#include <time.h>

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
	/* <style> rules, as a mail client applies them */
	{ "<style>.pre{display:none}</style><p class=\"x pre\">CACHE</p>vu",
	    "vu", MV_ANOM_HIDDEN_HTML },
	{ "<p>vu</p><style>#k{visibility:hidden}</style><p id=k>CACHE</p>",
	    "vu", MV_ANOM_HIDDEN_HTML },
	{ "<style>div span{font-size:1px} div > b{opacity:0}</style>"
	    "<div><i><span>CACHE</span></i><b>CACHE</b>vu</div><span>vu</span>",
	    "vu\nvu", MV_ANOM_HIDDEN_HTML },
	{ "<style>[hidden]{display:block} .h{display:none}</style>"
	    "<p hidden>vu</p><p class=h style=\"display:block\">vu</p>",
	    "vu\nvu", 0 },
	{ "<style>.h{display:none!important}</style>"
	    "<p class=h style=\"display:block\">CACHE</p>vu", "vu",
	    MV_ANOM_HIDDEN_HTML },
	{ "<style>p.a{display:none} p.a{display:block}</style><p class=a>vu</p>",
	    "vu", 0 },
	{ "<style>.w{color:#FFF}</style>A<span class=w>x</span>meli", "Ameli",
	    MV_ANOM_HIDDEN_HTML },
	{ "<div style=\"background:#1b7f3b\"><a style=\"color:white\">vu</a>"
	    "</div><span style=\"color:rgba(0,0,0,0)\">CACHE</span>", "vu",
	    MV_ANOM_HIDDEN_HTML },
	{ "<span style=\"font:italic 0/0 a\">CACHE</span>vu", "vu",
	    MV_ANOM_HIDDEN_HTML },
	{ "<div style=\"max-height:0;overflow:hidden\">CACHE</div>vu", "vu",
	    MV_ANOM_HIDDEN_HTML },
	{ "<div>Assu<div style=\"display:inline\">rance</div> Vi<br "
	    "style=\"display:none\">tale</div>", "Assurance Vitale", 0 },
	{ "<style>.t::before{content:\"Assu\\72 ance \"} .t:after{content:"
	    "'!'}</style><p class=t>Maladie</p>", "Assurance Maladie!", 0 },
	{ "<style>.r{unicode-bidi:bidi-override;direction:rtl}</style>"
	    "<p><span class=r>il\xc3\xa9ma</span> <bdo dir=rtl>ts</bdo></p>",
	    "am\xc3\xa9li st", 0 },
	{ "<img src=\"x.png\" alt=\"Logo ameli\" title=\"ameli.fr\">vu",
	    "Logo ameli ameli.fr vu", 0 },
	{ "<style>.m{display:none} @media (max-width:600px){.m{display:block}"
	    " .d{display:none}}</style><p class=m>vu</p><p class=d>vu</p>",
	    "vu\nvu", 0 },
	{ "<style>p + p, a:hover{display:none} .x{color:#fff}</style>"
	    "<p>vu</p><p>vu</p>", "vu\nvu", 0 },
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

/*
 * test_html_text_head_tail - past max_text_bytes the view keeps the
 * start and the end: a lure after padding is still read, and hidden
 * padding does not count at all
 */
static void
test_html_text_head_tail(void **state)
{
	struct scan_limits l = *((struct msgview *)*state)->limits;
	struct msgview mv;
	struct buf html;
	size_t i;

	l.max_text_bytes = 4000;
	buf_init(&html);
	assert_int_equal(buf_append_str(&html, "<p>Bonjour</p><p>"), 0);
	for (i = 0; i < 2000; i++)
		assert_int_equal(buf_append_str(&html, "bla "), 0);
	assert_int_equal(buf_append_str(&html, "</p><p>carte Vitale</p>"), 0);
	assert_int_equal(msgview_init(&mv, &l), 0);
	assert_int_equal(html_extract(&mv, buf_cstr(&html), html.len), 0);
	assert_int_equal(msgview_finish_text(&mv), 0);
	assert_true(mv.anomalies & MV_ANOM_LIMIT_TEXT_BYTES);
	assert_true(strncmp(buf_cstr(&mv.text), "Bonjour\nbla", 11) == 0);
	assert_non_null(strstr(buf_cstr(&mv.text), "carte Vitale"));
	assert_true(mv.text.len <= l.max_text_bytes + l.max_text_bytes /
	    MV_TEXT_TAIL_PART + 1);
	msgview_free(&mv);

	/* the same padding hidden by a class: nothing cut, no limit hit */
	buf_reset(&html);
	assert_int_equal(buf_append_str(&html, "<style>.p{display:none}</style>"
	    "<p>Bonjour</p><p class=p>"), 0);
	for (i = 0; i < 2000; i++)
		assert_int_equal(buf_append_str(&html, "bla "), 0);
	assert_int_equal(buf_append_str(&html, "</p><p>carte Vitale</p>"), 0);
	assert_int_equal(msgview_init(&mv, &l), 0);
	assert_int_equal(html_extract(&mv, buf_cstr(&html), html.len), 0);
	assert_int_equal(msgview_finish_text(&mv), 0);
	assert_string_equal(buf_cstr(&mv.text), "Bonjour\ncarte Vitale");
	assert_false(mv.anomalies & MV_ANOM_LIMIT_TEXT_BYTES);
	msgview_free(&mv);
	buf_free(&html);
}

/* test_html_css_time - html_extract() of html, in seconds */
static double
test_html_css_time(struct msgview *mv, const struct buf *html)
{
	struct timespec t0, t1;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(html_extract(mv, buf_cstr(html), html->len), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
}

/*
 * test_html_css_hostile - a style block of 100,000 rules over 200
 * nested elements, and selectors whose matching would cost depth^3,
 * stay bounded: the limit is recorded, the rules written first still
 * apply, and each page takes well under a second
 */
static void
test_html_css_hostile(void **state)
{
	const struct scan_limits *l = ((struct msgview *)*state)->limits;
	struct msgview mv;
	struct buf html;
	double secs;
	size_t i;

	buf_init(&html);
	assert_int_equal(buf_append_str(&html,
	    "<style>.h{display:none}"), 0);
	for (i = 0; i < 100000; i++)
		assert_int_equal(buf_printf(&html, "div .c%zu span{color:#fff}",
		    i), 0);
	assert_int_equal(buf_append_str(&html, "</style>"), 0);
	for (i = 0; i < 200; i++)
		assert_int_equal(buf_append_str(&html, "<div class=c1>"), 0);
	assert_int_equal(buf_append_str(&html,
	    "<span class=h>CACHE</span>vu"), 0);
	assert_int_equal(msgview_init(&mv, l), 0);
	if ((secs = test_html_css_time(&mv, &html)) > 1.0)
		fail_msg("100,000 rules took %.2f s, want < 1 s", secs);
	assert_true(mv.anomalies & MV_ANOM_LIMIT_CSS);
	assert_string_equal(buf_cstr(&mv.text), "vu");
	msgview_free(&mv);

	/* every rule tries every ancestor of every element */
	buf_reset(&html);
	assert_int_equal(buf_append_str(&html, "<style>"), 0);
	for (i = 0; i < 1000; i++)
		assert_int_equal(buf_printf(&html,
		    "div.z%zu div div div{display:none}", i), 0);
	assert_int_equal(buf_append_str(&html, "</style>"), 0);
	for (i = 0; i < 250; i++)
		assert_int_equal(buf_append_str(&html, "<div>x"), 0);
	assert_int_equal(msgview_init(&mv, l), 0);
	if ((secs = test_html_css_time(&mv, &html)) > 1.0)
		fail_msg("deep descendant selectors took %.2f s, want < 1 s",
		    secs);
	assert_true(mv.anomalies & MV_ANOM_LIMIT_CSS);
	msgview_free(&mv);
	buf_free(&html);
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
		cmocka_unit_test_setup_teardown(test_html_text_head_tail,
		    test_view_setup, test_view_teardown),
		cmocka_unit_test_setup_teardown(test_html_css_hostile,
		    test_view_setup, test_view_teardown),
	};

	if (domain_init() < 0 || mime_init() < 0)
		return 1;
	test_filter_from_env();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
