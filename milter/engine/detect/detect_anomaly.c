/*
 * detect_anomaly.c - detector "anomaly": fires when the decoded message
 * carries the anomaly named by the rule's arg ("multiple_from_fields",
 * "limit_urls", ...; msgview.h lists them). This is how malformed or
 * oversized mail becomes evidence with a score of the admin's choosing.
 */
#include "detect_anomaly.h"

#include <stdio.h>
#include <string.h>

#include "msgview.h"
#include "ruleset.h"
#include "scanctx.h"

/* anomaly_bit - the bit named by arg, 0 if none */
static unsigned
anomaly_bit(const char *arg)
{
	unsigned i;

	for (i = 0; i < MV_ANOM_COUNT; i++)
		if (strcmp(mv_anomaly_name(1u << i), arg) == 0)
			return 1u << i;
	return 0;
}

/* detect_anomaly - see detect_anomaly.h */
int
detect_anomaly(struct scanctx *x, const struct rule *r, const char **excerpt,
    size_t *excerpt_len)
{
	(void)excerpt;
	(void)excerpt_len;
	return (scanctx_anomalies(x) & anomaly_bit(r->detector_arg)) != 0;
}

/* detect_anomaly_check - the arg must name a known anomaly */
int
detect_anomaly_check(const char *arg, const struct ruleset *rs, char *why,
    size_t whylen)
{
	(void)rs;
	if (anomaly_bit(arg) != 0)
		return 0;
	snprintf(why, whylen, "unknown anomaly \"%s\"", arg);
	return -1;
}
