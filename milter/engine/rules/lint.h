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
struct conf;

/* lint_conf - append "file:line: rule ID: warning: ..." lines; their count */
size_t	lint_conf(const struct conf *, struct buf *warnings);

#endif
