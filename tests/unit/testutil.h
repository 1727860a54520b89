/*
 * testutil.h - small helpers shared by the unit tests: temporary files,
 * fixture files, threads run together, a message view, the shipped
 * configuration, one test run alone.
 */
#ifndef VIGIE_TESTUTIL_H
#define VIGIE_TESTUTIL_H

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* test_tmpdir - a fresh directory under /tmp (path in dir, 64 bytes) */
static inline void
test_tmpdir(char dir[64])
{
	snprintf(dir, 64, "/tmp/vigie-test-XXXXXX");
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		exit(1);
	}
}

/* test_write - write text to dir/name; the path goes to path (256 bytes) */
static inline void
test_write(const char *dir, const char *name, const char *text, char path[256])
{
	FILE *f;

	snprintf(path, 256, "%s/%s", dir, name);
	if ((f = fopen(path, "w")) == NULL || fputs(text, f) < 0 ||
	    fclose(f) != 0) {
		perror(path);
		exit(1);
	}
}

/*
 * test_threads_wrong - run fn(arg) in n threads at once (n <= 16); the
 * sum of what they return, each a count of wrong answers (-1 when a
 * thread could not be started)
 */
static inline intptr_t
test_threads_wrong(void *(*fn)(void *), void *arg, int n)
{
	pthread_t t[16];
	void *wrong;
	intptr_t sum = 0;
	int i, started = 0;

	for (i = 0; i < n && i < 16; i++, started++)
		if (pthread_create(&t[i], NULL, fn, arg) != 0)
			break;
	for (i = 0; i < started; i++)
		if (pthread_join(t[i], &wrong) == 0)
			sum += (intptr_t)wrong;
	return started == n ? sum : -1;
}

#ifdef VIGIE_BUF_H
/* test_fixture_load - tests/unit/fixtures/NAME's bytes into a fresh b */
static inline void
test_fixture_load(const char *name, struct buf *b)
{
	char path[512], chunk[8192];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), SRCDIR "/tests/unit/fixtures/%s", name);
	buf_init(b);
	if ((f = fopen(path, "rb")) == NULL) {
		perror(path);
		exit(1);
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (buf_append(b, chunk, n) < 0) {
			fprintf(stderr, "%s: out of memory\n", path);
			exit(1);
		}
	fclose(f);
}
#endif

#ifdef VIGIE_MSGVIEW_H
/* test_view_setup - cmocka setup: an empty view with default limits */
static inline int
test_view_setup(void **state)
{
	static struct scan_limits limits;
	static struct msgview mv;

	scan_limits_set_defaults(&limits);
	if (msgview_init(&mv, &limits) < 0)
		return -1;
	*state = &mv;
	return 0;
}

/* test_view_teardown - cmocka teardown: free the view */
static inline int
test_view_teardown(void **state)
{
	msgview_free(*state);
	return 0;
}
#endif

#ifdef VIGIE_CONF_H
/* test_shipped_conf - engine set up and the repository's vigie.conf loaded */
static inline struct conf *
test_shipped_conf(void)
{
	struct buf err;
	struct conf *c;

	if (engine_init() < 0) {
		fprintf(stderr, "engine_init failed\n");
		exit(1);
	}
	buf_init(&err);
	if ((c = conf_load(SRCDIR "/config/vigie.conf", &err)) == NULL) {
		fprintf(stderr, "%s", buf_cstr(&err));
		exit(1);
	}
	buf_free(&err);
	return c;
}

/* test_shipped_setup - cmocka setup: a fresh shipped configuration */
static inline int
test_shipped_setup(void **state)
{
	*state = test_shipped_conf();
	return 0;
}

/* test_shipped_teardown - cmocka teardown: free it */
static inline int
test_shipped_teardown(void **state)
{
	conf_free(*state);
	return 0;
}
#endif

#ifdef CMOCKA_H_
/*
 * test_filter_from_env - run only the tests that VIGIE_TEST_FILTER names,
 * a cmocka pattern (test_lookalike_memo, test_url_*): one test alone
 * (tests/harness/test_unit_alone.sh runs every test so)
 */
static inline void
test_filter_from_env(void)
{
	const char *pattern = getenv("VIGIE_TEST_FILTER");

	if (pattern != NULL && *pattern != '\0')
		cmocka_set_test_filter(pattern);
}
#endif

#endif
