/*
 * test_match.c - table-driven tests of the scoring core: verdict_decide()
 * (hits and thresholds to an action), the combination detectors all_of
 * and at_least as the loader compiles them, lint's view of combinations,
 * and rule_match_target_value() (what each target hands to a pattern).
 * Each table row says what it gives and what it wants; a failure prints
 * "row N: got X, want Y".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "buf.h"
#include "conf.h"
#include "detector.h"
#include "engine.h"
#include "lint.h"
#include "mime.h"
#include "msgview.h"
#include "rule_match.h"
#include "scan_limits.h"
#include "scanctx.h"
#include "verdict.h"
#include "testutil.h"

/* ---- verdict_decide ---- */

static void
test_verdict_table(void **state)
{
	static const struct {
		double	 scores[4];	/* hit scores, 0-terminated */
		int	 monitor_rule;	/* index of a monitor rule's hit, -1 */
		int	 monitor_mode;
		double	 want_score;
		enum action want_scored, want_action;
	} rows[] = {
		{ { 0 }, -1, 0, 0, ACTION_ACCEPT, ACTION_ACCEPT },
		{ { 3.9 }, -1, 0, 3.9, ACTION_ACCEPT, ACTION_ACCEPT },
		{ { 4.0 }, -1, 0, 4.0, ACTION_TAG, ACTION_TAG },
		{ { 5.0, 3.0 }, -1, 0, 8.0, ACTION_QUARANTINE, ACTION_QUARANTINE },
		{ { 10.0, 5.0 }, -1, 0, 15.0, ACTION_REJECT, ACTION_REJECT },
		{ { 10.0, 5.0, -8.0 }, -1, 0, 7.0, ACTION_TAG, ACTION_TAG },
		/* a monitor rule is listed but counts zero */
		{ { 6.0, 50.0 }, 1, 0, 6.0, ACTION_TAG, ACTION_TAG },
		/* monitor mode caps the action at tag, remembers the score's */
		{ { 20.0 }, -1, 1, 20.0, ACTION_REJECT, ACTION_TAG },
		{ { 9.0 }, -1, 1, 9.0, ACTION_QUARANTINE, ACTION_TAG },
		{ { 1.0 }, -1, 1, 1.0, ACTION_ACCEPT, ACTION_ACCEPT },
	};
	struct rule rules[4];
	struct hit hits[4];
	size_t r, i;

	(void)state;
	for (r = 0; r < sizeof(rows) / sizeof(rows[0]); r++) {
		struct verdict_policy p = { 4.0, 8.0, 15.0,
		    rows[r].monitor_mode };
		struct verdict v;

		memset(&v, 0, sizeof(v));
		memset(rules, 0, sizeof(rules));
		for (i = 0; i < 4 && rows[r].scores[i] != 0; i++) {
			rules[i].monitor = (int)i == rows[r].monitor_rule;
			hits[i].rule = &rules[i];
			hits[i].score = rows[r].scores[i];
			hits[i].excerpt = "";
		}
		v.hits = hits;
		v.nhits = i;
		verdict_decide(&p, &v);
		if (v.score < rows[r].want_score - 1e-9 ||
		    v.score > rows[r].want_score + 1e-9 ||
		    v.scored != rows[r].want_scored ||
		    v.action != rows[r].want_action ||
		    v.monitor != rows[r].monitor_mode)
			fail_msg("row %zu: got %.1f %s/%s, want %.1f %s/%s", r,
			    v.score, action_name(v.scored),
			    action_name(v.action), rows[r].want_score,
			    action_name(rows[r].want_scored),
			    action_name(rows[r].want_action));
	}
}

/* ---- combinations ---- */

static const char combo_rules[] =
    "rules = (\n"
    "  { id = \"A\"; target = \"subject\"; pattern = \"a\"; score = 1.0; },\n"
    "  { id = \"B\"; target = \"subject\"; pattern = \"b\"; score = 1.0; },\n"
    "  { id = \"LURE_X\"; target = \"subject\"; pattern = \"x\"; score = 1.0; },\n"
    "  { id = \"LURE_Y\"; target = \"subject\"; pattern = \"y\"; score = 1.0; },\n"
    "  { id = \"ALL_AB\"; detector = \"all_of\"; arg = \"A,B\"; score = 1.0; },\n"
    "  { id = \"ALL_A_NOT_B\"; detector = \"all_of\"; arg = \"A,!B\"; score = 1.0; },\n"
    "  { id = \"ALL_A_LURE\"; detector = \"all_of\"; arg = \"A,LURE_*\"; score = 1.0; },\n"
    "  { id = \"NO_LURE\"; detector = \"all_of\"; arg = \"A,!LURE_*\"; score = 1.0; },\n"
    "  { id = \"TWO\"; detector = \"at_least\"; arg = \"2:A,B,LURE_*\"; score = 1.0; },\n"
    "  { id = \"THREE\"; detector = \"at_least\"; arg = \"3:LURE_*,A\"; score = 1.0; }\n"
    ");\n";

