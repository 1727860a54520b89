/*
 * test_detect.c - the brand detectors' building blocks: trusted
 * Authentication-Results parsing and look-alike domains, with the
 * shipped rule pack's brands.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "authres.h"
#include "buf.h"
#include "conf.h"
#include "detect_brand.h"
#include "hostmemo.h"
#include "engine.h"
#include "testutil.h"

/* test_authres - only trusted authserv-ids count; results and domains read */
static void
test_authres(void **state)
{
	char *trusted_v[] = { "mx.example.net" };
	struct strlist trusted = { trusted_v, 1 };
	struct authres ar;

	(void)state;
	assert_int_equal(authres_parse("mx.example.net; dkim=pass (2048-bit) "
	    "header.d=info.ameli.fr header.s=s1; spf=pass smtp.mailfrom=x; "
	    "dmarc=pass (p=reject) header.from=info.ameli.fr", &trusted, &ar), 1);
	assert_int_equal(ar.dmarc, AUTHRES_PASS);
	assert_string_equal(ar.dmarc_from, "info.ameli.fr");
	assert_int_equal(ar.ndkim_pass, 1);
	assert_string_equal(ar.dkim_pass[0], "info.ameli.fr");

	assert_int_equal(authres_parse("MX.EXAMPLE.NET 1; dmarc=fail "
	    "header.from=ameli.fr", &trusted, &ar), 1);
	assert_int_equal(ar.dmarc, AUTHRES_FAIL);

	/* a forged field from another authserv-id is not believed */
	assert_int_equal(authres_parse("evil.example; dmarc=pass "
	    "header.from=ameli.fr", &trusted, &ar), 0);
	assert_int_equal(ar.dmarc, AUTHRES_NONE);

	/* comments, quoted strings and garbage do not confuse it */
	assert_int_equal(authres_parse("(comment (nested)) mx.example.net; "
	    "dkim=pass header.i=\"@mgen.fr\"; dmarc=temperror", &trusted,
	    &ar), 1);
	assert_int_equal(ar.dmarc, AUTHRES_OTHER);
	assert_string_equal(ar.dkim_pass[0], "mgen.fr");
	assert_int_equal(authres_parse("mx.example.net; ;;= =dmarc", &trusted,
	    &ar), 1);
	assert_int_equal(authres_parse("", &trusted, &ar), 0);

	/* the policy a verifier writes after the dmarc result */
	assert_int_equal(authres_parse("mx.example.net; dmarc=fail "
	    "(p=reject dis=none) header.from=ameli.fr", &trusted, &ar), 1);
	assert_int_equal(ar.dmarc_policy, 'r');
	assert_int_equal(authres_parse("mx.example.net; dmarc=fail "
	    "(p=QUARANTINE sp=REJECT dis=QUARANTINE) header.from=ameli.fr",
	    &trusted, &ar), 1);
	assert_int_equal(ar.dmarc_policy, 'q');
	assert_int_equal(authres_parse("mx.example.net; dmarc=fail "
	    "reason=\"x\" header.from=ameli.fr (policy=reject)", &trusted,
	    &ar), 1);
	assert_int_equal(ar.dmarc_policy, 0);	/* not right after the result */
	assert_int_equal(authres_parse("mx.example.net; dmarc=fail "
	    "(sp=reject) header.from=ameli.fr", &trusted, &ar), 1);
	assert_int_equal(ar.dmarc_policy, 0);	/* sp= is not p= */
	assert_int_equal(authres_parse("mx.example.net; dkim=fail (p=reject); "
	    "dmarc=fail header.from=ameli.fr", &trusted, &ar), 1);
	assert_int_equal(ar.dmarc_policy, 0);	/* another method's comment */
}

static const struct {
	const char *host;
	int	 lookalike;
} hosts[] = {
	{ "arneli.fr", 1 },			/* rn -> m */
	{ "ame1i.fr", 1 },			/* 1 -> l */
	{ "amelli.fr", 1 },			/* one edit */
	{ "ameli.com", 1 },			/* TLD swap */
	{ "ameli-remboursement.com", 1 },	/* brand in a label */
	{ "amelifr-securite.net", 1 },
	{ "ameli.fr.dossier-48213.com", 1 },	/* brand as subdomain */
	{ "remboursement.ameliassurance.site.ro", 1 },
	{ "assurance-maladie-gouv-fr.com", 1 },	/* dashed token; FAKE_GOV too */
	{ "franceconnect-gouv.fr.example-host.com", 1 },
	{ "urssaf-gouv.fr", 1 },
	{ "ipeca.net", 1 },
	{ "ameli.fr", 0 },			/* genuine */
	{ "statsndm.info.ameli.fr", 0 },
	{ "camelia-fleurs.fr", 0 },		/* brand inside a word */
	{ "example.com", 0 },
	{ "mgen.fr", 0 },
};

/*
 * internationalised hosts by their ASCII and Unicode forms: brand words
 * written wholly in other look-alike letters, and honest IDNs
 */
