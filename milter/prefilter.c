/*
 * prefilter.c - Hyperscan prefilter over a set of PCRE2 patterns.
 *
 * Compilation drops, one by one, the patterns Hyperscan rejects (the
 * error names the culprit) and marks them "always". Scratch space is per
 * thread, kept under a pthread key whose destructor frees it (libmilter
 * threads come and go), and grown to fit whichever database a thread
 * meets, so a reload with more patterns needs nothing special.
 */
#include "prefilter.h"

#include <hs.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct prefilter {
	hs_database_t *db;		/* NULL when no pattern compiled */
	unsigned long serial;		/* tells databases apart across reloads */
	size_t	 n;			/* patterns given */
	unsigned char *always;		/* per pattern: not in db */
};

/* a thread's scratch, and the database it was last sized for */
struct thread_scratch {
	hs_scratch_t *scratch;
	unsigned long serial;
};

static pthread_key_t prefilter_key;
static pthread_once_t prefilter_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t prefilter_serial_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned long prefilter_serial;

/* scratch_destroy - pthread key destructor */
static void
scratch_destroy(void *p)
{
	struct thread_scratch *ts = p;

	hs_free_scratch(ts->scratch);
	free(ts);
}

/* key_init - once */
static void
key_init(void)
{
	(void)pthread_key_create(&prefilter_key, scratch_destroy);
}

/*
 * widen - a copy of a PCRE2 pattern with every counted repeat {m,n} made
 * unbounded (*): a superset, which is all a prefilter needs, and one that
 * Hyperscan scans far faster than bounded repeats over UTF-8.
 */
static char *
widen(const char *re)
{
	size_t n = strlen(re), i = 0, o = 0, k;
	char *out;
	int in_class = 0;

	if ((out = malloc(n + 1)) == NULL)
		return NULL;
	while (i < n) {
		if (re[i] == '\\' && i + 1 < n) {
			out[o++] = re[i++];
			out[o++] = re[i++];
			continue;
		}
		if (in_class) {
			if (re[i] == ']')
				in_class = 0;
			out[o++] = re[i++];
			continue;
		}
		if (re[i] == '[') {
			in_class = 1;
			out[o++] = re[i++];
			if (i < n && re[i] == '^')
				out[o++] = re[i++];
			if (i < n && re[i] == ']')
				out[o++] = re[i++];
			continue;
		}
		if (re[i] == '{') {
			for (k = i + 1; k < n && ((re[k] >= '0' && re[k] <= '9') ||
			    re[k] == ','); k++)
				;
			if (k < n && re[k] == '}' && k > i + 1) {
				out[o++] = '*';
				i = k + 1;
				/* a lazy or possessive marker has nothing to apply to now */
				if (i < n && (re[i] == '?' || re[i] == '+'))
					i++;
				continue;
			}
		}
		out[o++] = re[i++];
	}
	out[o] = '\0';
	return out;
}

/* prefilter_build - see prefilter.h */
struct prefilter *
prefilter_build(const char *const *patterns, size_t n)
{
	struct prefilter *pf;
	const char **exprs;
	char **widened;
	unsigned *flags, *ids, count, i;
	hs_compile_error_t *err;

	if ((pf = calloc(1, sizeof(*pf))) == NULL)
		return NULL;
	pf->n = n;
	pthread_mutex_lock(&prefilter_serial_lock);
	pf->serial = ++prefilter_serial;
	pthread_mutex_unlock(&prefilter_serial_lock);
	exprs = calloc(n ? n : 1, sizeof(*exprs));
	flags = calloc(n ? n : 1, sizeof(*flags));
	ids = calloc(n ? n : 1, sizeof(*ids));
	pf->always = calloc(n ? n : 1, 1);
	if (exprs == NULL || flags == NULL || ids == NULL ||
	    pf->always == NULL) {
		free(exprs);
		free(flags);
		free(ids);
		prefilter_free(pf);
		return NULL;
	}
	if ((widened = calloc(n ? n : 1, sizeof(*widened))) == NULL) {
		free(exprs);
		free(flags);
		free(ids);
		prefilter_free(pf);
		return NULL;
	}
	for (i = 0; i < n; i++)
		if ((widened[i] = widen(patterns[i])) == NULL)
			pf->always[i] = 1;
	for (;;) {
		count = 0;
		for (i = 0; i < n; i++) {
			if (pf->always[i])
				continue;
			exprs[count] = widened[i];
			flags[count] = HS_FLAG_PREFILTER | HS_FLAG_CASELESS |
			    HS_FLAG_UTF8 | HS_FLAG_SINGLEMATCH |
			    HS_FLAG_ALLOWEMPTY;
			ids[count] = i;
			count++;
		}
		if (count == 0)
			break;
		err = NULL;
		if (hs_compile_multi(exprs, flags, ids, count, HS_MODE_BLOCK,
		    NULL, &pf->db, &err) == HS_SUCCESS)
			break;
		/* drop the pattern it names, or give up on the database */
		if (err != NULL && err->expression >= 0 &&
		    (unsigned)err->expression < count)
			pf->always[ids[err->expression]] = 1;
		else
			memset(pf->always, 1, n);
		hs_free_compile_error(err);
		pf->db = NULL;
	}
	for (i = 0; i < n; i++)
		free(widened[i]);
	free(widened);
	free(exprs);
	free(flags);
	free(ids);
	return pf;
}

/* prefilter_free - release */
void
prefilter_free(struct prefilter *pf)
{
	if (pf == NULL)
		return;
	hs_free_database(pf->db);
	free(pf->always);
	free(pf);
}

/* on_match - Hyperscan callback: note the pattern, go on */
static int
on_match(unsigned int id, unsigned long long from, unsigned long long to,
    unsigned int flags, void *ctx)
{
	unsigned char *maybe = ctx;

	(void)from;
	(void)to;
	(void)flags;
	maybe[id] = 1;
	return 0;
}

/*
 * thread_scratch - this thread's scratch, big enough for pf's database;
 * sized once per database, since checking it on every scan is costly.
 */
static hs_scratch_t *
thread_scratch(const struct prefilter *pf)
{
	struct thread_scratch *ts;

	(void)pthread_once(&prefilter_once, key_init);
	if ((ts = pthread_getspecific(prefilter_key)) == NULL) {
		if ((ts = calloc(1, sizeof(*ts))) == NULL)
			return NULL;
		if (pthread_setspecific(prefilter_key, ts) != 0) {
			free(ts);
			return NULL;
		}
	}
	if (ts->serial != pf->serial) {
		if (hs_alloc_scratch(pf->db, &ts->scratch) != HS_SUCCESS)
			return NULL;
		ts->serial = pf->serial;
	}
	return ts->scratch;
}

/* prefilter_scan - see prefilter.h */
void
prefilter_scan(const struct prefilter *pf, const char *s, size_t len,
    unsigned char *maybe)
{
	hs_scratch_t *scratch;
	size_t i;

	memset(maybe, 1, pf->n);
	if (pf->db == NULL || len > 0xffffffffu ||
	    (scratch = thread_scratch(pf)) == NULL)
		return;
	for (i = 0; i < pf->n; i++)
		maybe[i] = pf->always[i];
	if (hs_scan(pf->db, s, (unsigned)len, 0, scratch, on_match,
	    maybe) != HS_SUCCESS)
		memset(maybe, 1, pf->n);
}
