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

/* item_names - does combination item ("ID" or "PREFIX*", n bytes) name id? */
static int
item_names(const char *item, size_t n, const char *id)
{
	if (n > 0 && item[n - 1] == '*')
		return strncmp(id, item, n - 1) == 0;
	return strlen(id) == n && strncmp(id, item, n) == 0;
}

/* item_authenticated - item names at least one rule and only such rules */
static int
item_authenticated(const struct ruleset *rs, const char *item, size_t n,
    unsigned depth)
{
	size_t i, named = 0;

	for (i = 0; i < rs->nrules; i++) {
		if (!item_names(item, n, rs->rules[i].id))
			continue;
		if (!authenticated_only(rs, &rs->rules[i], depth + 1))
			return 0;
		named++;
	}
	return named > 0;
}

/* authenticated_only - see counter_evidence_authenticated */
static int
authenticated_only(const struct ruleset *rs, const struct rule *r,
    unsigned depth)
{
	const char *p, *name;
	size_t n;
	int all_of;

	if (r->detector == NULL || depth > COUNTER_EVIDENCE_MAX_DEPTH)
		return 0;
	name = r->detector->name;
	if (strcmp(name, "brand_authenticated") == 0 ||
	    strcmp(name, "sender_authenticated") == 0)
		return 1;
	all_of = strcmp(name, "all_of") == 0;
	if (!all_of && strcmp(name, "at_least") != 0)
		return 0;
	p = r->detector_arg;
	if (!all_of && (p = strchr(p, ':')) != NULL)
		p++;
	for (; p != NULL && *p; p += n + (p[n] == ',')) {
		n = strcspn(p, ",");
		if (all_of) {
			/* one required item made of authenticated rules is enough */
			if (*p != '!' && item_authenticated(rs, p, n, depth))
				return 1;
		} else if (!item_authenticated(rs, p, n, depth))
			return 0;	/* at_least: any item may be the one */
	}
	return !all_of && p != NULL;
}

/* counter_evidence_authenticated - see counter_evidence.h */
int
counter_evidence_authenticated(const struct ruleset *rs, const struct rule *r)
{
	return authenticated_only(rs, r, 0);
}