/* load_rules - a conf whose only rule file holds text; NULL and errors */
static struct conf *
load_rules(const char *text, struct buf *err)
{
	char dir[64], path[256];

	test_tmpdir(dir);
	test_write(dir, "t.rules", text, path);
	test_write(dir, "vigie.conf", "rules = [ \"t.rules\" ];\n", path);
	return conf_load(path, err);
}

/* rule_by_id - a loaded rule, or fail */
static const struct rule *
rule_by_id(const struct ruleset *rs, const char *id)
{
	size_t i;

	for (i = 0; i < rs->nrules; i++)
		if (strcmp(rs->rules[i].id, id) == 0)
			return &rs->rules[i];
	fail_msg("no rule %s", id);
	return NULL;
}

static void
test_combo_table(void **state)
{
	static const struct {
		const char *hit;	/* ids that hit, comma-separated */
		const char *fired;	/* combinations that must fire */
	} rows[] = {
		{ "", "" },
		{ "A", "ALL_A_NOT_B,NO_LURE" },
		{ "A,B", "ALL_AB,NO_LURE,TWO" },
		{ "A,LURE_X", "ALL_A_NOT_B,ALL_A_LURE,TWO" },
		{ "A,LURE_X,LURE_Y", "ALL_A_NOT_B,ALL_A_LURE,TWO,THREE" },
		{ "B,LURE_Y", "TWO" },
		{ "LURE_X,LURE_Y", "TWO" },
		{ "A,B,LURE_X,LURE_Y", "ALL_AB,ALL_A_LURE,TWO,THREE" },
	};
	static const char *const combos[] = { "ALL_AB", "ALL_A_NOT_B",
	    "ALL_A_LURE", "NO_LURE", "TWO", "THREE" };
	struct buf err;
	struct conf *c;
	struct hit hits[8];
	size_t r, k;

	(void)state;
	buf_init(&err);
	if ((c = load_rules(combo_rules, &err)) == NULL)
		fail_msg("load: %s", buf_cstr(&err));
	for (r = 0; r < sizeof(rows) / sizeof(rows[0]); r++) {
		struct scanctx x;
		char ids[128], got[256] = "";
		char *id, *save = NULL;

		memset(&x, 0, sizeof(x));
		x.rules = &c->rules;
		x.hits = hits;
		snprintf(ids, sizeof(ids), "%s", rows[r].hit);
		for (id = strtok_r(ids, ",", &save); id != NULL;
		    id = strtok_r(NULL, ",", &save)) {
			hits[x.nhits].rule = rule_by_id(&c->rules, id);
			hits[x.nhits++].excerpt = "";
		}
		for (k = 0; k < sizeof(combos) / sizeof(combos[0]); k++) {
			const struct rule *cr = rule_by_id(&c->rules,
			    combos[k]);
			const char *e = NULL;
			size_t elen = 0;

			if (cr->detector->run(&x, cr, &e, &elen) == 1)
				snprintf(got + strlen(got), sizeof(got) -
				    strlen(got), "%s%s", *got ? "," : "",
				    combos[k]);
		}
		if (strcmp(got, rows[r].fired) != 0)
			fail_msg("row %zu (hits %s): got \"%s\", want \"%s\"",
			    r, rows[r].hit, got, rows[r].fired);
	}
	conf_free(c);
	buf_free(&err);
}

static void
test_combo_errors_and_lint(void **state)
{
	static const struct {
		const char *rules;
		const char *want;	/* in the errors, or in lint's warnings */
		int	 loads;
	} rows[] = {
		{ "rules = ( { id = \"A\"; target = \"subject\"; pattern = \"a\"; score = 1.0; },\n"
		  "  { id = \"C\"; detector = \"all_of\"; arg = \"A,NOPE\"; score = 1.0; } );\n",
		  "t.rules:2: rule C: no rule matches \"NOPE\"", 0 },
		{ "rules = ( { id = \"A\"; target = \"subject\"; pattern = \"a\"; score = 1.0; },\n"
		  "  { id = \"C\"; detector = \"at_least\"; arg = \"A\"; score = 1.0; } );\n",
		  "rule C: arg \"A\": use N:ITEM,ITEM,...", 0 },
		{ "rules = ( { id = \"A\"; target = \"subject\"; pattern = \"a\"; score = 1.0; },\n"
		  "  { id = \"C\"; detector = \"all_of\"; arg = \"A,!A\"; score = 1.0; } );\n",
		  "rule C: warning: all_of needs a rule and its negation", 1 },
		{ "rules = ( { id = \"Z\"; target = \"subject\"; pattern = \"z\"; score = 0.0; },\n"
		  "  { id = \"A\"; target = \"subject\"; pattern = \"a\"; score = 0.0; },\n"
		  "  { id = \"C\"; detector = \"all_of\"; arg = \"A\"; score = 1.0; } );\n",
		  "rule Z: warning: score 0, not monitor and used by no combination", 1 },
	};
	size_t r;

	(void)state;
	for (r = 0; r < sizeof(rows) / sizeof(rows[0]); r++) {
		struct buf err, warn;
		struct conf *c;

		buf_init(&err);
		buf_init(&warn);
		c = load_rules(rows[r].rules, &err);
		if ((c != NULL) != rows[r].loads)
			fail_msg("row %zu: got %s, want %s (%s)", r,
			    c ? "loaded" : "refused",
			    rows[r].loads ? "loaded" : "refused",
			    buf_cstr(&err));
		if (c != NULL)
			(void)lint_ruleset(&c->rules, c->path, &warn);
		if (strstr(c ? buf_cstr(&warn) : buf_cstr(&err),
		    rows[r].want) == NULL)
			fail_msg("row %zu: got \"%s\", want \"%s\"", r,
			    c ? buf_cstr(&warn) : buf_cstr(&err),
			    rows[r].want);
		/* "A" alone in the last row is used: no warning for it */
		if (c != NULL && r == 3 &&
		    strstr(buf_cstr(&warn), "rule A: warning") != NULL)
			fail_msg("row %zu: rule A is used by C: got \"%s\"", r,
			    buf_cstr(&warn));
		conf_free(c);
		buf_free(&err);
		buf_free(&warn);
	}
}

