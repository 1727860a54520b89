/*
 * codec.h - the small decodings several parsers share: hex digits and
 * %XX percent-encoding (URLs, redirect targets, data: URLs, CSS escapes,
 * quoted-printable words).
 */
#ifndef VIGIE_CODEC_H
#define VIGIE_CODEC_H

#include <stddef.h>

struct buf;

/* codec_hex - value of a hex digit, -1 if none */
int	codec_hex(int c);

/*
 * codec_pct_decode - s[0 .. len) with every valid %XX decoded, appended
 * to out and NUL-terminated; a decoded NUL byte becomes nul, or is
 * dropped when nul is -1. -1 on memory failure.
 */
int	codec_pct_decode(struct buf *out, const char *s, size_t len, int nul);

#endif
