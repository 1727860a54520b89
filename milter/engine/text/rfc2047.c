/*
 * rfc2047.c - decoding of RFC 2047 encoded words in header values.
 *
 * Tolerant the way mail clients are, since the view must show what the
 * recipient reads: encoded words are recognised even when glued to other
 * text, whitespace between two encoded words is dropped (RFC 2047 6.2),
 * consecutive words in one charset are joined as bytes before charset
 * conversion so that a character split across words survives, base64
 * skips stray characters, and unencoded 8-bit text is read as UTF-8 or
 * else windows-1252. Something that starts like an encoded word but
 * does not parse is kept as written and reported.
 *
 * Folding line breaks of the raw value are removed; any other control
 * character, whether written raw or decoded from an encoded word (CR, LF
 * and NUL are the dangerous ones: header injection, truncation), is
 * removed and reported as RFC2047_F_CTRL.
 */
#include "rfc2047.h"

#include <string.h>

#include "buf.h"
#include "codec.h"
#include "charset.h"

#define RFC2047_CHARSET_MAX	64
#define RFC2047_WORD_SCAN	1024	/* longest encoded word looked at for padding */

struct rfc2047_word {
	const char *charset;	/* points into the raw value */
	size_t	 charset_len;
	char	 encoding;	/* 'B' or 'Q' */
	const char *text;
	size_t	 text_len;
	size_t	 total;		/* bytes of "=?...?=" */
};

/* rfc2047_b64 - value of a base64 digit, -1 if none */
static int
rfc2047_b64(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* rfc2047_parse_word - recognise "=?charset?E?text?=" at p; 0 if not one */
static int
rfc2047_parse_word(const char *p, const char *end, struct rfc2047_word *w)
{
	const char *q;

	if (end - p < 8 || p[0] != '=' || p[1] != '?')
		return 0;
	w->charset = p + 2;
	for (q = w->charset; q < end && *q != '?'; q++)
		if (*q == ' ' || *q == '\t' || *q == '\r' || *q == '\n' ||
		    q - w->charset > RFC2047_CHARSET_MAX)
			return 0;
	if (q == w->charset || end - q < 5 || q[2] != '?')
		return 0;
	w->charset_len = (size_t)(q - w->charset);
	w->encoding = (char)(q[1] & ~0x20);
	if (w->encoding != 'B' && w->encoding != 'Q')
		return 0;
	w->text = q + 3;
	for (q = w->text; q + 1 < end; q++) {
		if (q[0] == '?' && q[1] == '=')
			break;
		if (*q == ' ' || *q == '\t' || *q == '\r' || *q == '\n')
			return 0;
	}
	if (q + 1 >= end)
		return 0;
	w->text_len = (size_t)(q - w->text);
	w->total = (size_t)(q + 2 - p);
	return 1;
}

/* rfc2047_looks_like_word - "=?charset?" that did not parse: a malformed word */
static int
rfc2047_looks_like_word(const char *p, const char *end)
{
	const char *q;

	if (end - p < 4 || p[0] != '=' || p[1] != '?')
		return 0;
	for (q = p + 2; q < end && q - p < RFC2047_CHARSET_MAX; q++) {
		if (*q == '?')
			return q > p + 2;
		if (!((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') ||
		    (*q >= '0' && *q <= '9') || *q == '-' || *q == '_' ||
		    *q == '*'))
			return 0;
	}
	return 0;
}

/* rfc2047_word_bytes - decode the payload of one word into raw bytes */
static int
rfc2047_word_bytes(struct buf *bytes, const struct rfc2047_word *w,
    unsigned *flags)
{
	const unsigned char *t = (const unsigned char *)w->text;
	size_t i;
	unsigned acc = 0;
	int bits = 0, v, h, l;
	char c;

	for (i = 0; i < w->text_len; i++) {
		if (w->encoding == 'B') {
			if (t[i] == '=')
				break;
			if ((v = rfc2047_b64(t[i])) < 0) {
				*flags |= RFC2047_F_BAD_WORD;
				continue;
			}
			acc = (acc << 6) | (unsigned)v;
			if ((bits += 6) >= 8) {
				bits -= 8;
				c = (char)((acc >> bits) & 0xFF);
				if (buf_append(bytes, &c, 1) < 0)
					return -1;
			}
			continue;
		}
		c = (char)t[i];
		if (t[i] == '_')
			c = ' ';
		else if (t[i] == '=' && i + 2 < w->text_len &&
		    (h = codec_hex(t[i + 1])) >= 0 &&
		    (l = codec_hex(t[i + 2])) >= 0) {
			c = (char)(h << 4 | l);
			i += 2;
		} else if (t[i] == '=')
			*flags |= RFC2047_F_BAD_WORD;
		if (buf_append(bytes, &c, 1) < 0)
			return -1;
	}
	return 0;
}

/* rfc2047_flush - convert the pending bytes of one charset to UTF-8 */
static int
rfc2047_flush(struct buf *out, struct buf *pending, const char *charset,
    unsigned *flags)
{
	unsigned cf = 0;

	if (pending->len == 0)
		return 0;
	if (charset_to_utf8(out, charset, pending->data, pending->len,
	    &cf) < 0)
		return -1;
	if (cf & CHARSET_F_BAD)
		*flags |= RFC2047_F_BAD_CHARSET;
	if (cf & CHARSET_F_NUL)
		*flags |= RFC2047_F_CTRL;
	buf_reset(pending);
	return 0;
}

/* rfc2047_strip_ctrl - remove control characters and outer white space appended since from */
static void
rfc2047_strip_ctrl(struct buf *out, size_t from, unsigned *flags)
{
	size_t i, o = from;
	unsigned char c;

	for (i = from; i < out->len; i++) {
		c = (unsigned char)out->data[i];
		if (c == '\t')
			c = ' ';
		else if (c < 0x20 || c == 0x7F) {
			*flags |= RFC2047_F_CTRL;
			continue;
		}
		if (c == ' ' && o == from)
			continue;
		out->data[o++] = (char)c;
	}
	while (o > from && out->data[o - 1] == ' ')
		o--;
	out->len = o;
	if (out->data != NULL)
		out->data[o] = '\0';
}

/* rfc2047_decode - see rfc2047.h */
int
rfc2047_decode(struct buf *out, const char *raw, size_t len, unsigned *flags)
{
	const char *p = raw, *end = raw + len, *ws, *q;
	char charset[RFC2047_CHARSET_MAX + 2] = "";
	struct buf pending, plain;
	struct rfc2047_word w;
	size_t start = out->len;
	int prev_word = 0, r = -1;

	/* invariant: at most one of pending (decoded words) and plain is non-empty */
	buf_init(&pending);
	buf_init(&plain);
	while (p < end) {
		ws = p;
		while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' ||
		    *p == '\n'))
			p++;
		if (p < end && rfc2047_parse_word(p, end, &w)) {
			if (!prev_word) {
				if (p > ws && buf_append(&plain, " ", 1) < 0)
					goto done;
				if (rfc2047_flush(out, &plain, NULL, flags) < 0)
					goto done;
			} else if ((w.charset_len != strlen(charset) ||
			    strncmp(w.charset, charset, w.charset_len) != 0) &&
			    rfc2047_flush(out, &pending, charset, flags) < 0)
				goto done;
			/* white space between two encoded words is dropped */
			memcpy(charset, w.charset, w.charset_len);
			charset[w.charset_len] = '\0';
			if (rfc2047_word_bytes(&pending, &w, flags) < 0)
				goto done;
			p += w.total;
			prev_word = 1;
			continue;
		}
		if (rfc2047_flush(out, &pending, charset, flags) < 0)
			goto done;
		prev_word = 0;
		/* folding line breaks go, the white space around them stays */
		for (q = ws; q < p; q++)
			if (*q != '\r' && *q != '\n' &&
			    buf_append(&plain, q, 1) < 0)
				goto done;
		if (p >= end)
			break;
		if (rfc2047_looks_like_word(p, end))
			*flags |= RFC2047_F_BAD_WORD;
		/* one plain token: up to white space or a possible word */
		for (q = p + 1; q < end && *q != ' ' && *q != '\t' &&
		    *q != '\r' && *q != '\n' && !(q[0] == '=' && q + 1 < end &&
		    q[1] == '?'); q++)
			;
		if (buf_append(&plain, p, (size_t)(q - p)) < 0)
			goto done;
		p = q;
	}
	if (rfc2047_flush(out, &pending, charset, flags) < 0 ||
	    rfc2047_flush(out, &plain, NULL, flags) < 0)
		goto done;
	rfc2047_strip_ctrl(out, start, flags);
	r = 0;
done:
	buf_free(&pending);
	buf_free(&plain);
	return r;
}

