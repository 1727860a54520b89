/*
 * codec.c - hex digits and %XX percent-decoding (codec.h).
 */
#include "codec.h"

#include "buf.h"

/* codec_hex - see codec.h */
int
codec_hex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* codec_pct_decode - see codec.h */
int
codec_pct_decode(struct buf *out, const char *s, size_t len, int nul)
{
	size_t i;
	int h, l;
	char c;

	for (i = 0; i < len; i++) {
		c = s[i];
		if (c == '%' && i + 2 < len &&
		    (h = codec_hex((unsigned char)s[i + 1])) >= 0 &&
		    (l = codec_hex((unsigned char)s[i + 2])) >= 0) {
			c = (char)(h << 4 | l);
			i += 2;
		}
		if (c == '\0') {
			if (nul < 0)
				continue;
			c = (char)nul;
		}
		if (buf_append_char(out, c) < 0)
			return -1;
	}
	return buf_append(out, "", 0);
}
