/*
 * test_stats.c - stats.c: counters by action, rule id and anomaly, the
 * histogram, and the Prometheus text they are exposed as.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "msgview.h"
#include "ruleset.h"
#include "scanctx.h"
#include "stats.h"
#include "verdict.h"
#include "testutil.h"

/* has_line - the exposition contains this exact line */
static int
has_line(const char *text, const char *line)
{
	size_t n = strlen(line);
	const char *p;

	for (p = text; (p = strstr(p, line)) != NULL; p++)
		if ((p == text || p[-1] == '\n') && p[n] == '\n')
			return 1;
	return 0;
}

/* test_counts - two messages, one reload, one error, two sessions */
static void
test_counts(void **state)
{
	struct rule r1 = { .id = "LURE_FEE" }, r2 = { .id = "CLAIM_FROM_NAME" };
	struct hit hits[2] = { { &r1, 1.5, "" }, { &r2, 3.0, "" } };
	struct verdict v = { 0 };
	struct buf out;

	(void)state;
	v.action = ACTION_QUARANTINE;
	v.scored = ACTION_QUARANTINE;
	v.hits = hits;
	v.nhits = 2;
	v.anomalies = MV_ANOM_LIMIT_URLS;
	stats_message(&v, 0.0007);
	v.action = ACTION_ACCEPT;
	v.nhits = 1;
	v.anomalies = 0;
	stats_message(&v, 2.0);
	stats_reload(1);
	stats_error(STATS_ERROR_MODIFY);
	stats_session(1);
	stats_session(1);
	stats_session(-1);

	buf_init(&out);
	assert_int_equal(stats_format(&out), 0);
	assert_true(has_line(buf_cstr(&out), "vigie_messages_total{action=\"quarantine\"} 1"));
	assert_true(has_line(buf_cstr(&out), "vigie_messages_total{action=\"accept\"} 1"));
	assert_true(has_line(buf_cstr(&out), "vigie_rule_hits_total{rule=\"LURE_FEE\"} 2"));
	assert_true(has_line(buf_cstr(&out), "vigie_rule_hits_total{rule=\"CLAIM_FROM_NAME\"} 1"));
	assert_true(has_line(buf_cstr(&out), "vigie_anomalies_total{anomaly=\"limit_urls\"} 1"));
	assert_true(has_line(buf_cstr(&out), "vigie_errors_total{kind=\"modify\"} 1"));
	assert_true(has_line(buf_cstr(&out), "vigie_reloads_total{result=\"ok\"} 1"));
	assert_true(has_line(buf_cstr(&out), "vigie_sessions_open 1"));
	assert_true(has_line(buf_cstr(&out), "vigie_sessions_total 2"));
	assert_true(has_line(buf_cstr(&out), "vigie_scan_seconds_bucket{le=\"0.0005\"} 0"));
	assert_true(has_line(buf_cstr(&out), "vigie_scan_seconds_bucket{le=\"0.001\"} 1"));
	assert_true(has_line(buf_cstr(&out), "vigie_scan_seconds_bucket{le=\"1\"} 1"));
	assert_true(has_line(buf_cstr(&out), "vigie_scan_seconds_bucket{le=\"+Inf\"} 2"));
	assert_true(has_line(buf_cstr(&out), "vigie_scan_seconds_count 2"));
	buf_free(&out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts),
	};

	test_filter_from_env();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
