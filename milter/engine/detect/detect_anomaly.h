/*
 * detect_anomaly.h - detector "anomaly": a structural anomaly of the message.
 */
#ifndef VIGIE_DETECT_ANOMALY_H
#define VIGIE_DETECT_ANOMALY_H

#include <stddef.h>

struct rule;
struct ruleset;
struct scanctx;

int	detect_anomaly(struct scanctx *, const struct rule *,
	    const char **excerpt, size_t *excerpt_len);
int	detect_anomaly_check(const char *arg, const struct ruleset *,
	    char *why, size_t whylen);

#endif
