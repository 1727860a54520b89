/*
 * detect_combo.c - detectors "all_of" and "at_least" (see detect_combo.h).
 *
 * The arg is compiled once, when the rule set is loaded, into the rule
 * indexes each item names (struct combo, ruleset.h); at run time a
 * combination only looks those rules up among the message's hits.
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

/* rule_has_hit - has the rule at this index hit this message? */
static int
rule_has_hit(const struct scanctx *x, size_t index)
{
	const struct rule *r = &x->rules->rules[index];
	size_t i;

	for (i = 0; i < x->nhits; i++)
		if (x->hits[i].rule == r)
			return 1;
	return 0;
}

/* item_hits - how many of the item's rules have hit */
static size_t
item_hits(const struct scanctx *x, const struct combo_item *it)
{
	size_t i, count = 0;

	for (i = 0; i < it->nrules; i++)
		count += rule_has_hit(x, it->rules[i]);
	return count;
}

/* detect_all_of - see detect_combo.h */
int
detect_all_of(struct scanctx *x, const struct rule *r, const char **excerpt,
    size_t *elen)
{
	const struct combo *c = r->combo;
	size_t i;

	(void)excerpt;
	(void)elen;
	for (i = 0; i < c->nitems; i++)
		if ((item_hits(x, &c->items[i]) > 0) == c->items[i].negated)
			return 0;
	return 1;
}

/* detect_at_least - see detect_combo.h */
int
detect_at_least(struct scanctx *x, const struct rule *r, const char **excerpt,
    size_t *elen)
{
	const struct combo *c = r->combo;
	size_t i, count = 0;

	(void)excerpt;
	(void)elen;
	for (i = 0; i < c->nitems; i++)
		count += item_hits(x, &c->items[i]);
	return count >= c->need;
}

/* compile_item - the rules one item names; 0, or -1 with why (or memory) */
static int
compile_item(struct combo_item *it, const char *p, size_t n,
    const struct ruleset *rs, char *why, size_t whylen)
{
	size_t i;

	for (i = 0; i < rs->nrules; i++) {
		size_t *v;

		if (!item_matches(rs->rules[i].id, p, n))
			continue;
		if ((v = realloc(it->rules, (it->nrules + 1) *
		    sizeof(*v))) == NULL) {
			snprintf(why, whylen, "out of memory");
			return -1;
		}
		it->rules = v;
		it->rules[it->nrules++] = i;
	}
	if (n == 0 || it->nrules == 0) {
		snprintf(why, whylen, "no rule matches \"%.*s\"", (int)n, p);
		return -1;
	}
	return 0;
}

/* compile_items - "ITEM,ITEM,..." into r->combo, which is then set */
static int
compile_items(struct rule *r, const char *p, unsigned long need,
    int negation_ok, const struct ruleset *rs, char *why, size_t whylen)
{
	struct combo *c;
	size_t n;

	if (*p == '\0') {
		snprintf(why, whylen, "no rule ids in arg");
		return -1;
	}
	if ((r->combo = c = calloc(1, sizeof(*c))) == NULL) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	c->need = need;
	while (*p) {
		struct combo_item *items, *it;

		n = strcspn(p, ",");
		if ((items = realloc(c->items, (c->nitems + 1) *
		    sizeof(*items))) == NULL) {
			snprintf(why, whylen, "out of memory");
			return -1;
		}
		c->items = items;
		it = &c->items[c->nitems++];
		memset(it, 0, sizeof(*it));
		if (negation_ok && n > 1 && *p == '!') {
			it->negated = 1;
			p++;
			n--;
		}
		if (compile_item(it, p, n, rs, why, whylen) < 0)
			return -1;
		p += n;
		if (*p == ',')
			p++;
	}
	return 0;
}

/* detect_all_of_compile - see detect_combo.h */
int
detect_all_of_compile(struct rule *r, const struct ruleset *rs, char *why,
    size_t whylen)
{
	return compile_items(r, r->detector_arg, 0, 1, rs, why, whylen);
}

/* detect_at_least_compile - see detect_combo.h; arg "N:ITEM,..." */
int
detect_at_least_compile(struct rule *r, const struct ruleset *rs, char *why,
    size_t whylen)
{
	const char *arg = r->detector_arg;
	char *end;
	unsigned long need = strtoul(arg, &end, 10);

	if (end == arg || *end != ':' || need == 0) {
		snprintf(why, whylen, "arg \"%s\": use N:ITEM,ITEM,...", arg);
		return -1;
	}
	return compile_items(r, end + 1, need, 0, rs, why, whylen);
}