/*
 * rfc2047_b_word_end - if s[i ..] starts "=?charset?B?text?=" (no white
 * space, at most RFC2047_WORD_SCAN bytes), the index of text and of its
 * closing "?="; 0 if it does not.
 */
static int
rfc2047_b_word_end(const char *s, size_t len, size_t i, size_t *text,
    size_t *close)
{
	size_t k, lim = len - i > RFC2047_WORD_SCAN ? i + RFC2047_WORD_SCAN : len;

	if (i + 2 > len || s[i] != '=' || s[i + 1] != '?')
		return 0;
	for (k = i + 2; k < lim && s[k] != '?'; k++)
		if (s[k] == ' ' || s[k] == '\t' || s[k] == '\r' || s[k] == '\n')
			return 0;
	if (k + 2 >= lim || k == i + 2 || (s[k + 1] != 'B' && s[k + 1] != 'b') ||
	    s[k + 2] != '?')
		return 0;
	*text = k + 3;
	for (k = *text; k + 1 < lim && !(s[k] == '?' && s[k + 1] == '='); k++)
		if (rfc2047_b64((unsigned char)s[k]) < 0)
			return 0;
	if (k + 1 >= lim)
		return 0;
	*close = k;
	return 1;
}

/* rfc2047_pad_base64 - see rfc2047.h; linear: each byte is scanned a bounded number of times */
int
rfc2047_pad_base64(const char *raw, size_t len, struct buf *out)
{
	size_t i = 0, from = 0, text, close, n;
	int changed = 0;

	while (i + 1 < len) {
		if (raw[i] != '=' || raw[i + 1] != '?' ||
		    !rfc2047_b_word_end(raw, len, i, &text, &close)) {
			i++;
			continue;
		}
		n = close - text;
		if (n % 4 == 2 || n % 4 == 3) {
			if (buf_append(out, raw + from, close - from) < 0 ||
			    buf_append(out, "==", 4 - n % 4) < 0)
				return -1;
			from = close;
			changed = 1;
		}
		i = close + 2;
	}
	if (!changed)
		return 0;
	if (buf_append(out, raw + from, len - from) < 0)
		return -1;
	return 1;
}
