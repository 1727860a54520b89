/*
 * test_confusable.c - confusable.c: brand words found through look-alike
 * letters (capitals from Greek and Cyrillic, whole words in those
 * scripts, Latin alpha, capital I and small l, full-width and
 * mathematical letters), words that only resemble them left alone, and
 * the same through textnorm_fold_lexicon() as the rules read it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "confusable.h"
#include "textnorm.h"
#include "testutil.h"

/* the brand words of the shipped rule pack this test leans on */
static const char *const words[] = {
	"ameli", "cpam", "ipeca", "urssaf", "franceconnect", "vitale",
	"almerys", "viamedis", "mutuelle", "msa", "ag2r", "be-almerys",
};

/* rewrite_cases: text in, what confusable_rewrite() makes of it */
static const struct {
	const char *in;
	const char *want;	/* NULL: left alone (0) */
} rewrite_cases[] = {
	/* capitals: Cyrillic А М Е, then L I */
	{ "\xd0\x90\xd0\x9c\xd0\x95LI", "ameli" },
	/* Greek capital iota, rho, epsilon, alpha around a Latin C */
	{ "\xce\x99\xce\xa1\xce\x95" "C\xce\x91", "ipeca" },
	/* Cyrillic capital М in "Мutuelle" */
	{ "\xd0\x9cutuelle", "mutuelle" },
	/* whole words: Cyrillic СРАМ, Cyrillic ІРЕСА, Greek ΙΡΕϹΑ */
	{ "\xd0\xa1\xd0\xa0\xd0\x90\xd0\x9c", "cpam" },
	{ "\xd0\x86\xd0\xa0\xd0\x95\xd0\xa1\xd0\x90", "ipeca" },
	{ "\xce\x99\xce\xa1\xce\x95\xcf\xb9\xce\x91", "ipeca" },
	/* Latin alpha */
	{ "\xc9\x91meli", "ameli" },
	/* capital I for l, small l for capital I, digit 1 for I */
	{ "ameIi", "ameli" },
	{ "AMELl", "ameli" },
	{ "AMEL1", "ameli" },
	{ "VlTALE", "vitale" },
	/* rn for m */
	{ "arneli", "ameli" },
	/* full width with l for I; mathematical bold with I for l */
	{ "\xef\xbc\xa1\xef\xbc\xad\xef\xbc\xa5\xef\xbc\xac\xef\xbd\x8c",
	    "ameli" },
	{ "\xf0\x9d\x90\x9a\xf0\x9d\x90\xa6\xf0\x9d\x90\x9e\xf0\x9d\x90\x88"
	    "\xf0\x9d\x90\xa2", "ameli" },
	/* a soft hyphen inside does not hide it */
	{ "\xd0\xb0m\xc2\xad" "eIi", "ameli" },
	/* in a sentence: only the word changes */
	{ "Votre dossier \xd0\xa1\xd0\xa0\xd0\x90\xd0\x9c, 48 h.",
	    "Votre dossier cpam, 48 h." },
	/* the honest side */
	{ "ameli", NULL }, { "AMELI", NULL }, { "Ameli", NULL },
	{ "Am\xc3\xa9lie Dupont", NULL }, { "AMELIE", NULL },
	{ "amelie", NULL }, { "Ideal ILLICO APPLI ILLIMITE", NULL },
	{ "IDEAL illico appli", NULL }, { "camelia", NULL },
	{ "ameli2026", NULL }, { "MSA", NULL }, { "msa", NULL },
	/* Russian and Greek prose, capitals included */
	{ "\xd0\x9d\xd0\x9e\xd0\x92\xd0\x9e\xd0\xa1\xd0\xa2\xd0\x98 "
	    "\xd0\x9a\xd0\x9b\xd0\xa3\xd0\x91\xd0\x90 \xd0\xbf\xd1\x80\xd0\xb8"
	    "\xd0\xb2\xd0\xb5\xd1\x82 \xd0\xa1\xd0\x9e\xd0\xa0\xd0\x9e\xd0\x9a"
	    "\xd0\x90", NULL },
	{ "\xce\x9d\xce\x95\xce\x91 \xce\xa4\xce\x9f\xce\xa5 \xce\xa3\xce\xa5"
	    "\xce\x9b\xce\x9b\xce\x9f\xce\x93\xce\x9f\xce\xa5 \xce\xba\xce\xb1"
	    "\xce\xbb\xce\xb7\xce\xbc\xce\xad\xcf\x81\xce\xb1", NULL },
	{ "", NULL }, { "bad \xff\xfe utf8 \xd0", NULL },
};

/* lexicon - the lexicon of words */
static struct confusable_lexicon *
lexicon(void)
{
	struct confusable_lexicon *lx = confusable_lexicon_new();
	size_t i;

	assert_non_null(lx);
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		assert_int_equal(confusable_lexicon_add(lx, words[i]), 0);
	return lx;
}

