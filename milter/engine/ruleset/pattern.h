/*
 * pattern.h - compiled regular expressions (PCRE2, JIT) for rules.
 *
 * A pattern is compiled once when the rules load and then shared,
 * read-only, by every thread. Matching uses a per-thread match-data block
 * and the match and depth limits given at compile time, so that a pattern
 * that backtracks badly on crafted text returns PATTERN_LIMIT (evidence)
 * instead of holding a thread. Subjects may be invalid UTF-8.
 *
 * This is the only file that includes <pcre2.h>.
 */
#ifndef VIGIE_PATTERN_H
#define VIGIE_PATTERN_H

#include <stddef.h>

struct pattern;

enum pattern_result {
	PATTERN_LIMIT = -1,	/* match or depth limit reached */
	PATTERN_NOMATCH = 0,
	PATTERN_MATCH = 1,
};

/*
 * pattern_compile - compile re (caseless, UTF); NULL on error, with a
 * message and the offending offset in re written to err / erroff.
 */
struct pattern *pattern_compile(const char *re, unsigned long match_limit,
	    unsigned long depth_limit, char *err, size_t errlen, size_t *erroff);
void	pattern_free(struct pattern *);

/* pattern_match - search s[0..len); on a match, its bounds */
enum pattern_result pattern_match(const struct pattern *, const char *s,
	    size_t len, size_t *mstart, size_t *mend);


#endif
