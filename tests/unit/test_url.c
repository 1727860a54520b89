/*
 * test_url.c - url.c: URL parsing (hosts in every IP notation, user@host,
 * IDN, registrable domain, relative resolution) and URLs found in text.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "domain.h"
#include "msgview.h"
#include "redirect.h"
#include "testutil.h"
#include "url.h"

struct url_case {
	const char *raw;
	const char *base;
	const char *scheme;	/* NULL: the URL must be dropped */
	const char *host;
	const char *host_ascii;
	const char *domain;
	const char *path;
	unsigned flags;
};

static const struct url_case url_cases[] = {
	{ "http://www.example.com/a/b?c#d", NULL, "http", "www.example.com",
	    "www.example.com", "example.com", "/a/b?c#d", 0 },
	{ "HTTPS://WWW.BBC.CO.UK", NULL, "https", "www.bbc.co.uk",
	    "www.bbc.co.uk", "bbc.co.uk", "", 0 },
	{ "https://a.b.ameli.fr.dossier-remboursement.com/x", NULL, "https",
	    "a.b.ameli.fr.dossier-remboursement.com",
	    "a.b.ameli.fr.dossier-remboursement.com",
	    "dossier-remboursement.com", "/x", 0 },
	/* IP hosts in every notation */
	{ "http://3232235777/", NULL, "http", "192.168.1.1", "192.168.1.1",
	    "192.168.1.1", "/", MV_URL_IP_HOST },
	{ "http://0xC0A80101/p", NULL, "http", "192.168.1.1", "192.168.1.1",
	    "192.168.1.1", "/p", MV_URL_IP_HOST },
	{ "http://0300.0250.1.1", NULL, "http", "192.168.1.1", "192.168.1.1",
	    "192.168.1.1", "", MV_URL_IP_HOST },
	{ "http://127.1/", NULL, "http", "127.0.0.1", "127.0.0.1",
	    "127.0.0.1", "/", MV_URL_IP_HOST },
	{ "http://0x7f.0.0.1:8080/", NULL, "http", "127.0.0.1", "127.0.0.1",
	    "127.0.0.1", "/", MV_URL_IP_HOST },
	{ "http://192.168.257/", NULL, "http", "192.168.1.1", "192.168.1.1",
	    "192.168.1.1", "/", MV_URL_IP_HOST },
	{ "http://[2001:DB8:0:0::1]:443/x", NULL, "http", "2001:db8::1",
	    "2001:db8::1", "2001:db8::1", "/x", MV_URL_IP_HOST },
	{ "http://%31%32%37.0.0.1/", NULL, "http", "127.0.0.1", "127.0.0.1",
	    "127.0.0.1", "/", MV_URL_IP_HOST },
	/* not IPs */
	{ "http://256.1.1.1.example/", NULL, "http", "256.1.1.1.example",
	    "256.1.1.1.example", "1.example", "/", 0 },
	/* userinfo tricks */
	{ "http://ameli.fr@evil.example/", NULL, "http", "evil.example",
	    "evil.example", "evil.example", "/", MV_URL_USERINFO },
	{ "https://user:pw@www.example.org:8443/login", NULL, "https",
	    "www.example.org", "www.example.org", "example.org", "/login",
	    MV_URL_USERINFO },
	{ "http://www.ameli.fr%40x@10.0.0.1/", NULL, "http", "10.0.0.1",
	    "10.0.0.1", "10.0.0.1", "/", MV_URL_USERINFO | MV_URL_IP_HOST },
	/* IDN both ways */
	{ "http://xn--mnchen-3ya.example/", NULL, "http", "münchen.example",
	    "xn--mnchen-3ya.example", "xn--mnchen-3ya.example", "/",
	    MV_URL_IDN },
	{ "http://MÜNCHEN.example/", NULL, "http", "münchen.example",
	    "xn--mnchen-3ya.example", "xn--mnchen-3ya.example", "/",
	    MV_URL_IDN },
	{ "https://аmeli.fr/", NULL, "https", "аmeli.fr", "xn--meli-43d.fr",
	    "xn--meli-43d.fr", "/", MV_URL_IDN },
	/* browser leniency */
	{ "https:\\\\evil.example\\x", NULL, "https", "evil.example",
	    "evil.example", "evil.example", "\\x", 0 },
	{ "http:/evil.example/", NULL, "http", "evil.example", "evil.example",
	    "evil.example", "/", 0 },
	{ " http://ev\til.exa\nmple/ ", NULL, "http", "evil.example",
	    "evil.example", "evil.example", "/", 0 },
	/* no scheme, scheme-relative, relative */
	{ "www.example.net/login", NULL, "", "www.example.net",
	    "www.example.net", "example.net", "/login", 0 },
	{ "//cdn.example.com/i.png", "https://site.example/", "https",
	    "cdn.example.com", "cdn.example.com", "example.com", "/i.png", 0 },
	{ "//cdn.example.com/i.png", NULL, "", "cdn.example.com",
	    "cdn.example.com", "example.com", "/i.png", 0 },
	{ "img/logo.png", "http://base.example/dir/page.html", "http",
	    "base.example", "base.example", "base.example",
	    "/dir/img/logo.png", 0 },
	{ "/root?q", "http://base.example/dir/page.html", "http",
	    "base.example", "base.example", "base.example", "/root?q", 0 },
	{ "page2", "http://base.example", "http", "base.example",
	    "base.example", "base.example", "/page2", 0 },
	/* dropped */
	{ "img/logo.png", NULL, NULL, NULL, NULL, NULL, NULL, 0 },
	{ "mailto:someone@example.com", NULL, NULL, NULL, NULL, NULL, NULL, 0 },
	{ "javascript:alert(1)", NULL, NULL, NULL, NULL, NULL, NULL, 0 },
	{ "data:text/html;base64,PGgxPg==", NULL, NULL, NULL, NULL, NULL,
	    NULL, 0 },
	{ "cid:part1@example.com", NULL, NULL, NULL, NULL, NULL, NULL, 0 },
	{ "http:///", NULL, NULL, NULL, NULL, NULL, NULL, 0 },
	{ "http://[zz::1]/", NULL, NULL, NULL, NULL, NULL, NULL, 0 },
	{ "", NULL, NULL, NULL, NULL, NULL, NULL, 0 },
};

