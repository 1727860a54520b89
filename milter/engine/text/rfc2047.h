/*
 * rfc2047.h - decoding of RFC 2047 encoded words in header values.
 *
 * Private helper of mime.c. GMime's own decoder returns a C string, so a
 * NUL smuggled in an encoded word silently cuts the value there; this
 * one sees every decoded byte, strips the control characters and says
 * that it did.
 */
#ifndef VIGIE_RFC2047_H
#define VIGIE_RFC2047_H

#include <stddef.h>

struct buf;

/* what rfc2047_decode() met, or-ed into its flags argument */
#define RFC2047_F_BAD_WORD	1u	/* malformed encoded word */
#define RFC2047_F_BAD_CHARSET	2u	/* unknown charset, undecodable text */
#define RFC2047_F_CTRL		4u	/* control characters were removed */

/*
 * rfc2047_decode - append the decoded, unfolded form of a raw header
 * value to out as valid UTF-8 without control characters (TAB becomes a
 * space) or leading and trailing white space. Returns -1 on memory failure, 0 otherwise.
 */
int	rfc2047_decode(struct buf *out, const char *raw, size_t len,
	    unsigned *flags);

/*
 * rfc2047_pad_base64 - when raw[0 .. len) holds "B" encoded words whose
 * text lacks its '=' padding, fill out with a copy where they are padded
 * and return 1; return 0 (out untouched) when none needed it, -1 on
 * memory failure. GMime, which decodes display names and file names,
 * drops the last bytes of an unpadded word; mail clients do not.
 */
int	rfc2047_pad_base64(const char *raw, size_t len, struct buf *out);

#endif
