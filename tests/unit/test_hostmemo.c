/*
 * test_hostmemo.c - hostmemo.c: answers come back for the very key they
 * were stored under, the memo never holds more than its capacity, keys
 * too long for a host are not kept, and threads sharing one memo read
 * only what was written for their key.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "hostmemo.h"
#include "testutil.h"

/* test_get_put - keys are the pair (a, b), nothing more or less */
static void
test_get_put(void **state)
{
	struct hostmemo *m = hostmemo_new(8);
	int answer = -7;

	(void)state;
	assert_non_null(m);
	assert_int_equal(hostmemo_get(m, "ameli.fr", "ameli.fr", &answer), 0);
	assert_int_equal(answer, -7);
	hostmemo_put(m, "xn--amli-bsa.fr", "am\xc3\xa9li.fr", 1);
	hostmemo_put(m, "ameli.fr", "ameli.fr", 0);
	assert_int_equal(hostmemo_get(m, "xn--amli-bsa.fr", "am\xc3\xa9li.fr",
	    &answer), 1);
	assert_int_equal(answer, 1);
	assert_int_equal(hostmemo_get(m, "ameli.fr", "ameli.fr", &answer), 1);
	assert_int_equal(answer, 0);
	/* the separator keeps ("ab", "c") and ("a", "bc") apart */
	hostmemo_put(m, "ab", "c", 1);
	assert_int_equal(hostmemo_get(m, "a", "bc", &answer), 0);
	assert_int_equal(hostmemo_get(m, "xn--amli-bsa.fr", "xn--amli-bsa.fr",
	    &answer), 0);
	/* a second put of a key replaces, it does not add */
	hostmemo_put(m, "ab", "c", 0);
	assert_int_equal(hostmemo_count(m), 3);
	assert_int_equal(hostmemo_get(m, "ab", "c", &answer), 1);
	assert_int_equal(answer, 0);
	hostmemo_free(m);
}

/* test_bounded - full means forget everything, never grow */
static void
test_bounded(void **state)
{
	struct hostmemo *m = hostmemo_new(100);
	char host[64], big[2048];
	int answer, i, found = 0;

	(void)state;
	assert_non_null(m);
	for (i = 0; i < 1000; i++) {
		snprintf(host, sizeof(host), "host%d.example", i);
		hostmemo_put(m, host, host, i & 1);
		assert_true(hostmemo_count(m) <= 100);
	}
	/* the last key put is always there; most older ones are gone */
	assert_int_equal(hostmemo_get(m, host, host, &answer), 1);
	assert_int_equal(answer, 1);
	for (i = 0; i < 1000; i++) {
		snprintf(host, sizeof(host), "host%d.example", i);
		found += hostmemo_get(m, host, host, &answer);
	}
	assert_int_equal((size_t)found, hostmemo_count(m));
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	hostmemo_put(m, big, "x", 1);
	assert_int_equal(hostmemo_get(m, big, "x", &answer), 0);
	hostmemo_free(m);
}

#define MEMO_THREADS	4
#define MEMO_ROUNDS	2000

/* memo_worker - each key's answer is a function of the key: check it */
static void *
memo_worker(void *arg)
{
	struct hostmemo *m = arg;
	char host[64];
	int i, answer, wrong = 0;

	for (i = 0; i < MEMO_ROUNDS; i++) {
		int k = (i * 7919) % 300;

		snprintf(host, sizeof(host), "h%d.example", k);
		if (hostmemo_get(m, host, "u", &answer))
			wrong += answer != k % 3;
		else
			hostmemo_put(m, host, "u", k % 3);
	}
	return (void *)(intptr_t)wrong;
}

/* test_threads - concurrent puts, gets and forgetting stay consistent */
static void
test_threads(void **state)
{
	struct hostmemo *m = hostmemo_new(128);

	(void)state;
	assert_non_null(m);
	assert_int_equal(test_threads_wrong(memo_worker, m, MEMO_THREADS), 0);
	assert_true(hostmemo_count(m) <= 128);
	hostmemo_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_get_put),
		cmocka_unit_test(test_bounded),
		cmocka_unit_test(test_threads),
	};

	test_filter_from_env();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
