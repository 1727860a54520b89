/*
 * charset.h - bytes in a declared charset to valid UTF-8.
 *
 * Private helper of the MIME layer (mime.c, rfc2047.c). Whatever the
 * input, the output is valid UTF-8 with no NUL: text in an unknown
 * charset is kept as UTF-8 when valid, else read as windows-1252;
 * undecodable sequences become U+FFFD; both are reported so that the
 * caller can record MV_ANOM_BAD_CHARSET.
 */
#ifndef VIGIE_CHARSET_H
#define VIGIE_CHARSET_H

#include <stddef.h>

struct buf;

/* what charset_to_utf8() met, or-ed into its flags argument */
#define CHARSET_F_BAD	1u	/* unknown charset or undecodable text */
#define CHARSET_F_NUL	2u	/* the text decoded to U+0000 (dropped) */

/*
 * charset_to_utf8 - append len bytes of text in charset (NULL or "" when
 * none was declared) to out; or CHARSET_F_* bits into *flags. Returns -1
 * on memory failure, 0 otherwise.
 */
int	charset_to_utf8(struct buf *out, const char *charset, const char *in,
	    size_t len, unsigned *flags);

/* charset_utf8_valid_len - length of the valid UTF-8 sequence at s, 0 if none */
size_t	charset_utf8_valid_len(const unsigned char *s, size_t len);

#endif
