/*
 * verdict.h - what vigie decided about one message, and why.
 *
 * verdict_decide() is pure: the hits' scores add up (monitor rules are
 * listed but count zero), the thresholds of the configuration map the
 * total to an action, and the global monitor mode caps what is applied
 * at "tag" while remembering what the score called for; so does mail
 * addressed only to the security team's report mailboxes, which must
 * reach them whatever they carry.
 */
#ifndef VIGIE_VERDICT_H
#define VIGIE_VERDICT_H

#include <stddef.h>

struct rule;

/* one rule that hit, as matching recorded it */
struct hit {
	const struct rule *rule;
	double	 score;			/* 0 for monitor rules in the total */
	const char *excerpt;		/* redacted, short; "" when none */
};

/* the thresholds and mode that map a score to an action */
struct verdict_policy {
	double	 tag;
	double	 quarantine;
	double	 reject;
	int	 monitor;		/* global monitor mode: act at most "tag" */
};

enum action {
	ACTION_ACCEPT,
	ACTION_TAG,
	ACTION_QUARANTINE,
	ACTION_REJECT,
};

struct verdict {
	double	 score;
	enum action scored;		/* what the score calls for */
	enum action action;		/* what is applied */
	int	 monitor;		/* global monitor mode was in force */
	const char *allowed_by;		/* allow-list that skipped the scan, or NULL */
	int	 to_report_address;	/* every recipient is a report_addresses mailbox */
	int	 error;			/* internal failure: on_error applies */
	const struct hit *hits;		/* valid until the engine_msg is freed */
	size_t	 nhits;
	unsigned anomalies;		/* enum mv_anomaly bits */
	const char *auth;		/* authentication results in words; NULL if none */
	const char *forwarded;		/* a report: the verdict of what it forwards,
					   "quarantine score=21.5 rules=A,B"; NULL if none */
	const char *auth_field;		/* vigie's Authentication-Results value, or NULL */
};

const char *action_name(enum action);
void	verdict_decide(const struct verdict_policy *, struct verdict *);

#endif
