/*
 * detect_nir.h - detector "nir": a NIR with a valid key in the subject or
 * body of mail that is not authenticated as a brand's (arg: "labelled"
 * asks for a NIR label or a brand name just before it, "any" does not).
 * The excerpt is the label, never the number.
 */
#ifndef VIGIE_DETECT_NIR_H
#define VIGIE_DETECT_NIR_H

#include <stddef.h>

struct rule;
struct ruleset;
struct scanctx;

int	detect_nir(struct scanctx *, const struct rule *, const char **,
	    size_t *);
int	detect_nir_check(const char *, const struct ruleset *, char *, size_t);

#endif
