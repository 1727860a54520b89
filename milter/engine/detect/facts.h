/*
 * facts.h - facts about a message that several detectors need.
 *
 * Which brands the message claims to be and where (display name,
 * subject, body), whether the From domain belongs to a brand, and the
 * trusted authentication results: computed once per message on first
 * use, kept in the scanctx.
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

/* facts_ready - compute once; -1 on memory failure */
int	facts_ready(struct scanctx *);

/* facts_domain_is_brand - host within one of the brand's genuine domains */
int	facts_domain_is_brand(const struct brand *, const char *host);

/* facts_from_is_brand - every From address is within the brand's domains */
int	facts_from_is_brand(const struct scanctx *, const struct brand *);

/* facts_authenticated - From within brand's domains with trusted DMARC or DKIM pass */
int	facts_authenticated(const struct scanctx *, const struct brand *);

/* facts_any_brand_domain - host within any brand's genuine domains */
int	facts_any_brand_domain(const struct scanctx *, const char *host);

#endif
