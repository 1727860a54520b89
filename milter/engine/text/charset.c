/*
 * charset.c - bytes in a declared charset to valid UTF-8.
 *
 * Conversion goes through iconv(3) directly rather than through GMime's
 * charset helpers: g_mime_charset_iconv_name() caches every name it is
 * asked about in a process-wide table, so attacker-chosen charset names
 * would grow it without bound. Names are checked against a short
 * alphabet before iconv_open() sees them (no "//" suffixes), a few
 * aliases that mail uses but glibc lacks are mapped, and the labels that
 * browsers and mail clients read as a superset are widened the same way
 * (ISO-8859-1 and US-ASCII as windows-1252, GB2312 as GB18030).
 *
 * Text without a declared charset (or declared US-ASCII, or the RFC 1428
 * label unknown-8bit and its x-unknown cousin) is kept when it is valid
 * UTF-8 and otherwise read as windows-1252, which is what clients do;
 * that is not an anomaly. An unknown declared charset is read the same
 * way (UTF-8 when valid, else windows-1252), and is one.
 */
#include "charset.h"

#include <errno.h>
#include <iconv.h>
#include <string.h>

#include "buf.h"

#define CHARSET_NAME_MAX	40

static const char charset_replacement[] = "\xEF\xBF\xBD";	/* U+FFFD */

/* windows-1252 0x80..0x9F; the undefined bytes map to U+FFFD */
static const unsigned short charset_cp1252[32] = {
	0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
	0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
};

static const struct charset_alias {
	const char *name;
	const char *iconv_name;
} charset_aliases[] = {
	{ "ks_c_5601-1987", "CP949" },
	{ "ks_c_5601-1989", "CP949" },
	{ "ksc5601", "CP949" },
	{ "x-sjis", "SHIFT_JIS" },
	{ "shift-jis", "SHIFT_JIS" },
	{ "gb2312", "GB18030" },
	{ "gbk", "GB18030" },
	{ "x-gbk", "GB18030" },
	{ "iso-8859-8-i", "ISO-8859-8" },
	{ "x-mac-roman", "MACINTOSH" },
	{ "utf7", "UTF-7" },
	{ "unicode-1-1-utf-7", "UTF-7" },
	{ "tis620", "TIS-620" },
};

/* charset_utf8_valid_len - see charset.h; strict RFC 3629 (no surrogates, no overlongs) */
size_t
charset_utf8_valid_len(const unsigned char *s, size_t len)
{
	size_t n, i;
	unsigned c = s[0];

	if (len == 0)
		return 0;
	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		n = 2;
	else if (c >= 0xE0 && c <= 0xEF)
		n = 3;
	else if (c >= 0xF0 && c <= 0xF4)
		n = 4;
	else
		return 0;
	if (len < n)
		return 0;
	for (i = 1; i < n; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	if ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] > 0x9F) ||
	    (c == 0xF0 && s[1] < 0x90) || (c == 0xF4 && s[1] > 0x8F))
		return 0;
	return n;
}

/* charset_put_cp - append one code point as UTF-8 */
static int
charset_put_cp(struct buf *out, unsigned cp)
{
	char u[4];

	if (cp < 0x80) {
		u[0] = (char)cp;
		return buf_append(out, u, 1);
	}
	if (cp < 0x800) {
		u[0] = (char)(0xC0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3F));
		return buf_append(out, u, 2);
	}
	u[0] = (char)(0xE0 | (cp >> 12));
	u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
	u[2] = (char)(0x80 | (cp & 0x3F));
	return buf_append(out, u, 3);
}

/* charset_from_cp1252 - windows-1252 to UTF-8; NULs dropped */
static int
charset_from_cp1252(struct buf *out, const unsigned char *in, size_t len,
    unsigned *flags)
{
	size_t i, run;

	for (i = 0; i < len; i++) {
		for (run = 0; i + run < len && in[i + run] < 0x80 &&
		    in[i + run] != 0; run++)
			;
		if (run > 0 && buf_append(out, in + i, run) < 0)
			return -1;
		i += run;
		if (i >= len)
			break;
		if (in[i] == 0) {
			*flags |= CHARSET_F_NUL;
			continue;
		}
		if (charset_put_cp(out, in[i] < 0xA0 ?
		    charset_cp1252[in[i] - 0x80] : in[i]) < 0)
			return -1;
	}
	return 0;
}

/* charset_copy_utf8 - copy UTF-8, each invalid byte becomes U+FFFD, NULs dropped */
static int
charset_copy_utf8(struct buf *out, const unsigned char *in, size_t len,
    unsigned *flags)
{
	size_t i = 0, start, n;

	while (i < len) {
		start = i;
		for (;;) {
			/* ASCII, the bulk of most text, needs no decoding */
			while (i < len && in[i] != 0 && in[i] < 0x80)
				i++;
			if (i >= len || in[i] == 0 ||
			    (n = charset_utf8_valid_len(in + i, len - i)) == 0)
				break;
			i += n;
		}
		if (i > start && buf_append(out, in + start, i - start) < 0)
			return -1;
		if (i >= len)
			break;
		if (in[i] != 0) {
			if (buf_append(out, charset_replacement, 3) < 0)
				return -1;
			*flags |= CHARSET_F_BAD;
		} else
			*flags |= CHARSET_F_NUL;
		i++;
	}
	return 0;
}