/* test_url_add_table - every case of url_cases */
static void
test_url_add_table(void **state)
{
	struct msgview *mv = *state;
	const struct url_case *c;
	const struct mv_url *u;
	size_t i, before;

	for (i = 0; i < sizeof(url_cases) / sizeof(url_cases[0]); i++) {
		c = &url_cases[i];
		before = mv->nurls;
		assert_int_equal(url_add(mv, c->raw, strlen(c->raw), c->base,
		    MV_URL_HREF, "anchor"), 0);
		if (c->scheme == NULL) {
			if (mv->nurls != before)
				fail_msg("%s: got host %s, want dropped", c->raw,
				    mv->urls[before].host);
			continue;
		}
		if (mv->nurls != before + 1)
			fail_msg("%s: got no URL, want one", c->raw);
		u = &mv->urls[before];
		if (strcmp(u->scheme, c->scheme) != 0 ||
		    strcmp(u->host, c->host) != 0 ||
		    strcmp(u->host_ascii, c->host_ascii) != 0 ||
		    strcmp(u->domain, c->domain) != 0 ||
		    strcmp(u->path, c->path) != 0 || u->flags != c->flags)
			fail_msg("%s: got %s|%s|%s|%s|%s|%x, want "
			    "%s|%s|%s|%s|%s|%x", c->raw, u->scheme, u->host,
			    u->host_ascii, u->domain, u->path, u->flags,
			    c->scheme, c->host, c->host_ascii, c->domain,
			    c->path, c->flags);
		assert_string_equal(u->text, "anchor");
		assert_int_equal(u->source, MV_URL_HREF);
	}
}

