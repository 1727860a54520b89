/*
 * rule_load.h - rule files: brands and rules in libconfig syntax.
 *
 * rule_load_file() adds the brands, rules and domain lists of one file to a
 * ruleset, compiling every pattern with the configured limits; every
 * problem is reported as "file:line: rule ID: what" (see vigie.conf(5)).
 * rule_load_finish() runs the checks that need all files: duplicate ids
 * and each rule's own examples.
 */
#ifndef VIGIE_RULE_LOAD_H
#define VIGIE_RULE_LOAD_H

struct buf;
struct ruleset;
struct scan_limits;

int	rule_load_file(const char *path, const struct scan_limits *,
	    struct ruleset *, struct buf *errors);
int	rule_load_finish(struct ruleset *, struct buf *errors);

#endif
