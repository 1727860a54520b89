/*
 * detect_combo.c - detectors "all_of" and "at_least" (see detect_combo.h).
 */
#include "detect_combo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ruleset.h"
#include "scanctx.h"

/* item_matches - does a rule id answer to this item ("ID" or "PREFIX*")? */
static int
item_matches(const char *id, const char *item, size_t n)
{
	if (n > 0 && item[n - 1] == '*')
		return strncmp(id, item, n - 1) == 0;
	return strlen(id) == n && strncmp(id, item, n) == 0;
}

/* item_hits - how many hits answer to this item */
static size_t
item_hits(const struct scanctx *x, const char *item, size_t n)
{
	size_t i, count = 0;

	for (i = 0; i < x->nhits; i++)
		if (item_matches(x->hits[i].rule->id, item, n))
			count++;
	return count;
}

/* detect_all_of - see detect_combo.h */
int
detect_all_of(struct scanctx *x, const struct rule *r, const char **excerpt,
    size_t *elen)
{
	const char *p = r->detector_arg;
	size_t n;

	(void)excerpt;
	(void)elen;
	while (*p) {
		n = strcspn(p, ",");
		if (*p == '!' ? item_hits(x, p + 1, n - 1) > 0 :
		    item_hits(x, p, n) == 0)
			return 0;
		p += n;
		if (*p == ',')
			p++;
	}
	return 1;
}

/* at_least_parse - "N:items" -> N and the items; 0 on a malformed arg */
static unsigned long
at_least_parse(const char *arg, const char **items)
{
	char *end;
	unsigned long n = strtoul(arg, &end, 10);

	if (end == arg || *end != ':' || n == 0)
		return 0;
	*items = end + 1;
	return n;
}

/* detect_at_least - see detect_combo.h */
int
detect_at_least(struct scanctx *x, const struct rule *r, const char **excerpt,
    size_t *elen)
{
	const char *p = "";
	unsigned long need = at_least_parse(r->detector_arg, &p);
	size_t n, count = 0;

	(void)excerpt;
	(void)elen;
	while (*p) {
		n = strcspn(p, ",");
		count += item_hits(x, p, n);
		p += n;
		if (*p == ',')
			p++;
	}
	return count >= need;
}

/* check_items - every item must name an existing rule */
static int
check_items(const char *p, const struct ruleset *rs, int negation_ok,
    char *why, size_t whylen)
{
	size_t n, i;
	int known;

	if (*p == '\0') {
		snprintf(why, whylen, "no rule ids in arg");
		return -1;
	}
	while (*p) {
		n = strcspn(p, ",");
		if (negation_ok && n > 1 && *p == '!') {
			p++;
			n--;
		}
		for (known = 0, i = 0; i < rs->nrules && !known; i++)
			known = item_matches(rs->rules[i].id, p, n);
		if (n == 0 || !known) {
			snprintf(why, whylen, "no rule matches \"%.*s\"",
			    (int)n, p);
			return -1;
		}
		p += n;
		if (*p == ',')
			p++;
	}
	return 0;
}

/* detect_all_of_check - see detect_combo.h */
int
detect_all_of_check(const char *arg, const struct ruleset *rs, char *why,
    size_t whylen)
{
	return check_items(arg, rs, 1, why, whylen);
}

/* detect_at_least_check - see detect_combo.h */
int
detect_at_least_check(const char *arg, const struct ruleset *rs, char *why,
    size_t whylen)
{
	const char *items;

	if (at_least_parse(arg, &items) == 0) {
		snprintf(why, whylen, "arg \"%s\": use N:ITEM,ITEM,...", arg);
		return -1;
	}
	return check_items(items, rs, 0, why, whylen);
}
