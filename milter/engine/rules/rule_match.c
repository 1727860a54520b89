/*
 * rule_match.c - rule targets and the evaluation of a ruleset on a message.
 */
#include "rule_match.h"

#include <string.h>
#include <strings.h>

#include "detector.h"
#include "pattern.h"
#include "redact.h"
#include "scanctx.h"

/* rule_match_target_value - see rule_match.h */
int
rule_match_target_value(const struct scanctx *x, const struct rule *r,
    size_t *i, const char **s, size_t *len)
{
	const struct msgview *mv = x->mv;
	const char *v = NULL;

	for (;;) {
		size_t k = (*i)++;

		switch (r->target) {
		case TARGET_SUBJECT:
			if (k > 0)
				return 0;
			*s = x->subject.s;
			*len = x->subject.len;
			return 1;
		case TARGET_BODY:
			if (k > 0)
				return 0;
			*s = x->body.s;
			*len = x->body.len;
			return 1;
		case TARGET_FROM_DISPLAY:
			if (k >= mv->nfrom)
				return 0;
			*s = x->from_display[k].s;
			*len = x->from_display[k].len;
			return 1;
		case TARGET_FROM_ADDRESS:
			if (k >= mv->nfrom)
				return 0;
			v = mv->from[k].addr;
			break;
		case TARGET_FROM_DOMAIN:
			if (k >= mv->nfrom)
				return 0;
			v = mv->from[k].domain;
			break;
		case TARGET_ENVELOPE_SENDER:
			if (k > 0)
				return 0;
			v = x->envelope_sender;
			break;
		case TARGET_REPLY_TO:
			if (k >= mv->nreply_to)
				return 0;
			v = mv->reply_to[k].addr;
			break;
		case TARGET_RETURN_PATH:
			if (k > 0)
				return 0;
			v = *x->envelope_sender ? x->envelope_sender :
			    mv->return_path;
			break;
		case TARGET_HEADER:
			if (k >= mv->nheaders)
				return 0;
			if (strcasecmp(mv->headers[k].name, r->header) != 0)
				continue;
			v = mv->headers[k].value;
			break;
		case TARGET_URL:
		case TARGET_URL_HOST:
		case TARGET_URL_DOMAIN:
		case TARGET_URL_PATH:
			if (k >= mv->nurls)
				return 0;
			v = r->target == TARGET_URL ? mv->urls[k].url :
			    r->target == TARGET_URL_HOST ? mv->urls[k].host :
			    r->target == TARGET_URL_DOMAIN ?
			    mv->urls[k].domain : mv->urls[k].path;
			break;
		case TARGET_LINK_TEXT:
			if (k >= mv->nurls)
				return 0;
			if (x->link_text[k].s == NULL)
				continue;
			*s = x->link_text[k].s;
			*len = x->link_text[k].len;
			return 1;
		case TARGET_ATTACHMENT_NAME:
			if (k >= mv->nattachments)
				return 0;
			*s = x->attachment_name[k].s;
			*len = x->attachment_name[k].len;
			return 1;
		case TARGET_ATTACHMENT_TYPE:
			/* declared and sniffed types are both values */
			if (k >= 2 * mv->nattachments)
				return 0;
			v = k % 2 == 0 ? mv->attachments[k / 2].declared_type :
			    mv->attachments[k / 2].sniffed_type;
			break;
		}
		*s = v;
		*len = strlen(v);
		return 1;
	}
}

/* rule_match_pattern - a pattern rule: first matching value wins */
static int
rule_match_pattern(struct scanctx *x, const struct rule *r)
{
	size_t i = 0, len, ms, me;
	const char *s;

	if (r->target == TARGET_BODY &&
	    !scanctx_body_may_match(x, r->body_slot))
		return 0;
	while (rule_match_target_value(x, r, &i, &s, &len)) {
		switch (pattern_match(r->pattern, s, len, &ms, &me)) {
		case PATTERN_MATCH:
			ms = redact_number_start(s, ms);
			return scanctx_hit(x, r, s + ms, me - ms);
		case PATTERN_LIMIT:
			x->anomalies |= MV_ANOM_LIMIT_REGEX;
			break;
		case PATTERN_NOMATCH:
			break;
		}
	}
	return 0;
}

/* rule_match_run - see rule_match.h */
int
rule_match_run(struct scanctx *x)
{
	const struct ruleset *rs = x->rules;
	const char *excerpt;
	size_t i, elen;
	enum detector_stage stage;
	int fired;

	/* patterns first, then detectors stage by stage (detector.h) */
	for (i = 0; i < rs->nrules; i++) {
		const struct rule *r = &rs->rules[i];

		if (r->pattern != NULL && rule_match_pattern(x, r) < 0)
			return -1;
	}
	for (stage = DETECTOR_EVIDENCE; stage < DETECTOR_STAGES; stage++)
		for (i = 0; i < rs->nrules; i++) {
			const struct rule *r = &rs->rules[i];

			if (r->detector == NULL || r->detector->stage != stage)
				continue;
			excerpt = NULL;
			elen = 0;
			if ((fired = r->detector->run(x, r, &excerpt,
			    &elen)) < 0)
				return -1;
			if (fired && scanctx_hit(x, r, excerpt, elen) < 0)
				return -1;
		}
	return 0;
}