struct scan_case {
	const char *text;
	const char *want[4];	/* URLs found, in order */
};

static const struct scan_case scan_cases[] = {
	{ "Voir http://a.example/x. Merci", { "http://a.example/x" } },
	{ "(see https://b.example/p_(1)) and www.c.example/q,",
	    { "https://b.example/p_(1)", "www.c.example/q" } },
	{ "<https://d.example/>\"http://e.example\"",
	    { "https://d.example/", "http://e.example" } },
	{ "wwwx.example abc.www.example.com nowww.x", { NULL } },
	{ "HTTPS://F.EXAMPLE/Z! fin", { "HTTPS://F.EXAMPLE/Z" } },
	{ "lien\xC2\xA0http://g.example/a\xC2\xA0suite", { "http://g.example/a" } },
	{ "http://", { NULL } },
	{ "", { NULL } },
};

struct redirect_case {
	const char *raw;
	const char *target;	/* NULL: not a wrapper */
};

static const struct redirect_case redirect_cases[] = {
	{ "https://www.google.com/url?sa=t&q=https%3A%2F%2Fa.example%2Fx&u=1",
	    "https://a.example/x" },
	{ "https://google.fr/url?url=http://b.example/", "http://b.example/" },
	{ "https://eur01.safelinks.protection.outlook.com/?url=https%3A%2F%2F"
	    "www.ameli.fr%2Fassure&data=05%7C01", "https://www.ameli.fr/assure" },
	{ "https://urldefense.proofpoint.com/v2/url?u=https-3A__c.example_p"
	    "-3Fa-3Db&d=DwMF", "https://c.example/p?a=b" },
	{ "https://urldefense.com/v3/__https://d.example/a*b__;Iw!!X$",
	    "https://d.example/a#b" },
	{ "http://t.example/r?target=https%253A%252F%252Fe.example%252F",
	    "https://e.example/" },
	{ "https://login.example/?next=/home&url=/local", NULL },
	{ "https://www.google.com/search?q=https://f.example/", NULL },
	{ "https://x.example/?url=javascript:alert(1)", NULL },
};

/*
 * test_url_redirect_table - a wrapper is kept without anchor text,
 * flagged, and followed by its target, which carries the anchor text
 */
static void
test_url_redirect_table(void **state)
{
	struct msgview *mv = *state;
	const struct redirect_case *c;
	size_t i, before;

	for (i = 0; i < sizeof(redirect_cases) / sizeof(redirect_cases[0]);
	    i++) {
		c = &redirect_cases[i];
		before = mv->nurls;
		assert_int_equal(url_add(mv, c->raw, strlen(c->raw), NULL,
		    MV_URL_HREF, "anchor"), 0);
		if (c->target == NULL) {
			if (mv->nurls != before + 1 || mv->urls[before].flags)
				fail_msg("%s: got %zu URLs flags %x, want 1 "
				    "unflagged", c->raw, mv->nurls - before,
				    mv->nurls > before ?
				    mv->urls[before].flags : 0);
			continue;
		}
		if (mv->nurls != before + 2)
			fail_msg("%s: got %zu URLs, want wrapper and target",
			    c->raw, mv->nurls - before);
		if (mv->urls[before].flags != MV_URL_WRAPPER ||
		    mv->urls[before].text != NULL ||
		    mv->urls[before + 1].flags != MV_URL_UNWRAPPED ||
		    strcmp(mv->urls[before + 1].url, c->target) != 0 ||
		    mv->urls[before + 1].text == NULL)
			fail_msg("%s: got %x %x %s, want wrapper then %s",
			    c->raw, mv->urls[before].flags,
			    mv->urls[before + 1].flags,
			    mv->urls[before + 1].url, c->target);
	}
}

