/*
 * report.c - verdict to text, one vocabulary for headers, logs and output.
 */
#include "report.h"

#include "buf.h"
#include "msgview.h"
#include "ruleset.h"
#include "scanctx.h"
#include "verdict.h"

/* report_status - see report.h */
int
report_status(const struct verdict *v, struct buf *b)
{
	if (v->error)
		return buf_printf(b, "%s error=internal", action_name(v->action));
	if (buf_printf(b, "%s score=%.1f", action_name(v->action),
	    v->score) < 0)
		return -1;
	if (v->allowed_by != NULL)
		return buf_printf(b, " allowed=%s", v->allowed_by);
	if (v->monitor && v->scored != v->action)
		return buf_printf(b, " monitor=%s", action_name(v->scored));
	if (v->to_report_address && v->scored != v->action)
		return buf_printf(b, " report_address=%s",
		    action_name(v->scored));
	return 0;
}

/* report_rules - see report.h */
int
report_rules(const struct verdict *v, struct buf *b)
{
	size_t i;

	for (i = 0; i < v->nhits; i++)
		if (buf_printf(b, "%s%s=%.1f%s", i ? ", " : "",
		    v->hits[i].rule->id, v->hits[i].score,
		    v->hits[i].rule->monitor ? " (monitor)" : "") < 0)
			return -1;
	return 0;
}

/* report_rule_ids - see report.h */
int
report_rule_ids(const struct verdict *v, struct buf *b)
{
	size_t i;

	if (v->nhits == 0)
		return buf_append_char(b, '-');
	for (i = 0; i < v->nhits; i++)
		if (buf_printf(b, "%s%s", i ? "," : "",
		    v->hits[i].rule->id) < 0)
			return -1;
	return 0;
}

/* report_anomalies - see report.h */
int
report_anomalies(const struct verdict *v, struct buf *b)
{
	unsigned i;
	int n = 0;

	for (i = 0; i < MV_ANOM_COUNT; i++)
		if (v->anomalies & (1u << i) &&
		    buf_printf(b, "%s%s", n++ ? "," : "",
		    mv_anomaly_name(1u << i)) < 0)
			return -1;
	return n == 0 ? buf_append_char(b, '-') : 0;
}
