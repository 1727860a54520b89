/*
 * altdiff.h - does one alternative of a message say what the other says?
 *
 * A client shows one part of a multipart/alternative; a lure can sit in
 * the one it does not show (read by other clients, previews, screen
 * readers) behind a harmless one it shows. mime.c reads the other
 * alternative too when altdiff_differs() says its words are not the
 * shown ones.
 */
#ifndef VIGIE_ALTDIFF_H
#define VIGIE_ALTDIFF_H

#include <stddef.h>

#define ALTDIFF_WORD_MIN	4	/* shorter words are not compared */

/*
 * altdiff_differs - 1 when at least 5 words of alt, and a fifth of its
 * words, do not occur in shown (letters and digits, ASCII case folded);
 * 0 when they say the same; -1 on memory failure.
 */
int	altdiff_differs(const char *shown, size_t slen, const char *alt,
	    size_t alen);

#endif