/* test_url_redirect_nested - unwrapping stops after REDIRECT_MAX_HOPS */
static void
test_url_redirect_nested(void **state)
{
	struct msgview *mv = *state;
	char url[4096] = "https://z.example/", tmp[4096];
	size_t i, before = mv->nurls;

	for (i = 0; i < 10; i++) {
		snprintf(tmp, sizeof(tmp), "https://r%zu.example/?url=%s", i,
		    url);
		memcpy(url, tmp, sizeof(url));
	}
	assert_int_equal(url_add(mv, url, strlen(url), NULL, MV_URL_HREF,
	    NULL), 0);
	assert_int_equal(mv->nurls - before, REDIRECT_MAX_HOPS + 1);
}

/* test_url_scan_table - URLs a client would make clickable */
static void
test_url_scan_table(void **state)
{
	struct msgview *mv = *state;
	size_t i, k, before;

	for (i = 0; i < sizeof(scan_cases) / sizeof(scan_cases[0]); i++) {
		before = mv->nurls;
		assert_int_equal(url_scan_text(mv, scan_cases[i].text,
		    strlen(scan_cases[i].text)), 0);
		for (k = 0; k < 4 && scan_cases[i].want[k] != NULL; k++) {
			if (before + k >= mv->nurls)
				fail_msg("%s: got %zu URLs, want %s",
				    scan_cases[i].text, mv->nurls - before,
				    scan_cases[i].want[k]);
			if (strcmp(mv->urls[before + k].url,
			    scan_cases[i].want[k]) != 0)
				fail_msg("%s: got %s, want %s",
				    scan_cases[i].text, mv->urls[before + k].url,
				    scan_cases[i].want[k]);
			assert_int_equal(mv->urls[before + k].source,
			    MV_URL_TEXT);
		}
		if (mv->nurls != before + k)
			fail_msg("%s: got %zu URLs, want %zu", scan_cases[i].text,
			    mv->nurls - before, k);
	}
}

/* test_url_limit - past max_urls URLs are dropped and noted */
static void
test_url_limit(void **state)
{
	struct msgview *mv = *state;
	struct scan_limits l = *mv->limits;
	struct msgview small;
	int i;

	l.max_urls = 3;
	assert_int_equal(msgview_init(&small, &l), 0);
	for (i = 0; i < 10; i++)
		assert_int_equal(url_add(&small, "http://x.example/", 17, NULL,
		    MV_URL_TEXT, NULL), 0);
	assert_int_equal(small.nurls, 3);
	assert_true(small.anomalies & MV_ANOM_LIMIT_URLS);
	msgview_free(&small);
}

/* test_url_scan_linear - a long run of almost-URLs costs linear time */
static void
test_url_scan_linear(void **state)
{
	struct msgview *mv = *state;
	static char text[1 << 20];
	size_t i;

	for (i = 0; i + 4 < sizeof(text); i += 4)
		memcpy(text + i, "www.", 4);
	text[i] = '\0';
	assert_int_equal(url_scan_text(mv, text, strlen(text)), 0);
	assert_true(mv->nurls <= 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_url_add_table,
		    test_view_setup, test_view_teardown),
		cmocka_unit_test_setup_teardown(test_url_redirect_table,
		    test_view_setup, test_view_teardown),
		cmocka_unit_test_setup_teardown(test_url_redirect_nested,
		    test_view_setup, test_view_teardown),
		cmocka_unit_test_setup_teardown(test_url_scan_table,
		    test_view_setup, test_view_teardown),
		cmocka_unit_test_setup_teardown(test_url_limit,
		    test_view_setup, test_view_teardown),
		cmocka_unit_test_setup_teardown(test_url_scan_linear,
		    test_view_setup, test_view_teardown),
	};

	if (domain_init() < 0)
		return 1;
	test_filter_from_env();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
