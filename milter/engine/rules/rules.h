/*
 * rules.h - rule targets and evaluation of a ruleset on one message.
 *
 * rules_run() evaluates every rule of the scan's configuration: a pattern
 * rule hits once when its pattern matches any value of its target; a
 * detector rule hits when its detector fires. Free-text targets (subject,
 * body, display names, link text, attachment names) are matched in their
 * normalised form (textnorm.h); addresses, domains, URLs and header values
 * as decoded. Matching is caseless.
 */
#ifndef VIGIE_RULES_H
#define VIGIE_RULES_H

#include "ruleset.h"

struct scanctx;

/* rules_target_parse - "subject", "header:X-Mailer", ...; -1 if unknown */
int	rules_target_parse(const char *name, enum rule_target *,
	    const char **header);
const char *rules_target_name(enum rule_target);
int	rules_target_normalised(enum rule_target);
/* rules_target_names - comma-separated list, for error messages */
const char *rules_target_names(void);

/* rules_run - evaluate every rule; -1 on memory failure */
int	rules_run(struct scanctx *);

#endif
