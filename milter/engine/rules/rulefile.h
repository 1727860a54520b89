/*
 * rulefile.h - rule files: brands and rules in libconfig syntax.
 *
 * rulefile_load() adds the brands, rules and domain lists of one file to a
 * ruleset, compiling every pattern with the configured limits; every
 * problem is reported as "file:line: rule ID: what" (see vigie.conf(5)).
 * rulefile_finish() runs the checks that need all files: duplicate ids
 * and each rule's own examples.
 */
#ifndef VIGIE_RULEFILE_H
#define VIGIE_RULEFILE_H

struct buf;
struct ruleset;
struct scan_limits;

int	rulefile_load(const char *path, const struct scan_limits *,
	    struct ruleset *, struct buf *errors);
int	rulefile_finish(struct ruleset *, struct buf *errors);

#endif
