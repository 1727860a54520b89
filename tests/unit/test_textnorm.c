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
#include "testutil.h"

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
	{ "\xd0\x9cutuelle", "mutuelle" },			/* Cyrillic capital M, before folding */
	{ "\xd0\xb0\xc2\xadmeli", "ameli" },			/* Cyrillic a, soft hyphen */
	{ "\xd0\x9c\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd0\xb0 \xd0\x9c", "\xd0\xbc\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd0\xb0 \xd0\xbc" }, /* Russian capitals kept */
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

/* the code points textnorm.c tabulates (kept in step with fast_ranges) */
static const struct {
	unsigned lo, hi;
} table_ranges[] = {
	{ 0x0000, 0x0300 }, { 0x2000, 0x2070 }, { 0x20a0, 0x20d0 },
};

/* put_utf8 - append one code point as UTF-8 */
static size_t
put_utf8(char *o, unsigned c)
{
	if (c < 0x80) {
		o[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		o[0] = (char)(0xc0 | c >> 6);
		o[1] = (char)(0x80 | (c & 0x3f));
		return 2;
	}
	o[0] = (char)(0xe0 | c >> 12);
	o[1] = (char)(0x80 | ((c >> 6) & 0x3f));
	o[2] = (char)(0x80 | (c & 0x3f));
	return 3;
}

/* same_fold - the fast path and ICU agree on this text */
static void
same_fold(const char *s, size_t n)
{
	struct buf fast, ref;

	buf_init(&fast);
	buf_init(&ref);
	assert_int_equal(textnorm_fold(s, n, &fast), 0);
	assert_int_equal(textnorm_fold_reference(s, n, &ref), 0);
	if (fast.len != ref.len || memcmp(fast.data, ref.data, ref.len) != 0)
		fail_msg("fast path \"%s\" != ICU \"%s\" for \"%.*s\"",
		    buf_cstr(&fast), buf_cstr(&ref), (int)n, s);
	buf_free(&fast);
	buf_free(&ref);
}

/*
 * test_fast_path_pairs - every pair of tabulated code points, and each
 * one alone and between letters, folds as ICU folds it: the table maps
 * code points one at a time, so it is right only if no tabulated code
 * point changes what its neighbour becomes.
 */
static void
test_fast_path_pairs(void **state)
{
	unsigned cps[0x300 + 0x70 + 0x30];
	size_t ncp = 0, i, j, r, n;
	char s[32];

	(void)state;
	for (r = 0; r < sizeof(table_ranges) / sizeof(table_ranges[0]); r++)
		for (i = table_ranges[r].lo; i < table_ranges[r].hi; i++)
			cps[ncp++] = (unsigned)i;
	for (i = 0; i < ncp; i++) {
		n = 0;
		s[n++] = 'a';
		n += put_utf8(s + n, cps[i]);
		s[n++] = 'b';
		same_fold(s + 1, n - 2);
		same_fold(s, n);
		for (j = 0; j < ncp; j++) {
			n = put_utf8(s, cps[i]);
			n += put_utf8(s + n, cps[j]);
			same_fold(s, n);
		}
	}
	/* the table is used: mixing in one other code point still agrees */
#define MIXED1	"S\xc3\xa9" "curit\xc3\xa9 \xe2\x80\x99 \xd0\xb0" "meli"
#define MIXED2	"A m e l i \xe2\x80\xaf: 1,99 \xe2\x82\xac \xce\xbc"
	same_fold(MIXED1, sizeof(MIXED1) - 1);
	same_fold(MIXED2, sizeof(MIXED2) - 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fold),
		cmocka_unit_test(test_fold_long),
		cmocka_unit_test(test_skeleton),
		cmocka_unit_test(test_fast_path_pairs),
	};

	if (textnorm_init() < 0)
		return 1;
	test_filter_from_env();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
