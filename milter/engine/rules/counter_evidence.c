/*
 * counter_evidence.c - which rules only authenticated mail can fire
 * (see counter_evidence.h).
 */
#include "counter_evidence.h"

#include <string.h>

#include "detector.h"
#include "ruleset.h"

/* combinations nest; past this depth (or in a cycle) assume the worst */
#define COUNTER_EVIDENCE_MAX_DEPTH	8

static int authenticated_only(const struct ruleset *, const struct rule *,
    unsigned);

/* item_authenticated - the item names only rules that need authentication */
static int
item_authenticated(const struct ruleset *rs, const struct combo_item *it,
    unsigned depth)
{
	size_t i;

	for (i = 0; i < it->nrules; i++)
		if (!authenticated_only(rs, &rs->rules[it->rules[i]], depth + 1))
			return 0;
	return it->nrules > 0;
}

/*
 * authenticated_only - see counter_evidence_authenticated; reads the
 * combinations as the loader compiled them (struct combo)
 */
static int
authenticated_only(const struct ruleset *rs, const struct rule *r,
    unsigned depth)
{
	const struct combo *c = r->combo;
	size_t i;

	if (r->detector == NULL || depth > COUNTER_EVIDENCE_MAX_DEPTH)
		return 0;
	/* "self": anyone can authenticate a domain he registered */
	if (strcmp(r->detector->name, "brand_authenticated") == 0 ||
	    (strcmp(r->detector->name, "sender_authenticated") == 0 &&
	    strcmp(r->detector_arg, "self") != 0))
		return 1;
	if (c == NULL)
		return 0;
	if (c->need == 0) {
		/* all_of: one required item made of authenticated rules */
		for (i = 0; i < c->nitems; i++)
			if (!c->items[i].negated &&
			    item_authenticated(rs, &c->items[i], depth))
				return 1;
		return 0;
	}
	/* at_least: any item may be the one that counts */
	for (i = 0; i < c->nitems; i++)
		if (!item_authenticated(rs, &c->items[i], depth))
			return 0;
	return c->nitems > 0;
}

/* counter_evidence_authenticated - see counter_evidence.h */
int
counter_evidence_authenticated(const struct ruleset *rs, const struct rule *r)
{
	return authenticated_only(rs, r, 0);
}
