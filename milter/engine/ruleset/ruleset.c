/*
 * ruleset.c - releasing a compiled rule set, and its string lists.
 */
#include "ruleset.h"

#include <stdlib.h>
#include <string.h>

#include "confusable.h"
#include "hostmemo.h"
#include "pattern.h"
#include "prefilter.h"

/* combo_free - a compiled combination */
static void
combo_free(struct combo *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->nitems; i++)
		free(c->items[i].rules);
	free(c->items);
	free(c);
}

/* ruleset_free - see ruleset.h */
void
ruleset_free(struct ruleset *rs)
{
	size_t i;

	for (i = 0; i < rs->nrules; i++) {
		struct rule *r = &rs->rules[i];

		free(r->id);
		free(r->description);
		free(r->file);
		free(r->header);
		free(r->pattern_text);
		free(r->detector_arg);
		combo_free(r->combo);
		pattern_free(r->pattern);
		strlist_free(&r->examples_match);
		strlist_free(&r->examples_nomatch);
	}
	free(rs->rules);
	for (i = 0; i < rs->nbrands; i++) {
		struct brand *b = &rs->brands[i];

		free(b->id);
		free(b->name);
		free(b->file);
		free(b->names_text);
		pattern_free(b->names);
		strlist_free(&b->sender_domains);
		strlist_free(&b->link_domains);
		strlist_free(&b->auth_domains);
		strlist_free(&b->tokens);
		strlist_free(&b->skeletons);
		strlist_free(&b->token_skeletons);
	}
	free(rs->brands);
	strlist_free(&rs->freemail);
	prefilter_free(rs->body_prefilter);
	hostmemo_free(rs->lookalike_memo);
	confusable_lexicon_free(rs->brand_words);
	memset(rs, 0, sizeof(*rs));
}
