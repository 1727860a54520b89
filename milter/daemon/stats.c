/*
 * stats.c - process-wide counters behind one mutex (stats.h).
 *
 * A message takes the lock once; at a few microseconds per message that
 * is far below the cost of judging it. Rule ids are remembered in a
 * fixed table the first time they hit; ids past its size are counted
 * under "other" rather than growing memory without bound.
 */
#include "stats.h"

#include <pthread.h>
#include <string.h>

#include "buf.h"
#include "msgview.h"
#include "ruleset.h"
#include "scanctx.h"
#include "verdict.h"

#define STATS_MAX_RULES	1024
#define STATS_ID_MAX	65

static const double stats_buckets[] = {
	0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 5,
};
#define NBUCKETS (sizeof(stats_buckets) / sizeof(stats_buckets[0]))

static pthread_mutex_t stats_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned long stats_actions[ACTION_REJECT + 1];
static unsigned long stats_monitor_would[ACTION_REJECT + 1];
static unsigned long stats_allowed;
static unsigned long stats_errors[STATS_ERROR_QUARANTINE + 1];
static unsigned long stats_anomalies[MV_ANOM_COUNT];
static unsigned long stats_reloads[2];
static long stats_sessions_open;
static unsigned long stats_sessions_total;
static unsigned long stats_hist[NBUCKETS + 1];
static double stats_seconds_sum;
static unsigned long stats_seconds_count;
static struct {
	char	 id[STATS_ID_MAX];
	unsigned long hits;
} stats_rules[STATS_MAX_RULES];
static size_t stats_nrules;
static unsigned long stats_rules_other;

/* rule_slot - counter of a rule id; lock held */
static unsigned long *
rule_slot(const char *id)
{
	size_t i;

	for (i = 0; i < stats_nrules; i++)
		if (strcmp(stats_rules[i].id, id) == 0)
			return &stats_rules[i].hits;
	if (stats_nrules == STATS_MAX_RULES || strlen(id) >= STATS_ID_MAX)
		return &stats_rules_other;
	strcpy(stats_rules[stats_nrules].id, id);
	return &stats_rules[stats_nrules++].hits;
}

/* stats_message - see stats.h */
void
stats_message(const struct verdict *v, double seconds)
{
	size_t i;

	pthread_mutex_lock(&stats_lock);
	stats_actions[v->action]++;
	if (v->monitor)
		stats_monitor_would[v->scored]++;
	if (v->allowed_by != NULL)
		stats_allowed++;
	for (i = 0; i < v->nhits; i++)
		(*rule_slot(v->hits[i].rule->id))++;
	for (i = 0; i < MV_ANOM_COUNT; i++)
		if (v->anomalies & (1u << i))
			stats_anomalies[i]++;
	for (i = 0; i < NBUCKETS && seconds > stats_buckets[i]; i++)
		;
	stats_hist[i]++;
	stats_seconds_sum += seconds;
	stats_seconds_count++;
	pthread_mutex_unlock(&stats_lock);
}

/* stats_error - see stats.h */
void
stats_error(enum stats_error e)
{
	pthread_mutex_lock(&stats_lock);
	stats_errors[e]++;
	pthread_mutex_unlock(&stats_lock);
}

/* stats_reload - see stats.h */
void
stats_reload(int ok)
{
	pthread_mutex_lock(&stats_lock);
	stats_reloads[ok ? 1 : 0]++;
	pthread_mutex_unlock(&stats_lock);
}

/* stats_session - see stats.h */
void
stats_session(int delta)
{
	pthread_mutex_lock(&stats_lock);
	stats_sessions_open += delta;
	if (delta > 0)
		stats_sessions_total++;
	pthread_mutex_unlock(&stats_lock);
}

