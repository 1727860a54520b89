/*
 * detect_identity.c - detectors "sender_authenticated",
 * "sender_brand_domain" and "sender_links_agree" (see detect_identity.h).
 */
#include "detect_identity.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "authres.h"
#include "domain.h"
#include "facts.h"
#include "ruleset.h"
#include "scanctx.h"

/* detect_sender_authenticated_check - see detect_identity.h */
int
detect_sender_authenticated_check(const char *arg, const struct ruleset *rs,
    char *why, size_t whylen)
{
	(void)rs;
	if (strcmp(arg, "brand") == 0 || strcmp(arg, "local") == 0 ||
	    strcmp(arg, "partner") == 0 || strcmp(arg, "self") == 0)
		return 0;
	snprintf(why, whylen, "arg \"%s\": use brand, local, partner or self",
	    arg);
	return -1;
}

/*
 * authenticated_within - the single From is within one of the listed
 * domains and the trusted results vouch for it: a DMARC pass for the
 * From domain itself, or, with no DMARC verdict, a DKIM pass by a domain
 * within the same listed domain. The listed domain that matched, or NULL.
 */
static const char *
authenticated_within(const struct scanctx *x, const struct strlist *domains)
{
	const struct authres *ar = &x->authres;
	const char *from;
	size_t i, k;

	if (!ar->trusted || x->mv->nfrom != 1)
		return NULL;
	from = x->mv->from[0].domain;
	for (i = 0; i < domains->n; i++) {
		if (!domain_is_within(from, domains->v[i]))
			continue;
		if (ar->dmarc == AUTHRES_PASS &&
		    strcasecmp(ar->dmarc_from, from) == 0)
			return domains->v[i];
		if (ar->dmarc == AUTHRES_FAIL)
			return NULL;
		for (k = 0; k < ar->ndkim_pass; k++)
			if (domain_is_within(ar->dkim_pass[k], domains->v[i]))
				return domains->v[i];
	}
	return NULL;
}

/*
 * authenticated_self - the single From's own domain is vouched for by the
 * trusted results: a DMARC pass for it, or, with no DMARC verdict, a DKIM
 * pass by it or a parent domain. The From domain, or NULL.
 */
static const char *
authenticated_self(const struct scanctx *x)
{
	const struct authres *ar = &x->authres;
	const char *from;
	size_t k;

	if (!ar->trusted || x->mv->nfrom != 1)
		return NULL;
	from = x->mv->from[0].domain;
	if (*from == '\0' || ar->dmarc == AUTHRES_FAIL)
		return NULL;
	if (ar->dmarc == AUTHRES_PASS)
		return strcasecmp(ar->dmarc_from, from) == 0 ? from : NULL;
	for (k = 0; k < ar->ndkim_pass; k++)
		if (domain_is_within(from, ar->dkim_pass[k]))
			return from;
	return NULL;
}

/* detect_sender_authenticated - see detect_identity.h; excerpt: who */
int
detect_sender_authenticated(struct scanctx *x, const struct rule *r,
    const char **excerpt, size_t *elen)
{
	const char *who = NULL;

	if (facts_ready(x) < 0)
		return -1;
	/* a report to the security team is judged for what it forwards:
	 * the colleague who forwards it vouches for none of it */
	if (x->to_report_address && strcmp(r->detector_arg, "brand") != 0)
		return 0;
	if (strcmp(r->detector_arg, "local") == 0)
		who = authenticated_within(x, x->local_domains);
	else if (strcmp(r->detector_arg, "partner") == 0)
		who = authenticated_within(x, x->partner_domains);
	else if (strcmp(r->detector_arg, "self") == 0)
		who = authenticated_self(x);
	else
		return facts_brand_excerpt(x, facts_first_brand(x,
		    facts_authenticated_as, NULL), excerpt, elen);
	if (who == NULL)
		return 0;
	*excerpt = who;
	*elen = strlen(who);
	return 1;
}

/* detect_sender_brand_domain - see detect_identity.h; excerpt: the brand */
int
detect_sender_brand_domain(struct scanctx *x, const struct rule *r,
    const char **excerpt, size_t *elen)
{
	(void)r;
	return facts_brand_excerpt(x, facts_first_brand(x, facts_from_within,
	    NULL), excerpt, elen);
}

/* detect_sender_links_agree - see detect_identity.h; excerpt: the domain */
int
detect_sender_links_agree(struct scanctx *x, const struct rule *r,
    const char **excerpt, size_t *elen)
{
	const struct msgview *mv = x->mv;
	const char *reg;
	size_t i;

	(void)r;
	if (facts_ready(x) < 0)
		return -1;
	if (mv->nfrom != 1 || *mv->from[0].domain == '\0')
		return 0;
	for (i = 0; i < x->rules->nbrands; i++)
		if (x->claims[i] != 0)
			return 0;
	if ((reg = domain_registrable(mv->arena, mv->from[0].domain)) == NULL)
		return -1;
	for (i = 0; i < mv->nurls; i++)
		if (mv->urls[i].source != MV_URL_IMG &&
		    strcasecmp(mv->urls[i].domain, reg) != 0)
			return 0;
	*excerpt = reg;
	*elen = strlen(reg);
	return 1;
}
