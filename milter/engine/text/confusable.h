/*
 * confusable.h - brand words recognised through look-alike letters.
 *
 * A confusable_lexicon holds a few words (the brands' tokens and domain
 * names from the rule file) by their Unicode TR 39 confusable skeleton,
 * written in lower case, in capitals and capitalised. confusable_rewrite()
 * finds in UTF-8 text every whole word (a run of letters, digits and
 * combining marks) whose skeleton is one of them, and writes the word
 * itself in its place: "АМЕLI" (Cyrillic А, М, Е), "СРАМ" (all Cyrillic),
 * "ΙΡΕϹΑ" (all Greek), "ɑmeli" (Latin alpha), "ameIi" and "AMELl" (capital
 * i and small L swapped), "ＡＭＥＬｌ" (full width) all become "ameli" or
 * "cpam", "ipeca". The skeleton is taken after NFKC but before any case
 * folding, since a capital I only looks like an l until it is lowered.
 * Only an exact skeleton match counts, so words that merely resemble a
 * brand keep their spelling ("Amélie", "ILLICO", "Ideal", Russian or Greek
 * words).
 *
 * A lexicon is built once (confusable_lexicon_add() is not thread-safe),
 * then read by any number of threads.
 */
#ifndef VIGIE_CONFUSABLE_H
#define VIGIE_CONFUSABLE_H

#include <stddef.h>

struct buf;
struct confusable_lexicon;

#define CONFUSABLE_MIN_WORD	4	/* shorter words are not taken */
#define CONFUSABLE_MAX_WORD	32	/* nor longer ones */

/* confusable_lexicon_new - an empty lexicon; NULL on failure */
struct confusable_lexicon *confusable_lexicon_new(void);

/*
 * confusable_lexicon_add - add a word of ASCII letters (any case; stored in
 * lower case). A word of other characters, or shorter than
 * CONFUSABLE_MIN_WORD or longer than CONFUSABLE_MAX_WORD letters, is not
 * taken (0); a word already there is taken once. -1 on failure.
 */
int	confusable_lexicon_add(struct confusable_lexicon *, const char *word);

void	confusable_lexicon_free(struct confusable_lexicon *);

/*
 * confusable_rewrite - when in holds a look-alike of a lexicon word,
 * append in to out with each such word replaced by the lexicon word and
 * return 1; when it holds none, leave out alone and return 0; -1 on
 * failure. A word already spelled as the lexicon word (in any case) is
 * not a look-alike.
 */
int	confusable_rewrite(const struct confusable_lexicon *, const char *in,
	    size_t len, struct buf *out);

#endif
