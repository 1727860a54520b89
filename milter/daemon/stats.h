/*
 * stats.h - the daemon's counters, in the Prometheus text format.
 *
 * Messages per action, hits per rule id, anomalies (limits reached),
 * errors, reloads, milter sessions open, and a histogram of the time spent judging a message.
 * Counters are process-wide and keyed by rule id, so they survive
 * reloads. Nothing personal is counted: ids, action words and numbers.
 */
#ifndef VIGIE_STATS_H
#define VIGIE_STATS_H

struct buf;
struct verdict;

enum stats_error {
	STATS_ERROR_INTERNAL,		/* the engine could not judge */
	STATS_ERROR_MODIFY,		/* the MTA refused a header change */
	STATS_ERROR_QUARANTINE,		/* the MTA refused to quarantine */
};

/* stats_message - one judged message and the seconds its judgement took */
void	stats_message(const struct verdict *, double seconds);
void	stats_error(enum stats_error);
void	stats_reload(int ok);
/* stats_session - a milter session opened (+1) or closed (-1) */
void	stats_session(int delta);

/* stats_format - the exposition text; -1 on memory failure */
int	stats_format(struct buf *out);

#endif
