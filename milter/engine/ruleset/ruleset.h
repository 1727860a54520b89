/*
 * ruleset.h - the compiled, immutable rules and brands of one configuration.
 *
 * Built by rule_load.c from the rule files named in vigie.conf, then only
 * read: every thread scanning a message shares the ruleset of the
 * configuration it acquired (conf_store.c), so a reload never changes the
 * rules under a message in flight.
 */
#ifndef VIGIE_RULESET_H
#define VIGIE_RULESET_H

#include <stddef.h>

#include "rule_target.h"
#include "strlist.h"

struct detector;
struct pattern;
struct prefilter;

/*
 * A combination rule's arg compiled against the rule set at load time:
 * each item ("ID", "PREFIX*", all_of's "!ITEM") as the rules it names.
 */
struct combo_item {
	size_t	*rules;			/* indexes into ruleset.rules */
	size_t	 nrules;
	int	 negated;		/* must not have hit */
};

struct combo {
	struct combo_item *items;
	size_t	 nitems;
	unsigned long need;		/* at_least's N; 0 for all_of */
};

struct rule {
	char	*id;
	char	*description;
	char	*file;			/* where it was defined, for messages */
	int	 line;
	double	 score;
	int	 monitor;		/* counted and reported, never acted on */
	/* either a pattern on a target ... */
	enum rule_target target;
	char	*header;		/* TARGET_HEADER: the field name */
	char	*pattern_text;		/* as written, for lint */
	struct pattern *pattern;
	int	 body_slot;		/* its place in the body prefilter, or -1 */
	/* ... or a built-in detector, with an optional argument */
	const struct detector *detector;
	char	*detector_arg;
	struct combo *combo;		/* combinations only, else NULL */
	/* strings the rule must and must not match (checked by -n) */
	struct strlist examples_match;
	struct strlist examples_nomatch;
};

struct brand {
	char	*id;
	char	*name;
	char	*file;
	int	 line;
	struct pattern *names;		/* how the brand is named, normalised text */
	char	*names_text;		/* the same, as one pattern's source */
	int	 body_slot;		/* its place in the body prefilter */
	struct strlist sender_domains;	/* genuine sender domains */
	struct strlist link_domains;	/* genuine link domains */
	struct strlist auth_domains;	/* DMARC/DKIM domains */
	struct strlist tokens;		/* label words look-alikes build on */
	struct strlist skeletons;	/* confusable skeletons of the domains */
	struct strlist token_skeletons;	/* and of the tokens */
};

struct ruleset {
	struct rule *rules;
	size_t	 nrules;
	struct brand *brands;
	size_t	 nbrands;
	struct strlist freemail;	/* free-mail provider domains */
	/* every pattern run on the body (rules, then brand names), at once */
	struct prefilter *body_prefilter;
	size_t	 body_slots;
	/* look-alike verdicts per host, shared by the threads (hostmemo.h) */
	struct hostmemo *lookalike_memo;
	/* the brands' words, found through look-alike letters (confusable.h) */
	struct confusable_lexicon *brand_words;
};

void	ruleset_free(struct ruleset *);

#endif
