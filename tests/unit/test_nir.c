/*
 * test_nir.c - nir.c: NIR structure and key (invented numbers only), and
 * redact.c, the one function that masks them wherever vigie writes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "nir.h"
#include "redact.h"
#include "testutil.h"

/* Invented NIRs with valid keys (tests/corpus/README.md lists where used). */
static const struct {
	const char *text;
	int	 found;
	int	 labelled;
} find_cases[] = {
	{ "numero de securite sociale 187037511423150 merci", 1, 1 },
	{ "nir : 1 64 07 2a 004 112 61", 1, 1 },		/* Corsica 2A, spaced */
	{ "n° ss 2.58.12.33.063.204.85", 1, 1 },		/* dots */
	{ "votre dossier 2 72 05 2b 033 085 32 est pret", 1, 0 },	/* 2B */
	{ "assure social 2-88-03-06-088-230-73", 1, 1 },	/* dashes */
	{ "commande 294016912345609 expediee", 0, 0 },		/* bad key */
	{ "ref 1870375114231501 longer number", 0, 0 },		/* 16 digits */
	{ "x187037511423150", 0, 0 },				/* glued to a word */
	{ "tel 01 23 45 67 89 et 12", 0, 0 },
	{ "115139912345678 month 13", 0, 0 },			/* month 13 */
	{ "", 0, 0 },
};

/* test_find - found where expected, with or without a label */
static void
test_find(void **state)
{
	size_t i, b, e;

	(void)state;
	for (i = 0; i < sizeof(find_cases) / sizeof(find_cases[0]); i++) {
		const char *t = find_cases[i].text;
		int got = nir_find(t, strlen(t), 0, &b, &e);

		if (got != find_cases[i].found)
			fail_msg("case %zu \"%s\": found %d, want %d", i, t, got,
			    find_cases[i].found);
		if (got && nir_labelled(t, b) != find_cases[i].labelled)
			fail_msg("case %zu \"%s\": labelled %d, want %d", i, t,
			    nir_labelled(t, b), find_cases[i].labelled);
	}
}

/* test_key - the key is 97 - (N mod 97), Corsica counted as 19 / 18 */
static void
test_key(void **state)
{
	(void)state;
	assert_true(nir_key_valid("187037511423150"));
	assert_false(nir_key_valid("187037511423151"));
	assert_true(nir_key_valid("164072a00411261"));
	assert_false(nir_key_valid("164072b00411261"));
	assert_true(nir_key_valid("272052b03308532"));
	assert_false(nir_key_valid("987037511423150"));	/* sex 9 */
}

static const struct {
	const char *in;
	const char *want;
} redact_cases[] = {
	{ "nir 187037511423150 ok", "nir ############### ok" },
	{ "nir 1 64 07 2A 004 112 61", "nir # ## ## ## ### ### ##" },
	{ "carte 4970 1012 3456 7890", "carte #### #### #### ####" },
	{ "IBAN FR76 3000 6000 0112 3456 7890 189", "IBAN FR## #### #### #### #### #### ###" },
	{ "montant 312,40 le 12/03/2026", "montant 312,40 le 12/03/2026" },
	{ "a\r\nb\0c", "a  b c" },
};

/* test_redact - long numbers masked, short ones and text kept, controls gone */
static void
test_redact(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(redact_cases) / sizeof(redact_cases[0]); i++) {
		struct buf out;
		size_t len = strlen(redact_cases[i].in);

		if (i == sizeof(redact_cases) / sizeof(redact_cases[0]) - 1)
			len = 6;	/* the NUL case */
		buf_init(&out);
		assert_int_equal(redact_text(redact_cases[i].in, len, &out), 0);
		if (strcmp(buf_cstr(&out), redact_cases[i].want) != 0)
			fail_msg("case %zu: got \"%s\", want \"%s\"", i,
			    buf_cstr(&out), redact_cases[i].want);
		buf_free(&out);
	}
}

/* test_label - file names are the user's: digits kept, control characters not */
static void
test_label(void **state)
{
	struct buf out;

	(void)state;
	buf_init(&out);
	assert_int_equal(redact_controls("cur/1732800000.M123456P7890.h:2,S", 33,
	    &out), 0);
	assert_string_equal(buf_cstr(&out), "cur/1732800000.M123456P7890.h:2,S");
	buf_reset(&out);
	assert_int_equal(redact_controls("x/187037511423150.eml", 21, &out), 0);
	assert_string_equal(buf_cstr(&out), "x/187037511423150.eml");
	buf_reset(&out);
	assert_int_equal(redact_controls("a\nb\r\x7f.eml", 9, &out), 0);
	assert_string_equal(buf_cstr(&out), "a b  .eml");
	buf_free(&out);
}

/* test_word - a peer's word: one printable token, bounded, redacted */
static void
test_word(void **state)
{
	struct buf out;

	(void)state;
	buf_init(&out);
	assert_int_equal(redact_word("4BRV3d31tG", 64, &out), 0);
	assert_string_equal(buf_cstr(&out), "4BRV3d31tG");
	buf_reset(&out);
	assert_int_equal(redact_word("A1\nvigie-milter: queue_id=X action=accept",
	    64, &out), 0);
	assert_string_equal(buf_cstr(&out),
	    "A1?vigie-milter:?queue_id=X?action=accept");
	buf_reset(&out);
	assert_int_equal(redact_word("1870375114231", 64, &out), 0);
	assert_string_equal(buf_cstr(&out), "#############");
	buf_reset(&out);
	assert_int_equal(redact_word("ab\x01\x7f\xc3\xa9", 64, &out), 0);
	assert_string_equal(buf_cstr(&out), "ab????");
	buf_reset(&out);
	assert_int_equal(redact_word("ABCDEFGHIJ", 4, &out), 0);
	assert_string_equal(buf_cstr(&out), "ABCD+");
	buf_free(&out);
}

/* test_id - the MTA's queue id: one printable word, bounded, masked only when NIR-long */
static void
test_id(void **state)
{
	struct buf out;

	(void)state;
	buf_init(&out);
	assert_int_equal(redact_id("E4892A80431", 64, &out), 0);
	assert_string_equal(buf_cstr(&out), "E4892A80431");
	buf_reset(&out);
	assert_int_equal(redact_id("123456789012\nqueue_id=X", 64, &out), 0);
	assert_string_equal(buf_cstr(&out), "123456789012?queue_id=X");
	buf_reset(&out);
	assert_int_equal(redact_id("1870375114231", 64, &out), 0);
	assert_string_equal(buf_cstr(&out), "#############");
	buf_reset(&out);
	assert_int_equal(redact_id("ABCDEFGHIJ", 4, &out), 0);
	assert_string_equal(buf_cstr(&out), "ABCD+");
	buf_free(&out);
}

/* test_number_start - an excerpt never begins inside a number */
static void
test_number_start(void **state)
{
	const char *t = "ref 1 87 03 75 114 231 50 ok 2A 12";

	(void)state;
	assert_int_equal(redact_number_start(t, 14), 4);	/* in the NIR */
	assert_int_equal(redact_number_start(t, 4), 4);		/* at its start */
	assert_int_equal(redact_number_start(t, 2), 2);		/* in a word */
	assert_int_equal(redact_number_start("x2a1", 3), 1);	/* Corsica 2A */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_key),
		cmocka_unit_test(test_redact),
		cmocka_unit_test(test_label),
		cmocka_unit_test(test_word),
		cmocka_unit_test(test_id),
		cmocka_unit_test(test_number_start),
	};

	test_filter_from_env();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
