/*
 * scan_summary.h - vigie-scan --summary and --expect: what a rule set does
 * to a corpus.
 *
 * Per rule, how many messages it hit; per action, how many messages got
 * it; with an expectation, the messages that missed it, by path:
 *   --expect phish  a miss is a message accepted or only tagged;
 *   --expect ham    a false positive is a message not accepted.
 */
#ifndef VIGIE_SCAN_SUMMARY_H
#define VIGIE_SCAN_SUMMARY_H

#include <stdio.h>

#include "verdict.h"

struct conf;
struct scan_summary;

enum scan_expect {
	EXPECT_NONE,
	EXPECT_PHISH,
	EXPECT_HAM,
};

struct scan_summary *scan_summary_new(const struct conf *, enum scan_expect);
void	scan_summary_free(struct scan_summary *);

/* scan_summary_add - count one message; rule_index lists the rules it hit */
int	scan_summary_add(struct scan_summary *, const char *label,
	    enum action, int error, const size_t *rule_index, size_t nrules);

void	scan_summary_print(const struct scan_summary *, FILE *);

/* scan_summary_unexpected - misses (phish) or false positives (ham) */
size_t	scan_summary_unexpected(const struct scan_summary *);

#endif