/* charset_is_utf8 - whole input valid UTF-8 */
static int
charset_is_utf8(const unsigned char *in, size_t len)
{
	size_t i = 0, n;

	while (i < len) {
		if (in[i] < 0x80) {
			i++;
			continue;
		}
		if ((n = charset_utf8_valid_len(in + i, len - i)) == 0)
			return 0;
		i += n;
	}
	return 1;
}

/* charset_normalise - lower-case name without quotes or RFC 2231 language; 0 if unusable */
static int
charset_normalise(const char *charset, char *name, size_t size)
{
	size_t n = 0;
	const char *p = charset;

	while (*p == ' ' || *p == '\t' || *p == '"' || *p == '\'')
		p++;
	for (; *p && *p != '*' && *p != '"' && *p != '\'' && *p != ' ' &&
	    *p != '\t'; p++) {
		char c = *p;

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' ||
		    c == '.' || c == ':'))
			return 0;
		if (n + 1 >= size)
			return 0;
		name[n++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	name[n] = '\0';
	return n > 0;
}

/* charset_iconv - convert with iconv, U+FFFD for what cannot be read */
static int
charset_iconv(struct buf *out, iconv_t cd, const char *in, size_t len,
    unsigned *flags)
{
	char chunk[4096], *ip = (char *)in, *op;
	size_t il = len, ol, r;
	struct buf tmp;

	buf_init(&tmp);
	for (;;) {
		op = chunk;
		ol = sizeof(chunk);
		r = iconv(cd, il > 0 ? &ip : NULL, &il, &op, &ol);
		if (op > chunk && buf_append(&tmp, chunk, (size_t)(op - chunk)) < 0)
			goto nomem;
		if (r != (size_t)-1) {
			if (il == 0)
				break;
			continue;
		}
		if (errno == E2BIG)
			continue;
		/* EILSEQ or EINVAL (truncated input): skip one byte */
		if (il == 0)
			break;
		if (buf_append(&tmp, charset_replacement, 3) < 0)
			goto nomem;
		*flags |= CHARSET_F_BAD;
		ip++;
		il--;
		iconv(cd, NULL, NULL, NULL, NULL);
		if (il == 0)
			break;
	}
	/* flush shift state (ISO-2022-JP, UTF-7) */
	op = chunk;
	ol = sizeof(chunk);
	iconv(cd, NULL, NULL, &op, &ol);
	if (op > chunk && buf_append(&tmp, chunk, (size_t)(op - chunk)) < 0)
		goto nomem;
	/* iconv output is UTF-8 but may hold NULs decoded from the input */
	if (charset_copy_utf8(out, (const unsigned char *)tmp.data, tmp.len,
	    flags) < 0)
		goto nomem;
	buf_free(&tmp);
	return 0;
nomem:
	buf_free(&tmp);
	return -1;
}

/* charset_guess - text of no known charset: UTF-8 when it is valid, else windows-1252 */
static int
charset_guess(struct buf *out, const unsigned char *u, size_t len,
    unsigned *flags)
{
	if (charset_is_utf8(u, len))
		return charset_copy_utf8(out, u, len, flags);
	return charset_from_cp1252(out, u, len, flags);
}

/* charset_to_utf8 - see charset.h */
int
charset_to_utf8(struct buf *out, const char *charset, const char *in,
    size_t len, unsigned *flags)
{
	const unsigned char *u = (const unsigned char *)in;
	char name[CHARSET_NAME_MAX + 1];
	const char *iname;
	iconv_t cd;
	size_t i;
	int r;

	if (len == 0)
		return 0;
	if (charset == NULL || *charset == '\0' ||
	    (charset_normalise(charset, name, sizeof(name)) &&
	    (strcmp(name, "us-ascii") == 0 || strcmp(name, "ascii") == 0 ||
	    strcmp(name, "ansi_x3.4-1968") == 0 ||
	    strcmp(name, "unknown-8bit") == 0 ||
	    strcmp(name, "x-unknown") == 0)))
		return charset_guess(out, u, len, flags);
	if (!charset_normalise(charset, name, sizeof(name))) {
		*flags |= CHARSET_F_BAD;
		return charset_guess(out, u, len, flags);
	}
	if (strcmp(name, "utf-8") == 0 || strcmp(name, "utf8") == 0)
		return charset_copy_utf8(out, u, len, flags);
	if (strcmp(name, "iso-8859-1") == 0 || strcmp(name, "latin1") == 0 ||
	    strcmp(name, "iso8859-1") == 0 || strcmp(name, "iso_8859-1") == 0 ||
	    strcmp(name, "windows-1252") == 0 || strcmp(name, "cp1252") == 0)
		return charset_from_cp1252(out, u, len, flags);
	iname = name;
	for (i = 0; i < sizeof(charset_aliases) / sizeof(charset_aliases[0]); i++)
		if (strcmp(name, charset_aliases[i].name) == 0)
			iname = charset_aliases[i].iconv_name;
	if ((cd = iconv_open("UTF-8", iname)) == (iconv_t)-1) {
		*flags |= CHARSET_F_BAD;
		return charset_guess(out, u, len, flags);
	}
	r = charset_iconv(out, cd, in, len, flags);
	iconv_close(cd);
	return r;
}
