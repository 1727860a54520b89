/*
 * scanctx.h - what rules and detectors see of one message being judged.
 *
 * The engine builds a scanctx once per message after decoding: the rule
 * set, the view (read-only from then on), the envelope, and the
 * normalised forms (textnorm.c) of the free-text fields, so that no rule
 * normalises anything again. Matching appends hits and records what it
 * runs into (a pattern reaching its limit) in anomalies; the facts
 * several detectors share are computed once, on first use.
 */
#ifndef VIGIE_SCANCTX_H
#define VIGIE_SCANCTX_H

#include <stddef.h>

#include "authres.h"
#include "msgview.h"
#include "verdict.h"

struct rule;
struct ruleset;
struct strlist;

struct normtext {
	const char *s;			/* normalised text, NUL-terminated */
	size_t	 len;
};

struct scanctx {
	const struct ruleset *rules;
	const struct strlist *local_domains;	/* the site's own (conf.h) */
	const struct strlist *partner_domains;
	const struct msgview *mv;
	const char *envelope_sender;	/* MAIL FROM address, "" if unknown */
	unsigned anomalies;		/* enum mv_anomaly bits met while matching */
	int	 to_report_address;	/* every recipient is a report mailbox */

	struct normtext subject;
	struct normtext body;
	struct normtext *from_display;	/* one per mv->from */
	struct normtext *link_text;	/* one per mv->urls; s NULL if none */
	struct normtext *attachment_name; /* one per mv->attachments */

	struct hit *hits;
	size_t	 nhits, cap_hits;

	/* which body patterns may match (prefilter.h), computed on first use */
	unsigned char *body_maybe;

	/* facts several detectors share, computed once (facts.c) */
	int	 facts_ready;
	unsigned char *claims;		/* per brand: enum facts_claim bits */
	struct claim_text *claim_text;	/* per brand: FACTS_CLAIM_PLACES */
	struct authres authres;		/* set by the engine: trusted upstream or vigie's own */
};

/*
 * scanctx_hit - record a hit of rule with a short excerpt (may be NULL);
 * the excerpt must be followed by the rest of its NUL-terminated text
 * and not begin inside a number (redact_number_start()).
 */
int	scanctx_hit(struct scanctx *, const struct rule *, const char *excerpt,
	    size_t excerpt_len);

/* scanctx_free - release what matching allocated (not the view) */
void	scanctx_free(struct scanctx *);

/* scanctx_anomalies - the view's anomalies and those met while matching */
unsigned scanctx_anomalies(const struct scanctx *);

/* scanctx_body_may_match - may the body pattern in this slot match? */
int	scanctx_body_may_match(struct scanctx *, int slot);

#endif
