/*
 * textnorm.h - the one normalised form that rules match on.
 *
 * textnorm_fold() turns decoded UTF-8 text into what a pattern writer can
 * rely on: Unicode NFKC with case folding (full-width and styled letters
 * become plain ones, default-ignorable characters such as zero-width
 * spaces and soft hyphens disappear), accents removed ("sécurité" ->
 * "securite"), Latin look-alike letters from other scripts inside a Latin
 * word mapped to their Latin skeleton before case folding ("аmeli" with a
 * Cyrillic a, "Мutuelle" with a Cyrillic capital М -> "ameli",
 * "mutuelle"), letters spelled out one at a time joined ("A m e l i",
 * "S.e.c.u.r.i.t.e" -> "ameli", "securite"), and every run of white space
 * collapsed to one space. Invalid UTF-8 becomes U+FFFD.
 *
 * textnorm_init() opens the ICU objects once, before threads start; after
 * that textnorm_fold() is thread-safe.
 */
#ifndef VIGIE_TEXTNORM_H
#define VIGIE_TEXTNORM_H

#include <stddef.h>

struct buf;
struct confusable_lexicon;

int	textnorm_init(void);

/* textnorm_fold - append the normalised form of in to out; -1 on failure */
int	textnorm_fold(const char *in, size_t len, struct buf *out);

/*
 * textnorm_fold_lexicon - the same, with every look-alike of a word of lex
 * first written as that word (confusable.h: "АМЕLI", "СРАМ", "ameIi" ->
 * "ameli", "cpam", "ameli"); what brand names are matched on.
 */
int	textnorm_fold_lexicon(const char *in, size_t len,
	    const struct confusable_lexicon *lex, struct buf *out);

/*
 * textnorm_fold_reference - the same, every code point through ICU (no
 * table): what the tests and the fuzz target compare textnorm_fold with.
 */
int	textnorm_fold_reference(const char *in, size_t len, struct buf *out);

/*
 * textnorm_skeleton - the confusable skeleton (Unicode TR 39) of a short
 * string such as a host name, lower-cased: "arneli.fr" and "аmeli.fr"
 * (Cyrillic a) both give the skeleton of "ameli.fr". -1 on failure.
 */
int	textnorm_skeleton(const char *in, struct buf *out);

#endif
