/*
 * test_prefilter.c - prefilter.c: never a false "no". Every must_match
 * example of the shipped body rules, and every brand name, must be a
 * candidate when the prefilter scans it; patterns Hyperscan cannot
 * compile are always candidates; counted repeats are widened safely;
 * threads scanning one database at once (sharing its scratch pool) each
 * get their own right answer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "conf.h"
#include "engine.h"
#include "testutil.h"
#include "prefilter.h"
#include "ruleset.h"
#include "textnorm.h"

/* maybe_for - does the rule set's body prefilter keep this slot for text? */
static int
maybe_for(const struct ruleset *rs, const char *text, int slot)
{
	unsigned char *maybe = malloc(rs->body_slots);
	struct buf norm;
	int keep;

	buf_init(&norm);
	assert_int_equal(textnorm_fold(text, strlen(text), &norm), 0);
	prefilter_scan(rs->body_prefilter, buf_cstr(&norm), norm.len, maybe);
	keep = maybe[slot];
	free(maybe);
	buf_free(&norm);
	return keep;
}

/*
 * test_examples_kept - no example of a body rule is filtered out (state:
 * the shipped conf)
 */
static void
test_examples_kept(void **state)
{
	const struct ruleset *rs = &((const struct conf *)*state)->rules;
	size_t i, j, checked = 0;

	for (i = 0; i < rs->nrules; i++) {
		const struct rule *r = &rs->rules[i];

		if (r->body_slot < 0)
			continue;
		for (j = 0; j < r->examples_match.n; j++, checked++)
			if (!maybe_for(rs, r->examples_match.v[j],
			    r->body_slot))
				fail_msg("rule %s: example %zu filtered out",
				    r->id, j + 1);
	}
	assert_true(checked > 10);
	for (i = 0; i < rs->nbrands; i++)
		assert_true(maybe_for(rs, "L'Assurance Maladie et ameli, CPAM, "
		    "FranceConnect, URSSAF, MSA, IPECA, VIAMEDIS, Almerys, MGEN, "
		    "Harmonie Mutuelle, Malakoff Humanis, AG2R, MFA, CPF, "
		    "Assurance retraite, Mutuelle Fraternelle, Ameli Pro",
		    rs->brands[i].body_slot));
}

/* test_uncompilable_always - callouts are beyond Hyperscan: always kept */
static void
test_uncompilable_always(void **state)
{
	const char *pats[] = { "(?C1)abc", "vitale.{0,40}expir", "zzz" };
	struct prefilter *pf = prefilter_build(pats, 3);
	unsigned char maybe[3];

	(void)state;
	assert_non_null(pf);
	prefilter_scan(pf, "nothing here", 12, maybe);
	assert_int_equal(maybe[0], 1);
	assert_int_equal(maybe[1], 0);
	assert_int_equal(maybe[2], 0);
	prefilter_scan(pf, "carte vitale qui expire", 23, maybe);
	assert_int_equal(maybe[1], 1);
	prefilter_free(pf);
}

#define SCAN_THREADS	6
#define SCANS_EACH	300

/* scan_many - one thread: alternate a matching and a clean text */
static void *
scan_many(void *arg)
{
	const struct prefilter *pf = arg;
	unsigned char maybe[3];
	int i, wrong = 0;

	for (i = 0; i < SCANS_EACH; i++) {
		prefilter_scan(pf, "votre carte vitale expire", 25, maybe);
		wrong += maybe[1] != 1 || maybe[2] != 0;
		prefilter_scan(pf, "rien a signaler zzz", 19, maybe);
		wrong += maybe[1] != 0 || maybe[2] != 1;
	}
	return (void *)(intptr_t)wrong;
}

/* test_concurrent_scans - scratches are borrowed, never shared */
static void
test_concurrent_scans(void **state)
{
	const char *pats[] = { "(?C1)abc", "vitale.{0,40}expir", "zzz" };
	struct prefilter *pf = prefilter_build(pats, 3);

	(void)state;
	assert_non_null(pf);
	assert_int_equal(test_threads_wrong(scan_many, pf, SCAN_THREADS), 0);
	prefilter_free(pf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_examples_kept,
		    test_shipped_setup, test_shipped_teardown),
		cmocka_unit_test(test_uncompilable_always),
		cmocka_unit_test(test_concurrent_scans),
	};

	test_filter_from_env();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
