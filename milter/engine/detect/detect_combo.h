/*
 * detect_combo.h - detectors that combine other rules' hits.
 *
 *   all_of    arg "ITEM,ITEM,...": every item has hit
 *   at_least  arg "N:ITEM,ITEM,...": at least N rules matching the items hit
 *
 * An item is a rule id, an id prefix ending in '*' ("LURE_*"), or, in
 * all_of, "!ITEM" for a rule that must NOT have hit. Combinations run
 * after every other rule, in file order, so a combination may use an
 * earlier one. This is how evidence adds up: a brand claim alone scores
 * little, a claim with a lure and a link much more, and an awareness
 * note quoting lures, with nothing impersonated, counts against.
 */
#ifndef VIGIE_DETECT_COMBO_H
#define VIGIE_DETECT_COMBO_H

#include <stddef.h>

struct rule;
struct ruleset;
struct scanctx;

int	detect_all_of(struct scanctx *, const struct rule *, const char **,
	    size_t *);
int	detect_all_of_compile(struct rule *, const struct ruleset *, char *,
	    size_t);
int	detect_at_least(struct scanctx *, const struct rule *, const char **,
	    size_t *);
int	detect_at_least_compile(struct rule *, const struct ruleset *,
	    char *, size_t);

#endif
