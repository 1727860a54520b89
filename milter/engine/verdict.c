/*
 * verdict.c - from hits to a score and an action.
 */
#include "verdict.h"

#include "conf.h"
#include "scanctx.h"

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
verdict_decide(const struct conf *c, struct verdict *v)
{
	size_t i;

	v->score = 0;
	for (i = 0; i < v->nhits; i++)
		if (!v->hits[i].rule->monitor)
			v->score += v->hits[i].score;
	if (v->score >= c->thr_reject)
		v->scored = ACTION_REJECT;
	else if (v->score >= c->thr_quarantine)
		v->scored = ACTION_QUARANTINE;
	else if (v->score >= c->thr_tag)
		v->scored = ACTION_TAG;
	else
		v->scored = ACTION_ACCEPT;
	v->monitor = c->mode == CONF_MODE_MONITOR;
	v->action = v->scored;
	if ((v->monitor || v->to_report_address) && v->action > ACTION_TAG)
		v->action = ACTION_TAG;
}
