/*
 * facts.h - facts about a message that several detectors need.
 *
 * Which brands the message claims to be and where (display name,
 * subject, body), whether the From domain belongs to a brand, and the
 * trusted authentication results: computed once per message on first
 * use, kept in the scanctx. And the one loop over the brands that the
 * brand detectors share (facts_first_brand with a brand_test).
 */
#ifndef VIGIE_FACTS_H
#define VIGIE_FACTS_H

#include <stddef.h>

struct brand;
struct scanctx;

enum facts_claim {
	CLAIM_DISPLAY	= 1u << 0,	/* From display name */
	CLAIM_SUBJECT	= 1u << 1,
	CLAIM_BODY	= 1u << 2,	/* visible text */
};

/* the text that made a claim: where the brand's name matched */
struct claim_text {
	const char *s;			/* inside a normalised text; NULL if none */
	size_t	 len;
};
#define FACTS_CLAIM_PLACES	3	/* display, subject, body */

/* facts_ready - compute once; -1 on memory failure */
int	facts_ready(struct scanctx *);

/*
 * facts_claim_text - the words that claimed brand number I in one of the
 * places of WHERE (enum facts_claim bits; display name first, then
 * subject, then body): *s, *len; 0 when none did. After facts_ready().
 */
int	facts_claim_text(const struct scanctx *, size_t i, unsigned where,
	    const char **s, size_t *len);

/* facts_domain_is_brand - host within one of the brand's genuine domains */
int	facts_domain_is_brand(const struct brand *, const char *host);

/* facts_from_is_brand - every From address is within the brand's domains */
int	facts_from_is_brand(const struct scanctx *, const struct brand *);

/* facts_authenticated - From within brand's domains with trusted DMARC or DKIM pass */
int	facts_authenticated(const struct scanctx *, const struct brand *);

/* facts_any_brand_domain - host within any brand's genuine domains */
int	facts_any_brand_domain(const struct scanctx *, const char *host);

/* brand_test - does brand i of the rule set pass one detector's test? */
typedef int brand_test(struct scanctx *, size_t i, const void *arg);

/* facts_first_brand - the one loop of the brand detectors: the index of
 * the first brand passing test (given arg), rs->nbrands when none does */
size_t	facts_first_brand(struct scanctx *, brand_test *, const void *arg);
/* facts_brand_excerpt - brand i's id as the excerpt; 0 when i is past the
 * end (no brand passed), else 1 */
int	facts_brand_excerpt(const struct scanctx *, size_t i,
	    const char **excerpt, size_t *elen);
/* brand tests for facts_first_brand (arg unused): the sender is
 * authenticated as brand i; From is in brand i's domains */
brand_test facts_authenticated_as, facts_from_within;

#endif