static const struct {
	const char *ascii, *unicode;
	int	 lookalike;
} idn_hosts[] = {
	/* Latin alpha */
	{ "xn--frnceconnect-securite-mmi.com",
	    "fr\xc9\x91nceconnect-securite.com", 1 },
	{ "xn--lmerys-remboursement-97h.com",
	    "\xc9\x91" "lmerys-remboursement.com", 1 },
	/* dotless i */
	{ "xn--vameds-tiers-payant-g5ce.net",
	    "v\xc4\xb1" "amed\xc4\xb1" "s-tiers-payant.net", 1 },
	/* "іреса" all Cyrillic */
	{ "xn---adherents-yqi3d4hpa62a.com",
	    "\xd1\x96\xd1\x80\xd0\xb5\xd1\x81\xd0\xb0-adherents.com", 1 },
	/* honest: French accents, Russian, Greek */
	{ "xn--ptisserie-lon-ieb9i.fr", "p\xc3\xa2tisserie-l\xc3\xa9on.fr", 0 },
	{ "xn----7sbfc4ahnmefb2aio.xn--p1ai",
	    "\xd0\xbc\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd0\xb0-\xd0\xbd"
	    "\xd0\xbe\xd0\xb2\xd0\xbe\xd1\x81\xd1\x82\xd0\xb8.\xd1\x80"
	    "\xd1\x84", 0 },
	{ "xn----olbeqqmoigaxe.gr", "\xce\xb5\xce\xbb\xce\xbb\xce\xb7\xce\xbd"
	    "\xce\xb9\xce\xba\xce\xac-\xce\xbd\xce\xad\xce\xb1.gr", 0 },
};

/* test_lookalike_idn_words - see idn_hosts (state: the shipped conf) */
static void
test_lookalike_idn_words(void **state)
{
	const struct conf *shipped = *state;
	size_t i;

	for (i = 0; i < sizeof(idn_hosts) / sizeof(idn_hosts[0]); i++) {
		int got = detect_lookalike_host(&shipped->rules,
		    idn_hosts[i].ascii, idn_hosts[i].unicode);

		if (got != idn_hosts[i].lookalike)
			fail_msg("%s: got %d, want %d", idn_hosts[i].ascii, got,
			    idn_hosts[i].lookalike);
	}
}

/* test_lookalike - each host judged as expected (state: the shipped conf) */
static void
test_lookalike(void **state)
{
	const struct conf *shipped = *state;
	size_t i;

	for (i = 0; i < sizeof(hosts) / sizeof(hosts[0]); i++) {
		int got = detect_lookalike_host(&shipped->rules, hosts[i].host,
		    hosts[i].host);

		if (got != hosts[i].lookalike)
			fail_msg("%s: got %d, want %d", hosts[i].host, got,
			    hosts[i].lookalike);
	}
	/* Cyrillic a: xn--meli-43d.fr shows as "аmeli.fr" */
	assert_int_equal(detect_lookalike_host(&shipped->rules,
	    "xn--meli-43d.fr", "\xd0\xb0meli.fr"), 1);
	/* accented: xn--amli-cpa.fr shows as "améli.fr" */
	assert_int_equal(detect_lookalike_host(&shipped->rules,
	    "xn--amli-cpa.fr", "am\xc3\xa9li.fr"), 1);
	/* an accented host unrelated to any brand stays clean */
	assert_int_equal(detect_lookalike_host(&shipped->rules,
	    "xn--caf-dma.example", "caf\xc3\xa9.example"), 0);
}

/*
 * test_lookalike_memo - a fresh rule set remembers each verdict at the
 * first look and answers the next from memory (state: the shipped conf)
 */
static void
test_lookalike_memo(void **state)
{
	const struct conf *shipped = *state;
	struct hostmemo *memo = shipped->rules.lookalike_memo;
	const size_t nhosts = sizeof(hosts) / sizeof(hosts[0]);
	int first[sizeof(hosts) / sizeof(hosts[0])];
	size_t i;

	assert_non_null(memo);
	assert_int_equal(hostmemo_count(memo), 0);
	for (i = 0; i < nhosts; i++) {
		first[i] = detect_lookalike_host(&shipped->rules,
		    hosts[i].host, hosts[i].host);
		assert_int_equal(first[i], hosts[i].lookalike);
	}
	/* every first look was remembered */
	assert_int_equal(hostmemo_count(memo), nhosts);
	for (i = 0; i < nhosts; i++)
		assert_int_equal(detect_lookalike_host(&shipped->rules,
		    hosts[i].host, hosts[i].host), first[i]);
	assert_int_equal(hostmemo_count(memo), nhosts);
	/* the memo is read, not only written: a planted answer comes back */
	hostmemo_put(memo, "example.com", "example.com", 1);
	assert_int_equal(detect_lookalike_host(&shipped->rules, "example.com",
	    "example.com"), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_authres),
		cmocka_unit_test_setup_teardown(test_lookalike,
		    test_shipped_setup, test_shipped_teardown),
		cmocka_unit_test_setup_teardown(test_lookalike_idn_words,
		    test_shipped_setup, test_shipped_teardown),
		cmocka_unit_test_setup_teardown(test_lookalike_memo,
		    test_shipped_setup, test_shipped_teardown),
	};

	test_filter_from_env();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
