/*
 * test_dns_memo.c - the answers kept in front of libunbound
 * (auth_dns_memo.c): a definite answer comes back as stored, by any case
 * of its name; temporary failures, zero TTLs and oversize answers are
 * not kept; a newer answer replaces the old; a full bucket keeps at most
 * its ways, and every answer put is either found whole or not at all.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "auth_dns_memo.h"
#include "testutil.h"

/* answer - one TXT record of text into a */
static void
answer(struct auth_dns_answer *a, const char *text)
{
	size_t n = strlen(text);

	memset(a, 0, sizeof(*a));
	a->status = AUTH_DNS_OK;
	a->data[0] = (unsigned char)n;
	memcpy(a->data + 1, text, n);
	a->rr[0] = a->data;
	a->len[0] = n + 1;
	a->nrr = 1;
}

static void
test_kept_and_found(void **state)
{
	struct auth_dns_memo *m = auth_dns_memo_new();
	struct auth_dns_answer a, out;

	(void)state;
	assert_non_null(m);
	answer(&a, "v=DMARC1; p=reject");
	auth_dns_memo_put(m, "_dmarc.ameli.fr", AUTH_DNS_TXT, &a, 300);
	memset(&out, 0xff, sizeof(out));
	assert_int_equal(auth_dns_memo_get(m, "_DMARC.Ameli.FR", AUTH_DNS_TXT,
	    &out), 1);
	assert_int_equal(out.status, AUTH_DNS_OK);
	assert_int_equal(out.nrr, 1);
	assert_int_equal(out.len[0], a.len[0]);
	assert_memory_equal(out.rr[0], a.rr[0], a.len[0]);
	assert_ptr_equal(out.rr[0], out.data);
	/* another type of the same name is another question */
	assert_int_equal(auth_dns_memo_get(m, "_dmarc.ameli.fr", AUTH_DNS_A,
	    &out), 0);
	/* a newer answer replaces the old one */
	answer(&a, "v=DMARC1; p=none");
	auth_dns_memo_put(m, "_dmarc.ameli.fr", AUTH_DNS_TXT, &a, 300);
	assert_int_equal(auth_dns_memo_get(m, "_dmarc.ameli.fr", AUTH_DNS_TXT,
	    &out), 1);
	assert_memory_equal(out.rr[0] + 1, "v=DMARC1; p=none", 16);
	/* a negative answer is an answer */
	memset(&a, 0, sizeof(a));
	a.status = AUTH_DNS_NONE;
	auth_dns_memo_put(m, "_dmarc.nowhere.example", AUTH_DNS_TXT, &a, 60);
	assert_int_equal(auth_dns_memo_get(m, "_dmarc.nowhere.example",
	    AUTH_DNS_TXT, &out), 1);
	assert_int_equal(out.status, AUTH_DNS_NONE);
	assert_int_equal(out.nrr, 0);
	auth_dns_memo_free(m);
}

static void
test_not_kept(void **state)
{
	struct auth_dns_memo *m = auth_dns_memo_new();
	struct auth_dns_answer a, out;
	char big[AUTH_DNS_MEMO_MAX_DATA + 10];

	(void)state;
	answer(&a, "v=spf1 -all");
	auth_dns_memo_put(m, "ttl0.example", AUTH_DNS_TXT, &a, 0);
	assert_int_equal(auth_dns_memo_get(m, "ttl0.example", AUTH_DNS_TXT,
	    &out), 0);
	a.status = AUTH_DNS_TEMP;
	auth_dns_memo_put(m, "temp.example", AUTH_DNS_TXT, &a, 300);
	assert_int_equal(auth_dns_memo_get(m, "temp.example", AUTH_DNS_TXT,
	    &out), 0);
	memset(big, 'k', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	memset(&a, 0, sizeof(a));
	a.status = AUTH_DNS_OK;
	memcpy(a.data, big, sizeof(big));
	a.rr[0] = a.data;
	a.len[0] = sizeof(big);
	a.nrr = 1;
	auth_dns_memo_put(m, "big.example", AUTH_DNS_TXT, &a, 300);
	assert_int_equal(auth_dns_memo_get(m, "big.example", AUTH_DNS_TXT,
	    &out), 0);
	auth_dns_memo_free(m);
}

/* many more names than the table holds: bounded, and never a mix */
static void
test_bounded(void **state)
{
	struct auth_dns_memo *m = auth_dns_memo_new();
	struct auth_dns_answer a, out;
	char name[64], text[64];
	size_t found = 0, i, n = AUTH_DNS_MEMO_BUCKETS * AUTH_DNS_MEMO_WAYS * 3;

	(void)state;
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "d%zu.example", i);
		snprintf(text, sizeof(text), "record of %zu", i);
		answer(&a, text);
		auth_dns_memo_put(m, name, AUTH_DNS_TXT, &a, 300);
	}
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "d%zu.example", i);
		snprintf(text, sizeof(text), "record of %zu", i);
		if (!auth_dns_memo_get(m, name, AUTH_DNS_TXT, &out))
			continue;
		found++;
		assert_int_equal(out.len[0], strlen(text) + 1);
		assert_memory_equal(out.rr[0] + 1, text, strlen(text));
	}
	assert_true(found <= AUTH_DNS_MEMO_BUCKETS * AUTH_DNS_MEMO_WAYS);
	assert_true(found > 0);
	auth_dns_memo_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kept_and_found),
		cmocka_unit_test(test_not_kept),
		cmocka_unit_test(test_bounded),
	};

	test_filter_from_env();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
