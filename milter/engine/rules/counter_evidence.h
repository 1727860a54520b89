/*
 * counter_evidence.h - can a rule fire for mail nobody authenticated?
 *
 * Counter-evidence (a negative score) must rest on something a sender
 * cannot write himself: the detectors "brand_authenticated" and
 * "sender_authenticated". A combination inherits that property when it
 * requires such a rule ("all_of" with one non-negated item made only of
 * them) or can only count such rules ("at_least" whose items are all of
 * them). lint.c warns about every negative rule for which this is not so.
 */
#ifndef VIGIE_COUNTER_EVIDENCE_H
#define VIGIE_COUNTER_EVIDENCE_H

struct rule;
struct ruleset;

/* counter_evidence_authenticated - 1 when the rule fires only for mail
 * authenticated as a brand, the site itself or a partner */
int	counter_evidence_authenticated(const struct ruleset *,
	    const struct rule *);

#endif
