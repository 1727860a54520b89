/*
 * test_textnorm.c - textnorm.c: the normalised form every free-text rule
 * reads (case, accents, compatibility forms, invisible characters,
 * look-alike letters, spelled-out words, white space) and skeletons.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "textnorm.h"

static const struct {
	const char *in;
	const char *want;
} fold_cases[] = {
	{ "Sécurité Sociale", "securite sociale" },
	{ "ASSURANCE MALADIE", "assurance maladie" },
	{ "Am\xc3\xa9li", "ameli" },				/* é precomposed */
	{ "Ame\xcc\x81li", "ameli" },				/* e + combining acute */
	{ "am\xe2\x80\x8b" "el\xc2\xadi", "ameli" },		/* ZWSP, soft hyphen */
	{ "\xef\xbc\xa1\xef\xbd\x8d\xef\xbd\x85\xef\xbd\x8c\xef\xbd\x89", "ameli" }, /* full-width */
	{ "\xd0\x90meli", "ameli" },				/* Cyrillic A in a Latin word */
	{ "\xd0\x9c\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd0\xb0", "\xd0\xbc\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd0\xb0" }, /* all-Cyrillic word kept */
	{ "A m e l i", "ameli" },
	{ "S.e.c.u.r.i.t.e sociale", "securite sociale" },
	{ "votre  carte\n\tVitale", "votre carte vitale" },
	{ "  leading and trailing  ", "leading and trailing" },
	{ "il y a un an", "il y a un an" },			/* short runs stay */
	{ "2 55 08 14 168 025 38", "2 55 08 14 168 025 38" },	/* digits untouched */
	{ "bad \xff utf8", "bad \xef\xbf\xbd utf8" },
	{ "", "" },
};

/* test_fold - every case folds to its expected form */
static void
test_fold(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(fold_cases) / sizeof(fold_cases[0]); i++) {
		struct buf out;

		buf_init(&out);
		assert_int_equal(textnorm_fold(fold_cases[i].in,
		    strlen(fold_cases[i].in), &out), 0);
		if (strcmp(buf_cstr(&out), fold_cases[i].want) != 0)
			fail_msg("case %zu: got \"%s\", want \"%s\"", i,
			    buf_cstr(&out), fold_cases[i].want);
		buf_free(&out);
	}
}

/* test_fold_long - long text goes through in slices, nothing lost */
static void
test_fold_long(void **state)
{
	struct buf in, out;
	size_t i, words = 0;
	const char *p;

	(void)state;
	buf_init(&in);
	buf_init(&out);
	for (i = 0; i < 40000; i++)
		assert_int_equal(buf_append_str(&in, "Sécurité "), 0);
	assert_int_equal(textnorm_fold(in.data, in.len, &out), 0);
	for (p = buf_cstr(&out); (p = strstr(p, "securite")) != NULL; p++)
		words++;
	assert_int_equal(words, 40000);
	buf_free(&in);
	buf_free(&out);
}

/* test_skeleton - look-alike host names share a skeleton */
static void
test_skeleton(void **state)
{
	static const char *const same[] = {
		"arneli.fr", "ame1i.fr", "\xd0\xb0meli.fr",
	};
	struct buf want, got;
	size_t i;

	(void)state;
	buf_init(&want);
	assert_int_equal(textnorm_skeleton("ameli.fr", &want), 0);
	for (i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
		buf_init(&got);
		assert_int_equal(textnorm_skeleton(same[i], &got), 0);
		if (strcmp(buf_cstr(&got), buf_cstr(&want)) != 0)
			fail_msg("%s: skeleton \"%s\", want \"%s\"", same[i],
			    buf_cstr(&got), buf_cstr(&want));
		buf_free(&got);
	}
	buf_init(&got);
	assert_int_equal(textnorm_skeleton("amazon.fr", &got), 0);
	assert_string_not_equal(buf_cstr(&got), buf_cstr(&want));
	buf_free(&got);
	buf_free(&want);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fold),
		cmocka_unit_test(test_fold_long),
		cmocka_unit_test(test_skeleton),
	};

	if (textnorm_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