/* ---- rule_match_target_value ---- */

static const char target_msg[] =
    "Return-Path: <bounce@relay.example>\n"
    "From: \"Ameli\" <a@one.example>, b@two.example\n"
    "Reply-To: reply@three.example\n"
    "X-Mailer: first\n"
    "Subject: s\n"
    "x-mailer: second\n"
    "Content-Type: text/html\n"
    "\n"
    "<a href=\"https://pay.four.example/p?q=1\">clic</a>"
    "<a href=\"https://www.five.example/\"><img src=\"x\"></a>\n";

static void
test_target_table(void **state)
{
	static const struct {
		const char *target;
		const char *envelope;	/* MAIL FROM */
		const char *want;	/* every value, '|'-separated */
	} rows[] = {
		{ "subject", "", "SUBJ" },
		{ "body", "", "BODY" },
		{ "from_display", "", "D0|D1" },
		{ "from_address", "", "a@one.example|b@two.example" },
		{ "from_domain", "", "one.example|two.example" },
		{ "envelope_sender", "env@six.example", "env@six.example" },
		{ "envelope_sender", "", "" },
		{ "reply_to", "", "reply@three.example" },
		/* Return-Path: the envelope when known, else the field */
		{ "return_path", "env@six.example", "env@six.example" },
		{ "return_path", "", "bounce@relay.example" },
		{ "header:X-Mailer", "", "first|second" },
		{ "header:X-Absent", "", "" },
		{ "url", "", "https://pay.four.example/p?q=1|"
		    "https://www.five.example/" },
		{ "url_host", "", "pay.four.example|www.five.example" },
		{ "url_domain", "", "four.example|five.example" },
		/* a link without text gives no value */
		{ "link_text", "", "L0" },
	};
	struct scan_limits limits;
	struct msgview mv;
	struct normtext display[2] = { { "D0", 2 }, { "D1", 2 } };
	struct normtext links[2] = { { "L0", 2 }, { NULL, 0 } };
	size_t r;

	(void)state;
	scan_limits_set_defaults(&limits);
	assert_int_equal(engine_init(), 0);
	assert_int_equal(msgview_init(&mv, &limits), 0);
	assert_int_equal(mime_parse(target_msg, strlen(target_msg), &mv), 0);
	assert_int_equal(mv.nfrom, 2);
	assert_int_equal(mv.nurls, 2);
	for (r = 0; r < sizeof(rows) / sizeof(rows[0]); r++) {
		struct scanctx x;
		struct rule rule;
		const char *header, *s;
		char got[512] = "";
		size_t i = 0, len;

		memset(&x, 0, sizeof(x));
		memset(&rule, 0, sizeof(rule));
		x.mv = &mv;
		x.envelope_sender = rows[r].envelope;
		x.subject = (struct normtext){ "SUBJ", 4 };
		x.body = (struct normtext){ "BODY", 4 };
		x.from_display = display;
		x.link_text = links;
		assert_int_equal(rule_target_parse(rows[r].target,
		    &rule.target, &header), 0);
		rule.header = (char *)header;
		while (rule_match_target_value(&x, &rule, &i, &s, &len))
			snprintf(got + strlen(got), sizeof(got) - strlen(got),
			    "%s%.*s", i > 1 && *got ? "|" : "", (int)len, s);
		if (strcmp(got, rows[r].want) != 0)
			fail_msg("row %zu (%s): got \"%s\", want \"%s\"", r,
			    rows[r].target, got, rows[r].want);
	}
	msgview_free(&mv);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_verdict_table),
		cmocka_unit_test(test_combo_table),
		cmocka_unit_test(test_combo_errors_and_lint),
		cmocka_unit_test(test_target_table),
	};

	test_filter_from_env();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
