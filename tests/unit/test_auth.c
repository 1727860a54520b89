/*
 * test_auth.c - the pieces of vigie's own authentication that read DNS
 * answers: TXT rdata to text, the choice of one record, wire-form names,
 * DMARC records through libopendmarc's parser, domain clean-up and the
 * report line. Table-driven; "got X, want Y" on failure. The real
 * signatures and the DNS server are in tests/auth/test_auth.sh.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <opendmarc/dmarc.h>

#include "auth.h"
#include "auth_dmarc.h"
#include "auth_dname.h"
#include "auth_dns.h"
#include "auth_report.h"
#include "auth_txt.h"
#include "buf.h"
#include "testutil.h"

/* bytes - a length-prefixed literal: R("\x03abc") */
struct bytes {
	const char *d;
	size_t	 len;
};
#define R(s)	{ s, sizeof(s) - 1 }

/* test_txt_join - character-strings joined; every overrun refused */
static void
test_txt_join(void **state)
{
	static const struct {
		struct bytes in;
		size_t	 cap;
		long	 want;
		const char *text;
	} cases[] = {
		{ R("\x05v=abc"), 64, 5, "v=abc" },
		{ R("\x03v=D\x04MARC"), 64, 7, "v=DMARC" },	/* two strings, no space */
		{ R(""), 64, 0, "" },
		{ R("\x00"), 64, 0, "" },			/* one empty string */
		{ R("\x05v=ab"), 64, -1, NULL },		/* length past the end */
		{ R("\x03a\0b"), 64, -1, NULL },		/* NUL inside */
		{ R("\x05v=abc"), 5, -1, NULL },		/* no room for the NUL */
		{ R("\x05v=abc"), 6, 5, "v=abc" },
		{ R("\x02" "ab\x02" "cd"), 4, -1, NULL },		/* second string too long */
	};
	char out[64];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		long got = auth_txt_join((const unsigned char *)cases[i].in.d,
		    cases[i].in.len, out, cases[i].cap);

		if (got != cases[i].want)
			fail_msg("case %zu: got %ld, want %ld", i, got,
			    cases[i].want);
		if (got >= 0 && strcmp(out, cases[i].text) != 0)
			fail_msg("case %zu: got \"%s\", want \"%s\"", i, out,
			    cases[i].text);
	}
}

/* answer_of - an answer holding the given rdata */
static void
answer_of(struct auth_dns_answer *a, const struct bytes *rr, size_t n)
{
	size_t i, used = 0;

	memset(a, 0, sizeof(*a));
	for (i = 0; i < n; i++) {
		memcpy(a->data + used, rr[i].d, rr[i].len);
		a->rr[i] = a->data + used;
		a->len[i] = rr[i].len;
		used += rr[i].len;
	}
	a->nrr = n;
	a->status = AUTH_DNS_OK;
}

/* test_txt_pick - exactly one record of the kind, or none (RFC 7489 6.6.3) */
static void
test_txt_pick(void **state)
{
	static const struct bytes spf = R("\x0fv=spf1 -all   "),
	    dmarc = R("\x0ev=DMARC1; p=no"), dmarc2 = R("\x0av=DMARC1;x"),
	    lookalike = R("\x0cv=DMARC10; p"), broken = R("\x09v=DMARC1"),
	    key = R("\x0av=DKIM1; p");
	struct auth_dns_answer *a = malloc(sizeof(*a));
	char out[64];

	(void)state;
	assert_non_null(a);
	answer_of(a, (struct bytes[]){ spf, dmarc }, 2);
	assert_int_equal(auth_txt_pick(a, "v=DMARC1", out, sizeof(out)), 1);
	assert_string_equal(out, "v=DMARC1; p=no");
	answer_of(a, (struct bytes[]){ dmarc, dmarc2 }, 2);
	assert_int_equal(auth_txt_pick(a, "v=DMARC1", out, sizeof(out)), -1);
	answer_of(a, (struct bytes[]){ lookalike, spf }, 2);
	assert_int_equal(auth_txt_pick(a, "v=DMARC1", out, sizeof(out)), 0);
	/* a record whose rdata is broken is skipped, not taken */
	answer_of(a, (struct bytes[]){ broken, dmarc }, 2);
	assert_int_equal(auth_txt_pick(a, "v=DMARC1", out, sizeof(out)), 1);
	assert_string_equal(out, "v=DMARC1; p=no");
	/* too long for the caller: unusable, not cut */
	answer_of(a, (struct bytes[]){ dmarc }, 1);
	assert_int_equal(auth_txt_pick(a, "v=DMARC1", out, 10), -1);
	/* no prefix: the first usable record */
	answer_of(a, (struct bytes[]){ broken, key, spf }, 3);
	assert_int_equal(auth_txt_pick(a, "", out, sizeof(out)), 1);
	assert_string_equal(out, "v=DKIM1; p");
	free(a);
}

