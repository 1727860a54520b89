/*
 * test_conf.c - conf.c and rule_load.c: a good configuration loads; every
 * kind of mistake is reported as "file:line: ..." naming the rule.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "conf.h"
#include "engine.h"
#include "testutil.h"

static const char good_rules[] =
    "brands = ( { id = \"ameli\"; names = [ \"\\\\bameli\\\\b\" ];\n"
    "  sender_domains = [ \"ameli.fr\" ]; } );\n"
    "rules = (\n"
    "  { id = \"R1\"; target = \"subject\"; pattern = \"carte vitale\"; score = 2.0;\n"
    "    must_match = [ \"Carte Vitale\" ]; must_not_match = [ \"carte bleue\" ]; },\n"
    "  { id = \"R2\"; detector = \"brand_claim_foreign\"; arg = \"display\"; score = 3; }\n"
    ");\n";

/* load - write a conf and its rule file, load, return conf (errors in err) */
static struct conf *
load(const char *conf_text, const char *rules_text, struct buf *err,
    char dir[64])
{
	char path[256], rpath[256];

	test_tmpdir(dir);
	test_write(dir, "r.rules", rules_text, rpath);
	test_write(dir, "vigie.conf", conf_text, path);
	return conf_load(path, err);
}

/* test_good - the example loads with its values */
static void
test_good(void **state)
{
	struct buf err;
	struct conf *c;
	char dir[64];

	(void)state;
	buf_init(&err);
	c = load("mode = \"monitor\";\nthresholds = { tag = 2; quarantine = 5.5;"
	    " reject = 9; };\nrules = [ \"r.rules\" ];\n"
	    "allow = { client_ips = [ \"192.0.2.0/24\", \"2001:db8::/32\" ]; };\n",
	    good_rules, &err, dir);
	if (c == NULL)
		fail_msg("load failed: %s", buf_cstr(&err));
	assert_int_equal(c->mode, CONF_MODE_MONITOR);
	assert_true(c->thr_quarantine == 5.5);
	assert_int_equal(c->rules.nrules, 2);
	assert_int_equal(c->rules.nbrands, 1);
	assert_true(conf_client_allowed(c, "192.0.2.77"));
	assert_true(conf_client_allowed(c, "::ffff:192.0.2.1"));
	assert_true(conf_client_allowed(c, "IPv6:2001:db8::5"));
	assert_false(conf_client_allowed(c, "198.51.100.1"));
	conf_free(c);
	buf_free(&err);
}

