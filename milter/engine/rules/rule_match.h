/*
 * rule_match.h - evaluating a ruleset on one message.
 *
 * rule_match_run() evaluates every rule of the scan's configuration: a pattern
 * rule hits once when its pattern matches any value of its target; a
 * detector rule hits when its detector fires. Free-text targets (subject,
 * body, display names, link text, attachment names) are matched in their
 * normalised form (textnorm.h); addresses, domains, URLs and header values
 * as decoded. Matching is caseless.
 */
#ifndef VIGIE_RULE_MATCH_H
#define VIGIE_RULE_MATCH_H

#include "ruleset.h"

struct scanctx;

/*
 * rule_match_target_value - the value of r's target numbered *i (from 0)
 * in this message, *i advanced; 0 when there are no more
 */
int	rule_match_target_value(const struct scanctx *, const struct rule *r,
	    size_t *i, const char **s, size_t *len);

/* rule_match_run - evaluate every rule; -1 on memory failure */
int	rule_match_run(struct scanctx *);

#endif