/* test_dname - wire names to text; malformed ones refused */
static void
test_dname(void **state)
{
	static const struct {
		struct bytes in;
		long	 want;
		const char *text;
	} cases[] = {
		{ R("\x03mx1\x07" "example\x03org\x00"), 15, "mx1.example.org" },
		{ R("\x03MX1\x02" "fr\x00"), 6, "mx1.fr" },
		{ R("\x00"), 0, "" },
		{ R(""), -1, NULL },				/* no root label */
		{ R("\x03mx1\x02" "fr"), -1, NULL },		/* no root label */
		{ R("\x05mx1\x00"), -1, NULL },			/* label past the end */
		{ R("\x03m.x\x00"), -1, NULL },			/* dot in a label */
		{ R("\x03m x\x00"), -1, NULL },			/* space */
		{ R("\xc0\x0c"), -1, NULL },			/* compression pointer */
	};
	char out[300];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		long got = auth_dname_text((const unsigned char *)cases[i].in.d,
		    cases[i].in.len, out, sizeof(out));

		if (got != cases[i].want)
			fail_msg("case %zu: got %ld, want %ld", i, got,
			    cases[i].want);
		if (got >= 0 && strcmp(out, cases[i].text) != 0)
			fail_msg("case %zu: got \"%s\", want \"%s\"", i, out,
			    cases[i].text);
	}
}

/* test_dname_long - a 64-byte label and a 254-character name refused */
static void
test_dname_long(void **state)
{
	unsigned char wire[300];
	char out[300];
	size_t i, n = 0;

	(void)state;
	wire[n++] = 64;
	memset(wire + n, 'a', 64);
	n += 64;
	wire[n++] = 0;
	assert_int_equal(auth_dname_text(wire, n, out, sizeof(out)), -1);
	/* four labels of 63 and one of 1: 4 * 64 + 1 = 257 characters */
	for (n = 0, i = 0; i < 4; i++) {
		wire[n++] = 63;
		memset(wire + n, 'b', 63);
		n += 63;
	}
	wire[n++] = 1;
	wire[n++] = 'c';
	wire[n++] = 0;
	assert_int_equal(auth_dname_text(wire, n, out, sizeof(out)), -1);
	/* three labels of 63 and one of 61: 253 characters, the most */
	for (n = 0, i = 0; i < 4; i++) {
		wire[n++] = i < 3 ? 63 : 61;
		memset(wire + n, 'd', wire[n - 1]);
		n += wire[n - 1];
	}
	wire[n++] = 0;
	assert_int_equal(auth_dname_text(wire, n, out, sizeof(out)), 253);
	/* the same into a buffer one byte short */
	assert_int_equal(auth_dname_text(wire, n, out, 253), -1);
}

