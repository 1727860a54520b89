/*
 * dataurl.c - the content of a data: URL (RFC 2397).
 *
 * "data:[type][;param=v]...[;base64],content": white space around the
 * URL and inside base64 is ignored, stray characters in base64 are
 * skipped and missing padding tolerated (browsers do the same); without
 * ";base64" the content is percent-decoded. The output stops at the
 * caller's cap.
 */
#include "dataurl.h"

#include <string.h>
#include <strings.h>

#include "buf.h"
#include "codec.h"

/* dataurl_b64 - value of a base64 digit, -1 if none */
static int
dataurl_b64(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+' || c == '-')
		return 62;
	if (c == '/' || c == '_')
		return 63;
	return -1;
}

/* dataurl_copy_lower - s[0 .. n) lower-cased into dst of size, trimmed, cut to fit */
static void
dataurl_copy_lower(char *dst, size_t size, const char *s, size_t n)
{
	size_t i, o = 0;

	for (i = 0; i < n && o + 1 < size; i++)
		if (s[i] != ' ' && s[i] != '\t')
			dst[o++] = (char)((s[i] >= 'A' && s[i] <= 'Z') ?
			    s[i] + 32 : s[i]);
	dst[o] = '\0';
}

/* dataurl_decode - see dataurl.h */
int
dataurl_decode(const char *url, struct dataurl *d, struct buf *out,
    size_t cap, int *over)
{
	const char *comma, *p, *semi;
	unsigned acc = 0;
	int bits = 0, base64 = 0, v, h, l;
	char c;

	*over = 0;
	while (*url == ' ' || *url == '\t' || *url == '\r' || *url == '\n')
		url++;
	if (strncasecmp(url, "data:", 5) != 0 ||
	    (comma = strchr(url + 5, ',')) == NULL)
		return 0;
	strcpy(d->type, "text/plain");
	d->charset[0] = '\0';
	p = url + 5;
	semi = memchr(p, ';', (size_t)(comma - p));
	if ((semi != NULL ? semi : comma) > p)
		dataurl_copy_lower(d->type, sizeof(d->type), p,
		    (size_t)((semi != NULL ? semi : comma) - p));
	for (p = semi; p != NULL && p < comma; p = semi) {
		p++;
		semi = memchr(p, ';', (size_t)(comma - p));
		l = (int)((semi != NULL ? semi : comma) - p);
		if (l == 6 && strncasecmp(p, "base64", 6) == 0)
			base64 = 1;
		else if (l > 8 && strncasecmp(p, "charset=", 8) == 0)
			dataurl_copy_lower(d->charset, sizeof(d->charset),
			    p + 8, (size_t)l - 8);
	}
	for (p = comma + 1; *p != '\0'; p++) {
		if (out->len >= cap) {
			*over = 1;
			break;
		}
		if (base64) {
			if ((v = dataurl_b64((unsigned char)*p)) < 0)
				continue;
			acc = acc << 6 | (unsigned)v;
			if ((bits += 6) < 8)
				continue;
			bits -= 8;
			c = (char)(acc >> bits & 0xFF);
		} else {
			c = *p;
			if (c == '%' && (h = codec_hex(p[1])) >= 0 &&
			    (l = codec_hex(p[2])) >= 0) {
				c = (char)(h << 4 | l);
				p += 2;
			}
		}
		if (buf_append_char(out, c) < 0)
			return -1;
	}
	return 1;
}
