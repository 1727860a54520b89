/*
 * scan_summary.c - counts per rule and per action, and the unexpected
 * verdicts listed by path (scan_summary.h).
 */
#include "scan_summary.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "ruleset.h"

struct scan_summary {
	const struct conf *conf;
	enum scan_expect expect;
	size_t	 messages;
	size_t	 errors;
	size_t	 actions[ACTION_REJECT + 1];
	size_t	*rule_hits;		/* per rule of conf, by index */
	struct strlist unexpected;	/* "path action" lines */
};

/* scan_summary_new - see scan_summary.h */
struct scan_summary *
scan_summary_new(const struct conf *conf, enum scan_expect expect)
{
	struct scan_summary *s;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	s->conf = conf;
	s->expect = expect;
	if (conf->rules.nrules > 0 && (s->rule_hits =
	    calloc(conf->rules.nrules, sizeof(*s->rule_hits))) == NULL) {
		free(s);
		return NULL;
	}
	return s;
}

/* scan_summary_free - release */
void
scan_summary_free(struct scan_summary *s)
{
	if (s == NULL)
		return;
	free(s->rule_hits);
	strlist_free(&s->unexpected);
	free(s);
}

/* is_unexpected - does this verdict contradict the expectation? */
static int
is_unexpected(enum scan_expect e, enum action a, int error)
{
	switch (e) {
	case EXPECT_PHISH:
		return error || a < ACTION_QUARANTINE;
	case EXPECT_HAM:
		return error || a != ACTION_ACCEPT;
	case EXPECT_NONE:
		break;
	}
	return 0;
}

/* scan_summary_add - see scan_summary.h */
int
scan_summary_add(struct scan_summary *s, const char *label, enum action a,
    int error, const size_t *rule_index, size_t nrules)
{
	char line[4096];
	size_t i;

	s->messages++;
	if (error)
		s->errors++;
	else
		s->actions[a]++;
	for (i = 0; i < nrules; i++)
		if (rule_index[i] < s->conf->rules.nrules)
			s->rule_hits[rule_index[i]]++;
	if (is_unexpected(s->expect, a, error)) {
		snprintf(line, sizeof(line), "%s %s", label,
		    error ? "error" : action_name(a));
		return strlist_push(&s->unexpected, line);
	}
	return 0;
}

/* scan_summary_print - the tables, then the unexpected messages */
void
scan_summary_print(const struct scan_summary *s, FILE *f)
{
	const struct ruleset *rs = &s->conf->rules;
	size_t i;
	int a;

	fprintf(f, "messages %zu\n", s->messages);
	for (a = ACTION_ACCEPT; a <= ACTION_REJECT; a++)
		fprintf(f, "action %-10s %8zu  %5.1f%%\n", action_name(a),
		    s->actions[a], s->messages ? 100.0 * (double)s->actions[a] /
		    (double)s->messages : 0.0);
	if (s->errors)
		fprintf(f, "action %-10s %8zu\n", "error", s->errors);
	for (i = 0; i < rs->nrules; i++)
		fprintf(f, "rule %-28s %8zu  %5.1f%%%s\n", rs->rules[i].id,
		    s->rule_hits[i], s->messages ? 100.0 *
		    (double)s->rule_hits[i] / (double)s->messages : 0.0,
		    rs->rules[i].monitor ? "  (monitor)" : "");
	if (s->expect == EXPECT_NONE)
		return;
	fprintf(f, "%s %zu\n", s->expect == EXPECT_PHISH ? "missed" :
	    "false_positives", s->unexpected.n);
	for (i = 0; i < s->unexpected.n; i++)
		fprintf(f, "  %s\n", s->unexpected.v[i]);
}

/* scan_summary_unexpected - see scan_summary.h */
size_t
scan_summary_unexpected(const struct scan_summary *s)
{
	return s->unexpected.n;
}
