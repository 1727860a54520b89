/*
 * verdict.c - from hits to a score and an action.
 */
#include "verdict.h"

#include "ruleset.h"

/* action_name - the word used in headers, logs and JSON */
const char *
action_name(enum action a)
{
	switch (a) {
	case ACTION_TAG:
		return "tag";
	case ACTION_QUARANTINE:
		return "quarantine";
	case ACTION_REJECT:
		return "reject";
	case ACTION_ACCEPT:
		break;
	}
	return "accept";
}

/* verdict_decide - see verdict.h */
void
verdict_decide(const struct verdict_policy *p, struct verdict *v)
{
	size_t i;

	v->score = 0;
	for (i = 0; i < v->nhits; i++)
		if (!v->hits[i].rule->monitor)
			v->score += v->hits[i].score;
	if (v->score >= p->reject)
		v->scored = ACTION_REJECT;
	else if (v->score >= p->quarantine)
		v->scored = ACTION_QUARANTINE;
	else if (v->score >= p->tag)
		v->scored = ACTION_TAG;
	else
		v->scored = ACTION_ACCEPT;
	v->monitor = p->monitor;
	v->action = v->scored;
	if ((v->monitor || v->to_report_address) && v->action > ACTION_TAG)
		v->action = ACTION_TAG;
}