static const struct {
	const char *conf;
	const char *rules;
	const char *want;	/* substring of the error text */
} bad_cases[] = {
	{ "mode = \"loud\";\n", "", "vigie.conf:1: mode: \"loud\"" },
	{ "\n\nfoo = 1;\n", "", "vigie.conf:3: unknown key \"foo\"" },
	{ "thresholds = { tag = 9; quarantine = 5; reject = 20; };\n", "",
	    "thresholds: need 0 < tag <= quarantine <= reject" },
	{ "limits = { max_parts = 0; };\n", "", "max_parts: 0 is out of range" },
	{ "rules = [ \"r.rules\" ];\n",
	    "rules = (\n { id = \"BAD\"; target = \"body\";\n pattern = \"(unclosed\"; score = 1; } );\n",
	    "r.rules:3: rule BAD: pattern error at offset 9" },
	{ "rules = [ \"r.rules\" ];\n",
	    "rules = ( { id = \"T\"; target = \"nowhere\"; pattern = \"x\"; score = 1; } );\n",
	    "r.rules:1: rule T: unknown target \"nowhere\"" },
	{ "rules = [ \"r.rules\" ];\n",
	    "rules = ( { id = \"D\"; target = \"body\"; pattern = \"x\"; score = 1; },\n"
	    "  { id = \"D\"; target = \"body\"; pattern = \"y\"; score = 1; } );\n",
	    "r.rules:2: rule D: duplicate id (first defined at" },
	{ "rules = [ \"r.rules\" ];\n",
	    "rules = ( { id = \"E\"; target = \"body\"; pattern = \"vitale\"; score = 1;\n"
	    "  must_match = [ \"carte bleue\" ]; } );\n",
	    "r.rules:1: rule E: does not match its must_match example 1" },
	{ "rules = [ \"r.rules\" ];\n",
	    "rules = ( { id = \"U\"; detector = \"telepathy\"; score = 1; } );\n",
	    "rule U: unknown detector \"telepathy\"" },
	{ "rules = [ \"r.rules\" ];\n",
	    "rules = ( { id = \"C\"; detector = \"all_of\"; arg = \"NOPE\"; score = 1; } );\n",
	    "rule C: no rule matches \"NOPE\"" },
	{ "rules = [ \"r.rules\" ];\n",
	    "brands = ( { id = \"x\"; names = [ \"x\" ]; } );\n",
	    "brand x: no genuine sender_domains or link_domains" },
	{ "rules = [ \"r.rules\" ];\n", "rules = ( { id = \"S\"; target = \"body\";"
	    " pattern = \"x\"; score = 1; colour = \"red\"; } );\n",
	    "rule S: unknown key \"colour\"" },
	{ "\nrules = [ \"missing.rules\" ];\n", "",
	    "vigie.conf:2: rules: cannot read \"" },
	{ "socket_mode = \"0999\";\n", "", "vigie.conf:1: socket_mode: \"0999\" is not an octal" },
	{ "reject_text = \"100% sure\";\n", "", "reject_text: only printable ASCII" },
	{ "\nspam_flag_header = \"X-Spam Flag\";\n", "",
	    "vigie.conf:2: spam_flag_header: \"X-Spam Flag\" is not a header field name" },
	{ "spam_flag_header = \"X-Spam-Flag:\";\n", "",
	    "vigie.conf:1: spam_flag_header: \"X-Spam-Flag:\" is not a header field name" },
	{ "\nsocket = ;\n", "", "vigie.conf:2: syntax error" },
	{ "thresholds = { tag = \"x\"; };\n", "",
	    "vigie.conf:1: tag: wrong type of value (want a number)" },
	{ "rules = [ \"r.rules\" ];\n",
	    "rules = ( { id = \"N\"; target = \"body\"; pattern = \"x\"; } );\n",
	    "r.rules:1: rule N: \"score\" is required" },
	{ "rules = [ \"r.rules\" ];\n",
	    "rules = ( { id = \"R\"; target = \"body\"; pattern = \"x\"; score = 101; } );\n",
	    "r.rules:1: rule R: score: 101 is out of range [-100, 100]" },
	{ "rules = [ \"r.rules\" ];\n",
	    "rules = ( { id = \"M\"; target = \"body\"; pattern = \"x\"; score = 1;\n"
	    "  monitor = 1; } );\n",
	    "r.rules:2: rule M: monitor: wrong type of value (want true or false)" },
	{ "rules = [ \"r.rules\" ];\n",
	    "rules = ( { id = \"A\"; detector = \"nir\"; score = 1; } );\n",
	    "rule A: detector \"nir\" needs an \"arg\"" },
	{ "rules = [ \"r.rules\" ];\n", "\n\nfreemail = \"gmail.com\";\n",
	    "r.rules:3: rule file: freemail: wrong type of value" },
	{ "rules = [ \"r.rules\" ];\n",
	    "brands = ( { id = \"b\"; names = [ \"b\" ]; sender_domains = [ 1 ]; } );\n",
	    "brand b: sender_domains: element 1 is not a string" },
};

/* test_bad - every mistake is named with its file and line */
static void
test_bad(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		struct buf err;
		struct conf *c;
		char dir[64];

		buf_init(&err);
		c = load(bad_cases[i].conf, bad_cases[i].rules, &err, dir);
		if (c != NULL)
			fail_msg("case %zu loaded, want an error", i);
		if (strstr(buf_cstr(&err), bad_cases[i].want) == NULL)
			fail_msg("case %zu: got \"%s\", want \"%s\"", i,
			    buf_cstr(&err), bad_cases[i].want);
		buf_free(&err);
	}
}

/* test_shipped - the shipped configuration and rule pack load */
static void
test_shipped(void **state)
{
	struct buf err;
	struct conf *c;

	(void)state;
	buf_init(&err);
	if ((c = conf_load(SRCDIR "/config/vigie.conf", &err)) == NULL)
		fail_msg("shipped config: %s", buf_cstr(&err));
	assert_true(c->rules.nrules > 30);
	assert_true(c->rules.nbrands >= 10);
	conf_free(c);
	buf_free(&err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_shipped),
	};

	if (engine_init() < 0)
		return 1;
	test_filter_from_env();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
