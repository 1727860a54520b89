/*
 * facts.c - shared per-message facts for the detectors (see facts.h).
 */
#include "facts.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "domain.h"
#include "pattern.h"
#include "ruleset.h"
#include "scanctx.h"

/*
 * claims_in - does the brand's name pattern match this text? Where: the
 * first match is kept in *ct, unless an earlier text of the same place
 * (another From display name) already gave one.
 */
static int
claims_in(const struct brand *b, const struct normtext *t,
    unsigned *anomalies, struct claim_text *ct)
{
	size_t ms, me;

	if (t->s == NULL || t->len == 0)
		return 0;
	switch (pattern_match(b->names, t->s, t->len, &ms, &me)) {
	case PATTERN_MATCH:
		if (ct->s == NULL) {
			ct->s = t->s + ms;
			ct->len = me - ms;
		}
		return 1;
	case PATTERN_LIMIT:
		*anomalies |= MV_ANOM_LIMIT_REGEX;
		break;
	case PATTERN_NOMATCH:
		break;
	}
	return 0;
}

/* facts_ready - see facts.h */
int
facts_ready(struct scanctx *x)
{
	const struct ruleset *rs = x->rules;
	size_t i, k;

	if (x->facts_ready)
		return 0;
	if (rs->nbrands > 0 &&
	    ((x->claims = calloc(rs->nbrands, sizeof(*x->claims))) == NULL ||
	    (x->claim_text = calloc(rs->nbrands * FACTS_CLAIM_PLACES,
	    sizeof(*x->claim_text))) == NULL))
		return -1;
	for (i = 0; i < rs->nbrands; i++) {
		const struct brand *b = &rs->brands[i];
		struct claim_text *ct = &x->claim_text[i * FACTS_CLAIM_PLACES];

		for (k = 0; k < x->mv->nfrom; k++)
			if (claims_in(b, &x->from_display[k], &x->anomalies,
			    &ct[0]))
				x->claims[i] |= CLAIM_DISPLAY;
		if (claims_in(b, &x->subject, &x->anomalies, &ct[1]))
			x->claims[i] |= CLAIM_SUBJECT;
		if (scanctx_body_may_match(x, b->body_slot) &&
		    claims_in(b, &x->body, &x->anomalies, &ct[2]))
			x->claims[i] |= CLAIM_BODY;
	}
	x->facts_ready = 1;
	return 0;
}

/* facts_claim_text - see facts.h */
int
facts_claim_text(const struct scanctx *x, size_t i, unsigned where,
    const char **s, size_t *len)
{
	static const unsigned place[FACTS_CLAIM_PLACES] = {
		CLAIM_DISPLAY, CLAIM_SUBJECT, CLAIM_BODY,
	};
	const struct claim_text *ct;
	size_t k;

	if (x->claim_text == NULL)
		return 0;
	ct = &x->claim_text[i * FACTS_CLAIM_PLACES];
	for (k = 0; k < FACTS_CLAIM_PLACES; k++)
		if ((where & place[k]) && ct[k].s != NULL) {
			*s = ct[k].s;
			*len = ct[k].len;
			return 1;
		}
	return 0;
}

/* list_within - host within one of the listed domains */
static int
list_within(const struct strlist *l, const char *host)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (domain_is_within(host, l->v[i]))
			return 1;
	return 0;
}

/* facts_domain_is_brand - see facts.h */
int
facts_domain_is_brand(const struct brand *b, const char *host)
{
	return *host != '\0' && (list_within(&b->sender_domains, host) ||
	    list_within(&b->link_domains, host) ||
	    list_within(&b->auth_domains, host));
}

/* facts_from_is_brand - see facts.h; every From address must be */
int
facts_from_is_brand(const struct scanctx *x, const struct brand *b)
{
	size_t i;

	for (i = 0; i < x->mv->nfrom; i++)
		if (!facts_domain_is_brand(b, x->mv->from[i].domain))
			return 0;
	return x->mv->nfrom > 0;
}

/* facts_authenticated - see facts.h */
int
facts_authenticated(const struct scanctx *x, const struct brand *b)
{
	const struct authres *ar = &x->authres;
	size_t i, k;

	if (!ar->trusted || x->mv->nfrom != 1)
		return 0;
	if (!facts_domain_is_brand(b, x->mv->from[0].domain))
		return 0;
	/* a DMARC result speaks for the From its verifier saw, nothing else */
	if (ar->dmarc == AUTHRES_PASS &&
	    strcasecmp(ar->dmarc_from, x->mv->from[0].domain) == 0)
		return 1;
	if (ar->dmarc == AUTHRES_FAIL)
		return 0;
	/* no DMARC verdict: an aligned DKIM signature of the brand will do */
	for (i = 0; i < ar->ndkim_pass; i++)
		for (k = 0; k < b->auth_domains.n; k++)
			if (domain_is_within(ar->dkim_pass[i],
			    b->auth_domains.v[k]) &&
			    domain_is_within(x->mv->from[0].domain,
			    b->auth_domains.v[k]))
				return 1;
	return 0;
}

/* facts_any_brand_domain - see facts.h */
int
facts_any_brand_domain(const struct scanctx *x, const char *host)
{
	size_t i;

	for (i = 0; i < x->rules->nbrands; i++)
		if (facts_domain_is_brand(&x->rules->brands[i], host))
			return 1;
	return 0;
}

/* facts_first_brand - see facts.h */
size_t
facts_first_brand(struct scanctx *x, brand_test *test, const void *arg)
{
	size_t i;

	for (i = 0; i < x->rules->nbrands; i++)
		if (test(x, i, arg))
			break;
	return i;
}

/* facts_brand_excerpt - see facts.h */
int
facts_brand_excerpt(const struct scanctx *x, size_t i, const char **excerpt,
    size_t *elen)
{
	if (i >= x->rules->nbrands)
		return 0;
	*excerpt = x->rules->brands[i].id;
	*elen = strlen(*excerpt);
	return 1;
}

/* facts_authenticated_as - the sender is authenticated as brand i */
int
facts_authenticated_as(struct scanctx *x, size_t i, const void *arg)
{
	(void)arg;
	return facts_authenticated(x, &x->rules->brands[i]);
}

/* facts_from_within - From is in brand i's domains */
int
facts_from_within(struct scanctx *x, size_t i, const void *arg)
{
	(void)arg;
	return facts_from_is_brand(x, &x->rules->brands[i]);
}