/* stats_format - see stats.h */
int
stats_format(struct buf *b)
{
	static const char *const errors[] = { "internal", "modify",
	    "quarantine" };
	unsigned long cumulative = 0;
	size_t i;
	int rc = 0, a;

	pthread_mutex_lock(&stats_lock);
	rc |= buf_append_str(b, "# HELP vigie_messages_total Messages judged, "
	    "by action applied.\n# TYPE vigie_messages_total counter\n");
	for (a = ACTION_ACCEPT; a <= ACTION_REJECT; a++)
		rc |= buf_printf(b, "vigie_messages_total{action=\"%s\"} %lu\n",
		    action_name(a), stats_actions[a]);
	rc |= buf_append_str(b, "# HELP vigie_monitor_would_total In monitor "
	    "mode, the action the score called for.\n"
	    "# TYPE vigie_monitor_would_total counter\n");
	for (a = ACTION_ACCEPT; a <= ACTION_REJECT; a++)
		rc |= buf_printf(b, "vigie_monitor_would_total{action=\"%s\"} "
		    "%lu\n", action_name(a), stats_monitor_would[a]);
	rc |= buf_printf(b, "# HELP vigie_allowed_total Messages not scanned "
	    "(allow-lists).\n# TYPE vigie_allowed_total counter\n"
	    "vigie_allowed_total %lu\n", stats_allowed);
	rc |= buf_append_str(b, "# HELP vigie_rule_hits_total Messages each "
	    "rule hit.\n# TYPE vigie_rule_hits_total counter\n");
	for (i = 0; i < stats_nrules; i++)
		rc |= buf_printf(b, "vigie_rule_hits_total{rule=\"%s\"} %lu\n",
		    stats_rules[i].id, stats_rules[i].hits);
	if (stats_rules_other > 0)
		rc |= buf_printf(b, "vigie_rule_hits_total{rule=\"other\"} "
		    "%lu\n", stats_rules_other);
	rc |= buf_append_str(b, "# HELP vigie_anomalies_total Messages with "
	    "each anomaly, limits reached included.\n"
	    "# TYPE vigie_anomalies_total counter\n");
	for (i = 0; i < MV_ANOM_COUNT; i++)
		rc |= buf_printf(b, "vigie_anomalies_total{anomaly=\"%s\"} %lu\n",
		    mv_anomaly_name(1u << i), stats_anomalies[i]);
	rc |= buf_append_str(b, "# HELP vigie_errors_total Failures handled "
	    "by on_error.\n# TYPE vigie_errors_total counter\n");
	for (i = 0; i < 3; i++)
		rc |= buf_printf(b, "vigie_errors_total{kind=\"%s\"} %lu\n",
		    errors[i], stats_errors[i]);
	rc |= buf_printf(b, "# HELP vigie_reloads_total Configuration reloads."
	    "\n# TYPE vigie_reloads_total counter\n"
	    "vigie_reloads_total{result=\"ok\"} %lu\n"
	    "vigie_reloads_total{result=\"failed\"} %lu\n",
	    stats_reloads[1], stats_reloads[0]);
	rc |= buf_printf(b, "# HELP vigie_sessions_open Milter sessions (MTA "
	    "connections) open now.\n# TYPE vigie_sessions_open gauge\n"
	    "vigie_sessions_open %ld\n# HELP vigie_sessions_total Milter "
	    "sessions opened.\n# TYPE vigie_sessions_total counter\n"
	    "vigie_sessions_total %lu\n", stats_sessions_open,
	    stats_sessions_total);
	rc |= buf_append_str(b, "# HELP vigie_scan_seconds Time to judge a "
	    "message.\n# TYPE vigie_scan_seconds histogram\n");
	for (i = 0; i < NBUCKETS; i++) {
		cumulative += stats_hist[i];
		rc |= buf_printf(b, "vigie_scan_seconds_bucket{le=\"%g\"} %lu\n",
		    stats_buckets[i], cumulative);
	}
	cumulative += stats_hist[NBUCKETS];
	rc |= buf_printf(b, "vigie_scan_seconds_bucket{le=\"+Inf\"} %lu\n"
	    "vigie_scan_seconds_sum %.6f\nvigie_scan_seconds_count %lu\n",
	    cumulative, stats_seconds_sum, stats_seconds_count);
	pthread_mutex_unlock(&stats_lock);
	return rc ? -1 : 0;
}
