/*
 * lint.h - warnings about a configuration that loads but may not do what
 * its author meant (vigie-scan --check, vigie-milter -n).
 *
 * Errors (syntax, unknown keys, duplicate ids, bad patterns, examples
 * that fail, thresholds out of order) already stop conf_load(); lint
 * looks for what is legal but suspicious: a pattern that backtracks
 * catastrophically on crafted text, a rule that can never fire, a rule
 * with no effect, a brand that can never be recognised as genuine.
 */
#ifndef VIGIE_LINT_H
#define VIGIE_LINT_H

#include <stddef.h>

struct buf;
struct ruleset;

/*
 * lint_ruleset - append "file:line: rule ID: warning: ..." lines about a
 * loaded rule set; conf_path names the configuration for warnings about
 * the whole set. Returns their count.
 */
size_t	lint_ruleset(const struct ruleset *, const char *conf_path,
	    struct buf *warnings);

#endif
