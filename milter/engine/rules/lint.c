/*
 * lint.c - warnings about legal but suspicious rules (lint.h).
 *
 * Backtracking is tested, not guessed: each pattern is run on a few
 * crafted subjects (long runs of one character, of word-space pairs,
 * ending in a character that defeats the match) with the configured
 * match limit; a pattern that reaches the limit on them will also do so
 * on an attacker's text, where it only records LIMIT_REGEX.
 */
#include "lint.h"

#include <string.h>

#include "buf.h"
#include "counter_evidence.h"
#include "detector.h"
#include "pattern.h"
#include "rule_match.h"
#include "ruleset.h"

#define LINT_SUBJECT_LEN	4000

/* warn - one warning line; who is "rule ID", "brand ID" or a key */
static void
warn(struct buf *w, size_t *n, const char *file, int line, const char *kind,
    const char *id, const char *what)
{
	(void)buf_printf(w, "%s:%d: %s%s%s: warning: %s\n", file, line, kind,
	    *kind ? " " : "", id, what);
	(*n)++;
}

/* backtracks - does the pattern reach its match limit on crafted text? */
static int
backtracks(const struct pattern *p)
{
	static const char *const units[] = { "a", "a ", "0", "a.", "aa-", " " };
	char subject[LINT_SUBJECT_LEN + 2];
	size_t u, i, ul, ms, me;

	for (u = 0; u < sizeof(units) / sizeof(units[0]); u++) {
		ul = strlen(units[u]);
		for (i = 0; i + ul <= LINT_SUBJECT_LEN; i += ul)
			memcpy(subject + i, units[u], ul);
		subject[i++] = '!';
		subject[i] = '\0';
		if (pattern_match(p, subject, i, &ms, &me) == PATTERN_LIMIT)
			return 1;
	}
	return 0;
}

/* has_non_ascii_letter - an accented Latin letter, which normalised text lacks */
static int
has_non_ascii_letter(const char *re)
{
	for (; *re; re++)
		if ((unsigned char)*re >= 0xC3 && (unsigned char)*re <= 0xC5)
			return 1;	/* lead bytes of Latin-1/Extended-A letters */
	return 0;
}

/* item_has - does a compiled combination item name the rule at index? */
static int
item_has(const struct combo_item *it, size_t index)
{
	size_t k;

	for (k = 0; k < it->nrules; k++)
		if (it->rules[k] == index)
			return 1;
	return 0;
}

/* referenced - does some combination rule name the rule at index? */
static int
referenced(const struct ruleset *rs, size_t index)
{
	size_t i, j;

	for (i = 0; i < rs->nrules; i++) {
		const struct combo *c = rs->rules[i].combo;

		for (j = 0; c != NULL && j < c->nitems; j++)
			if (item_has(&c->items[j], index))
				return 1;
	}
	return 0;
}

/* same_rules - do two items name the same rules? */
static int
same_rules(const struct combo_item *a, const struct combo_item *b)
{
	size_t k;

	if (a->nrules != b->nrules)
		return 0;
	for (k = 0; k < a->nrules; k++)
		if (!item_has(b, a->rules[k]))
			return 0;
	return 1;
}

/* contradicts - a combination that needs rules and their negation */
static int
contradicts(const struct combo *c)
{
	size_t i, j;

	for (i = 0; i < c->nitems; i++)
		for (j = 0; j < c->nitems; j++)
			if (c->items[i].negated && !c->items[j].negated &&
			    same_rules(&c->items[i], &c->items[j]))
				return 1;
	return 0;
}

/* lint_ruleset - see lint.h */
size_t
lint_ruleset(const struct ruleset *rs, const char *conf_path, struct buf *w)
{
	size_t i, n = 0;
	int brand_detectors = 0;

	for (i = 0; i < rs->nrules; i++) {
		const struct rule *r = &rs->rules[i];

		if (r->pattern != NULL && backtracks(r->pattern))
			warn(w, &n, r->file, r->line, "rule", r->id, "pattern reaches "
			    "the match limit on crafted text (catastrophic "
			    "backtracking?): on mail it would only record "
			    "LIMIT_REGEX");
		if (r->pattern_text != NULL &&
		    rule_target_normalised(r->target) &&
		    has_non_ascii_letter(r->pattern_text))
			warn(w, &n, r->file, r->line, "rule", r->id, "accented letters "
			    "in a pattern on normalised text (accents are "
			    "removed before matching): write them unaccented");
		if (r->score == 0 && !r->monitor && !referenced(rs, i))
			warn(w, &n, r->file, r->line, "rule", r->id, "score 0, not "
			    "monitor and used by no combination: no effect");
		if (r->combo != NULL && contradicts(r->combo))
			warn(w, &n, r->file, r->line, "rule", r->id, "all_of needs a "
			    "rule and its negation: can never fire");
		if (r->score < 0 && !counter_evidence_authenticated(rs, r))
			warn(w, &n, r->file, r->line, "rule", r->id, "negative "
			    "score that mail nobody authenticated can trigger: "
			    "require sender_authenticated or "
			    "brand_authenticated (all_of)");
		if (r->detector != NULL && strncmp(r->detector->name,
		    "brand", 5) == 0)
			brand_detectors = 1;
	}
	if (brand_detectors && rs->nbrands == 0)
		warn(w, &n, conf_path, 0, "", "brands", "brand detectors are used "
		    "but no brand is defined: they can never fire");
	for (i = 0; i < rs->nbrands; i++) {
		const struct brand *b = &rs->brands[i];

		if (b->auth_domains.n == 0)
			warn(w, &n, b->file, b->line, "brand", b->id, "no auth_domains: "
			    "its genuine mail can never be recognised as "
			    "authenticated");
		if (backtracks(b->names))
			warn(w, &n, b->file, b->line, "brand", b->id, "names reach the "
			    "match limit on crafted text");
	}
	return n;
}
