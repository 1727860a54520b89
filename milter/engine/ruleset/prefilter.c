/*
 * prefilter.c - Hyperscan prefilter over a set of PCRE2 patterns.
 *
 * Compilation drops, one by one, the patterns Hyperscan rejects (the
 * error names the culprit) and marks them "always". Scratch space belongs
 * to the database: a small pool under a mutex, from which a scan borrows
 * one and gives it back, grown by cloning when every scratch is in use.
 * It is not per thread because Debian's libmilter runs a pool of workers
 * that it starts and stops as load changes (about one new thread per
 * message under load): per-thread scratch was reallocated, at a cost of
 * ~30 us, for most messages. The pool holds at most as many scratches as
 * there were concurrent scans, and is freed with the database.
 */
#include "prefilter.h"

#include <hs.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* scratches not in use; the rest of struct prefilter never changes */
struct scratch_pool {
	pthread_mutex_t lock;
	hs_scratch_t **free;
	size_t	 nfree, cap;
};

struct prefilter {
	hs_database_t *db;		/* NULL when no pattern compiled */
	hs_scratch_t *proto;		/* cloned when the pool is empty */
	struct scratch_pool *pool;
	size_t	 n;			/* patterns given */
	unsigned char *always;		/* per pattern: not in db */
};

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
	if ((pf->pool = calloc(1, sizeof(*pf->pool))) == NULL) {
		free(pf);
		return NULL;
	}
	(void)pthread_mutex_init(&pf->pool->lock, NULL);
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
	/* without a prototype scratch every pattern stays a candidate */
	if (pf->db != NULL && hs_alloc_scratch(pf->db, &pf->proto) !=
	    HS_SUCCESS) {
		hs_free_database(pf->db);
		pf->db = NULL;
		pf->proto = NULL;
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
	size_t i;

	if (pf == NULL)
		return;
	if (pf->pool != NULL) {
		for (i = 0; i < pf->pool->nfree; i++)
			hs_free_scratch(pf->pool->free[i]);
		free(pf->pool->free);
		(void)pthread_mutex_destroy(&pf->pool->lock);
		free(pf->pool);
	}
	hs_free_scratch(pf->proto);
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

/* scratch_take - a scratch for pf's database, NULL on memory failure */
static hs_scratch_t *
scratch_take(const struct prefilter *pf)
{
	struct scratch_pool *pool = pf->pool;
	hs_scratch_t *s = NULL;

	pthread_mutex_lock(&pool->lock);
	if (pool->nfree > 0)
		s = pool->free[--pool->nfree];
	pthread_mutex_unlock(&pool->lock);
	if (s == NULL && hs_clone_scratch(pf->proto, &s) != HS_SUCCESS)
		return NULL;
	return s;
}

/* scratch_give - back to the pool (freed if the pool cannot grow) */
static void
scratch_give(const struct prefilter *pf, hs_scratch_t *s)
{
	struct scratch_pool *pool = pf->pool;
	hs_scratch_t **v;
	size_t cap;

	pthread_mutex_lock(&pool->lock);
	if (pool->nfree == pool->cap) {
		cap = pool->cap ? pool->cap * 2 : 8;
		if ((v = realloc(pool->free, cap * sizeof(*v))) != NULL) {
			pool->free = v;
			pool->cap = cap;
		}
	}
	if (pool->nfree < pool->cap) {
		pool->free[pool->nfree++] = s;
		s = NULL;
	}
	pthread_mutex_unlock(&pool->lock);
	hs_free_scratch(s);
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
	    (scratch = scratch_take(pf)) == NULL)
		return;
	for (i = 0; i < pf->n; i++)
		maybe[i] = pf->always[i];
	if (hs_scan(pf->db, s, (unsigned)len, 0, scratch, on_match,
	    maybe) != HS_SUCCESS)
		memset(maybe, 1, pf->n);
	scratch_give(pf, scratch);
}
