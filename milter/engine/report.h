/*
 * report.h - the words vigie writes about a verdict.
 *
 * The same short forms serve the X-Vigie-* headers, the quarantine
 * reason, the log line and vigie-scan's default output, so an admin
 * reads one vocabulary everywhere. Only rule ids, numbers and fixed words
 * appear here: never text taken from the message.
 */
#ifndef VIGIE_REPORT_H
#define VIGIE_REPORT_H

struct buf;
struct verdict;

/* report_status - "tag score=5.0" (+ " monitor=quarantine" in monitor mode) */
int	report_status(const struct verdict *, struct buf *);

/* report_rules - "RULE_A=5.0, RULE_B=3.0, RULE_C=1.0 (monitor)" */
int	report_rules(const struct verdict *, struct buf *);

/* report_rule_ids - "RULE_A,RULE_B" ("-" when none) */
int	report_rule_ids(const struct verdict *, struct buf *);

/* report_anomalies - "limit_urls,bad_boundary" ("-" when none) */
int	report_anomalies(const struct verdict *, struct buf *);

#endif
