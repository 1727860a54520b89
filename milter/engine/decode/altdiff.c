/*
 * altdiff.c - does one alternative of a message say what the other says?
 *
 * Words are runs of ASCII letters and digits and of non-ASCII bytes,
 * ASCII case folded; words under ALTDIFF_WORD_MIN bytes are ignored.
 * The shown text's words go into an open-addressing set of 64-bit FNV-1a
 * hashes sized for its word count, then the alternative's words are
 * looked up: linear in both texts, which are already bounded by
 * max_part_bytes.
 */
#include "altdiff.h"

#include <stdint.h>
#include <stdlib.h>

#define ALTDIFF_MIN_MISSING	5	/* fewer missing words: the same text */
#define ALTDIFF_MISSING_SHARE	5	/* missing > 1/5 of the words: differs */

struct altdiff_set {
	uint64_t *slot;
	size_t	 mask;
};

/* altdiff_is_word - a byte of a word */
static int
altdiff_is_word(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c >= 0x80;
}

/*
 * altdiff_next - hash of the next word of s[*i .. len) that is long
 * enough, *i moved past it; 0 when there is none (0 is never a hash).
 */
static uint64_t
altdiff_next(const char *s, size_t len, size_t *i)
{
	uint64_t h;
	size_t start;
	unsigned char c;

	while (*i < len) {
		while (*i < len && !altdiff_is_word((unsigned char)s[*i]))
			(*i)++;
		start = *i;
		h = 14695981039346656037ULL;
		while (*i < len && altdiff_is_word(c = (unsigned char)s[*i])) {
			h = (h ^ (c >= 'A' && c <= 'Z' ? c + 32u : c)) *
			    1099511628211ULL;
			(*i)++;
		}
		if (*i - start >= ALTDIFF_WORD_MIN)
			return h != 0 ? h : 1;
	}
	return 0;
}

/* altdiff_has - h is in the set; with add, put it there */
static int
altdiff_has(struct altdiff_set *set, uint64_t h, int add)
{
	size_t k = (size_t)h & set->mask;

	while (set->slot[k] != 0) {
		if (set->slot[k] == h)
			return 1;
		k = (k + 1) & set->mask;
	}
	if (add)
		set->slot[k] = h;
	return 0;
}

/* altdiff_differs - see altdiff.h */
int
altdiff_differs(const char *shown, size_t slen, const char *alt, size_t alen)
{
	struct altdiff_set set;
	size_t i = 0, words = 0, missing = 0, size = 16;
	uint64_t h;

	/* a word takes at least ALTDIFF_WORD_MIN + 1 bytes: room for twice that many */
	while (size < 2 * (slen / (ALTDIFF_WORD_MIN + 1) + 1))
		size *= 2;
	if ((set.slot = calloc(size, sizeof(*set.slot))) == NULL)
		return -1;
	set.mask = size - 1;
	while ((h = altdiff_next(shown, slen, &i)) != 0)
		(void)altdiff_has(&set, h, 1);
	for (i = 0; (h = altdiff_next(alt, alen, &i)) != 0; words++)
		if (!altdiff_has(&set, h, 0))
			missing++;
	free(set.slot);
	return missing >= ALTDIFF_MIN_MISSING &&
	    missing * ALTDIFF_MISSING_SHARE > words;
}
