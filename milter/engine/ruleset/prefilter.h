/*
 * prefilter.h - which of many patterns can possibly match a text, in one
 * pass (Hyperscan in prefilter mode).
 *
 * Running every body rule's PCRE2 pattern over every message is the
 * largest cost of a scan; most patterns cannot match ordinary mail. A
 * prefilter compiles all the patterns of a target into one Hyperscan
 * database whose matches are a superset of the PCRE2 matches: one scan of
 * the text says which patterns are worth running. A pattern Hyperscan
 * cannot compile (look-around, back-references) is always a candidate.
 * The answer is only ever "maybe", never a verdict: PCRE2 decides.
 *
 * This is the only file that includes <hs.h>.
 */
#ifndef VIGIE_PREFILTER_H
#define VIGIE_PREFILTER_H

#include <stddef.h>

struct prefilter;

/* prefilter_build - NULL on memory failure (an empty set is not an error) */
struct prefilter *prefilter_build(const char *const *patterns, size_t n);
void	prefilter_free(struct prefilter *);

/*
 * prefilter_scan - set maybe[i] = 1 for every pattern i that may match
 * the UTF-8 text (and 0 for the others). On any failure every entry is 1.
 */
void	prefilter_scan(const struct prefilter *, const char *s, size_t len,
	    unsigned char *maybe);

#endif
