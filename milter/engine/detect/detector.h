/*
 * detector.h - built-in detectors that rules name with `detector = "..."`.
 *
 * A detector is evidence that a regular expression cannot express alone:
 * brand claims checked against a brand's genuine domains, look-alike
 * domains, NIR keys, trusted authentication results, structure
 * anomalies. A rule gives it an id and a score; the detector says whether
 * it fired and, for explanations, where.
 */
#ifndef VIGIE_DETECTOR_H
#define VIGIE_DETECTOR_H

#include <stddef.h>

struct rule;
struct ruleset;
struct scanctx;

/*
 * When a detector runs: evidence first (patterns, then evidence
 * detectors), then the anomaly detector, which so sees every anomaly
 * matching met whatever the rule order, then combinations of hits.
 */
enum detector_stage {
	DETECTOR_EVIDENCE,
	DETECTOR_ANOMALY,
	DETECTOR_COMBINE,
	DETECTOR_STAGES
};

struct detector {
	const char *name;
	int	 takes_arg;		/* needs the rule's `arg` */
	/* run - 1 fired (excerpt set, may be NULL), 0 not, -1 memory failure */
	int	 (*run)(struct scanctx *, const struct rule *,
		    const char **excerpt, size_t *excerpt_len);
	/*
	 * check_arg - validate the rule's arg at load time; compile -
	 * validate it and compile it into the rule, once every rule is
	 * known (combinations). Either may be NULL.
	 */
	int	 (*check_arg)(const char *arg, const struct ruleset *,
		    char *why, size_t whylen);
	int	 (*compile)(struct rule *, const struct ruleset *,
		    char *why, size_t whylen);
	/*
	 * summary - what it fires on, with its args: the one text shown by
	 * vigie-scan --check and --list-detectors, from which the tables of
	 * the README and vigie.conf(5) are generated (tests/docs/).
	 */
	const char *summary;
	enum detector_stage stage;
};

const struct detector *detector_find(const char *name);
/* detector_list - every detector, the last with a NULL name */
const struct detector *detector_list(void);

#endif
