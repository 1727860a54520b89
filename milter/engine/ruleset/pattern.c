/*
 * pattern.c - PCRE2 wrapper: compile once, JIT, bounded per-thread matching.
 *
 * Each thread lazily gets one match-data block (one ovector pair is all
 * a rule needs: where the match is) registered with a pthread key whose
 * destructor frees it, because libmilter starts a thread per connection
 * and thread-local storage alone would leak one block per connection.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "pattern.h"

#include <pcre2.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct pattern {
	pcre2_code *code;
	pcre2_match_context *mctx;
	int	 jit;
};

static pthread_key_t pattern_md_key;
static pthread_once_t pattern_md_once = PTHREAD_ONCE_INIT;

/* pattern_md_destroy - pthread key destructor */
static void
pattern_md_destroy(void *md)
{
	pcre2_match_data_free(md);
}

/* pattern_md_key_init - create the key once */
static void
pattern_md_key_init(void)
{
	(void)pthread_key_create(&pattern_md_key, pattern_md_destroy);
}

/* pattern_md - this thread's match data, NULL on memory failure */
static pcre2_match_data *
pattern_md(void)
{
	pcre2_match_data *md;

	(void)pthread_once(&pattern_md_once, pattern_md_key_init);
	if ((md = pthread_getspecific(pattern_md_key)) != NULL)
		return md;
	if ((md = pcre2_match_data_create(1, NULL)) == NULL)
		return NULL;
	if (pthread_setspecific(pattern_md_key, md) != 0) {
		pcre2_match_data_free(md);
		return NULL;
	}
	return md;
}

/* pattern_compile - see pattern.h */
struct pattern *
pattern_compile(const char *re, unsigned long match_limit,
    unsigned long depth_limit, char *err, size_t errlen, size_t *erroff)
{
	struct pattern *p;
	int code;
	PCRE2_SIZE off = 0;

	*erroff = 0;
	if ((p = calloc(1, sizeof(*p))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	p->code = pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED,
	    PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_CASELESS |
	    PCRE2_NEVER_BACKSLASH_C, &code, &off, NULL);
	if (p->code == NULL) {
		pcre2_get_error_message(code, (PCRE2_UCHAR *)err, errlen);
		*erroff = off;
		free(p);
		return NULL;
	}
	p->jit = pcre2_jit_compile(p->code, PCRE2_JIT_COMPLETE) == 0;
	if ((p->mctx = pcre2_match_context_create(NULL)) == NULL) {
		snprintf(err, errlen, "out of memory");
		pattern_free(p);
		return NULL;
	}
	pcre2_set_match_limit(p->mctx, (uint32_t)match_limit);
	pcre2_set_depth_limit(p->mctx, (uint32_t)depth_limit);
	return p;
}

/* pattern_free - release a compiled pattern */
void
pattern_free(struct pattern *p)
{
	if (p == NULL)
		return;
	pcre2_match_context_free(p->mctx);
	pcre2_code_free(p->code);
	free(p);
}

/* pattern_match - see pattern.h; an internal error counts as a limit */
enum pattern_result
pattern_match(const struct pattern *p, const char *s, size_t len,
    size_t *mstart, size_t *mend)
{
	pcre2_match_data *md;
	PCRE2_SIZE *ov;
	int rc;

	if ((md = pattern_md()) == NULL)
		return PATTERN_LIMIT;
	rc = pcre2_match(p->code, (PCRE2_SPTR)s, len, 0, 0, md, p->mctx);
	if (rc == PCRE2_ERROR_NOMATCH)
		return PATTERN_NOMATCH;
	if (rc < 0)
		return PATTERN_LIMIT;
	ov = pcre2_get_ovector_pointer(md);
	*mstart = ov[0];
	*mend = ov[1] >= ov[0] ? ov[1] : ov[0];
	return PATTERN_MATCH;
}