/* test_rewrite - each case rewritten, or left alone, as expected */
static void
test_rewrite(void **state)
{
	struct confusable_lexicon *lx = lexicon();
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rewrite_cases) / sizeof(rewrite_cases[0]);
	    i++) {
		struct buf out;
		int rc;

		buf_init(&out);
		rc = confusable_rewrite(lx, rewrite_cases[i].in,
		    strlen(rewrite_cases[i].in), &out);
		if (rewrite_cases[i].want == NULL && rc != 0)
			fail_msg("case %zu \"%s\": got %d \"%s\", want it left "
			    "alone", i, rewrite_cases[i].in, rc, buf_cstr(&out));
		if (rewrite_cases[i].want != NULL && (rc != 1 ||
		    strcmp(buf_cstr(&out), rewrite_cases[i].want) != 0))
			fail_msg("case %zu \"%s\": got %d \"%s\", want \"%s\"",
			    i, rewrite_cases[i].in, rc, buf_cstr(&out),
			    rewrite_cases[i].want);
		buf_free(&out);
	}
	confusable_lexicon_free(lx);
}

/* test_fold_lexicon - what the rules read: the brand, case-folded */
static void
test_fold_lexicon(void **state)
{
	struct confusable_lexicon *lx = lexicon();
	struct buf out;

	(void)state;
	buf_init(&out);
#define SENTENCE "Le service \xd0\x90\xd0\x9c\xd0\x95LI vous rembourse (ameIi)."
	assert_int_equal(textnorm_fold_lexicon(SENTENCE, strlen(SENTENCE), lx,
	    &out), 0);
	assert_string_equal(buf_cstr(&out),
	    "le service ameli vous rembourse (ameli).");
	/* without a lexicon, or with an empty one, nothing is rewritten */
	buf_reset(&out);
	assert_int_equal(textnorm_fold_lexicon("ameIi", 5, NULL, &out), 0);
	assert_string_equal(buf_cstr(&out), "ameii");
	buf_free(&out);
	confusable_lexicon_free(lx);
	lx = confusable_lexicon_new();
	assert_non_null(lx);
	buf_init(&out);
	assert_int_equal(textnorm_fold_lexicon("ameIi", 5, lx, &out), 0);
	assert_string_equal(buf_cstr(&out), "ameii");
	buf_free(&out);
	confusable_lexicon_free(lx);
}

/* test_bounds - long words and many words stay bounded and are kept */
static void
test_bounds(void **state)
{
	struct confusable_lexicon *lx = lexicon();
	struct buf in, out;
	size_t i;

	(void)state;
	buf_init(&in);
	buf_init(&out);
	/* one very long word of Cyrillic letters: not a candidate */
	for (i = 0; i < 100000; i++)
		assert_int_equal(buf_append_str(&in, "\xd0\xb0"), 0);
	assert_int_equal(confusable_rewrite(lx, in.data, in.len, &out), 0);
	/* ten thousand look-alikes: every one rewritten */
	buf_reset(&in);
	for (i = 0; i < 10000; i++)
		assert_int_equal(buf_append_str(&in, "ameIi "), 0);
	assert_int_equal(confusable_rewrite(lx, in.data, in.len, &out), 1);
	assert_int_equal(out.len, in.len);
	assert_null(strstr(buf_cstr(&out), "I"));
	buf_free(&in);
	buf_free(&out);
	confusable_lexicon_free(lx);
}

/* test_lexicon_add - what the lexicon takes */
static void
test_lexicon_add(void **state)
{
	struct confusable_lexicon *lx = confusable_lexicon_new();
	struct buf out;
	char many[8];
	int i;

	(void)state;
	assert_non_null(lx);
	/* words of other characters, too short or too long: not taken */
	assert_int_equal(confusable_lexicon_add(lx, "be-almerys"), 0);
	assert_int_equal(confusable_lexicon_add(lx, "abc"), 0);
	assert_int_equal(confusable_lexicon_add(lx,
	    "abcdefghijklmnopqrstuvwxyzabcdefghij"), 0);
	buf_init(&out);
	assert_int_equal(confusable_rewrite(lx, "bIeaImerys", 10, &out), 0);
	/* many words: the table grows */
	for (i = 0; i < 500; i++) {
		snprintf(many, sizeof(many), "w%c%c%c", 'a' + i % 26,
		    'a' + i / 26 % 26, 'a' + i / 676);
		assert_int_equal(confusable_lexicon_add(lx, many), 0);
	}
	assert_int_equal(confusable_lexicon_add(lx, "ameli"), 0);
	assert_int_equal(confusable_rewrite(lx, "AMELl wcaa", 10, &out), 1);
	assert_string_equal(buf_cstr(&out), "ameli wcaa");
	buf_free(&out);
	confusable_lexicon_free(lx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rewrite),
		cmocka_unit_test(test_fold_lexicon),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_lexicon_add),
	};

	if (textnorm_init() < 0)
		return 1;
	test_filter_from_env();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