/* test_dmarc_record - the tags vigie reads, defaults, invalid records */
static void
test_dmarc_record(void **state)
{
	static const struct {
		const char *text;
		int	 rc, p, sp, pct, adkim;
	} cases[] = {
		{ "v=DMARC1; p=reject; sp=quarantine; pct=50; adkim=s", 0,
		    DMARC_RECORD_P_REJECT, DMARC_RECORD_P_QUARANTINE, 50,
		    DMARC_RECORD_A_STRICT },
		{ "v=DMARC1; p=none", 0, DMARC_RECORD_P_NONE,
		    DMARC_RECORD_P_UNSPECIFIED, 100, DMARC_RECORD_A_RELAXED },
		{ "v=DMARC1;p=quarantine;rua=mailto:d@ameli.fr", 0,
		    DMARC_RECORD_P_QUARANTINE, DMARC_RECORD_P_UNSPECIFIED, 100,
		    DMARC_RECORD_A_RELAXED },
		{ "v=DMARC1; p=bogus", -1, 0, 0, 0, 0 },
		{ "v=DMARC2; p=reject", -1, 0, 0, 0, 0 },
		{ "", -1, 0, 0, 0, 0 },
	};
	struct auth_dmarc_record r;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc;

		memset(&r, 0, sizeof(r));
		rc = auth_dmarc_record_parse("ameli.fr", cases[i].text, &r);
		if (rc != cases[i].rc)
			fail_msg("\"%s\": got %d, want %d", cases[i].text, rc,
			    cases[i].rc);
		if (rc == 0 && (r.p != cases[i].p || r.sp != cases[i].sp ||
		    r.pct != cases[i].pct || r.adkim != cases[i].adkim))
			fail_msg("\"%s\": got p=%c sp=%d pct=%d adkim=%c",
			    cases[i].text, r.p, r.sp, r.pct, r.adkim);
	}
}

/* test_domain_copy - only host-name bytes survive, lower-cased, bounded */
static void
test_domain_copy(void **state)
{
	char big[600], d[AUTH_DOMAIN_MAX];

	(void)state;
	auth_domain_copy(d, "News.AMELI.fr");
	assert_string_equal(d, "news.ameli.fr");
	auth_domain_copy(d, "evil\n.fr; rm");
	assert_string_equal(d, "evil?.fr??rm");
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	auth_domain_copy(d, big);
	assert_int_equal(strlen(d), AUTH_DOMAIN_MAX - 1);
}

/* test_report - the line logged and shown */
static void
test_report(void **state)
{
	struct auth_result r;
	struct buf b;

	(void)state;
	memset(&r, 0, sizeof(r));
	buf_init(&b);
	r.spf_evaluated = 1;
	r.spf = AUTH_FAIL;
	strcpy(r.spf_domain, "ameli.fr");
	r.ndkim = 2;
	r.dkim[0].result = AUTH_PASS;
	strcpy(r.dkim[0].domain, "tiers.fr");
	r.dkim[1].result = AUTH_TEMPERROR;
	strcpy(r.dkim[1].domain, "ameli.fr");
	r.dmarc = AUTH_FAIL;
	r.dmarc_policy = 'q';
	r.dmarc_pct = 50;
	strcpy(r.dmarc_from, "ameli.fr");
	assert_int_equal(auth_report_own(&r, &b), 0);
	assert_string_equal(buf_cstr(&b), "auth=vigie spf=fail(ameli.fr) "
	    "dkim=pass(d=tiers.fr),temperror(d=ameli.fr) "
	    "dmarc=fail(p=quarantine,pct<100,from=ameli.fr)");
	buf_reset(&b);
	memset(&r, 0, sizeof(r));
	assert_int_equal(auth_report_own(&r, &b), 0);
	assert_string_equal(buf_cstr(&b),
	    "auth=vigie spf=none(not checked) dkim=none dmarc=none");
	buf_reset(&b);
	r.dns_spent = 2;
	assert_int_equal(auth_report_own(&r, &b), 0);
	assert_string_equal(buf_cstr(&b), "auth=vigie(dns_budget_spent=2) "
	    "spf=none(not checked) dkim=none dmarc=none");
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_txt_join),
		cmocka_unit_test(test_txt_pick),
		cmocka_unit_test(test_dname),
		cmocka_unit_test(test_dname_long),
		cmocka_unit_test(test_dmarc_record),
		cmocka_unit_test(test_domain_copy),
		cmocka_unit_test(test_report),
	};

	test_filter_from_env();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
