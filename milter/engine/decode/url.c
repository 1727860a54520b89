/*
 * url.c - URLs: found in text, parsed into the parts rules look at.
 *
 * Parsing follows what browsers do (WHATWG URL) where phishing relies on
 * it, not the letter of RFC 3986:
 *   - TAB, CR and LF inside a URL are removed, surrounding white space
 *     and control characters trimmed;
 *   - for the special schemes (http, https, ftp, ws, wss) any run of '/'
 *     or '\' after the colon introduces the host, so "https:\\evil" and
 *     "http:/evil" reach evil;
 *   - other schemes count only with "//" (ftp-like); mailto:, tel:,
 *     javascript:, data:, cid: and the like name no host a click would
 *     visit and are not kept;
 *   - the host follows the last '@' of the authority (user@host tricks
 *     flagged), is percent-decoded, and is an IPv4 address whenever every
 *     dot-separated label is a number in decimal, octal (leading 0) or hex
 *     (0x), the last label filling the remaining bytes: 3232235777,
 *     0xC0A80101, 0300.0250.1.1 and 192.168.257 are all IP hosts;
 *   - a relative URL is resolved against base (scheme and host, then path
 *     by plain concatenation: dot segments do not change the host, which
 *     is what matters here) and dropped when there is none;
 *   - a link rewriter or open redirect (redirect.c) is added flagged
 *     MV_URL_WRAPPER, followed by its target flagged MV_URL_UNWRAPPED,
 *     which carries the anchor text.
 * Every step is linear in the URL length and URLs are cut at URL_MAX.
 */
#include "url.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "arena.h"
#include "buf.h"
#include "codec.h"
#include "domain.h"
#include "redirect.h"

#define URL_MAX		8192		/* longer URLs are cut */

/* url_is_space - white space or a control character */
static int
url_is_space(unsigned char c)
{
	return c <= 0x20 || c == 0x7F;
}

/* url_clean - trimmed copy without TAB/CR/LF, at most URL_MAX bytes */
static int
url_clean(struct buf *b, const char *raw, size_t len)
{
	size_t i;

	if (len > URL_MAX)
		len = URL_MAX;
	while (len > 0 && url_is_space((unsigned char)raw[0])) {
		raw++;
		len--;
	}
	while (len > 0 && url_is_space((unsigned char)raw[len - 1]))
		len--;
	for (i = 0; i < len; i++)
		if (raw[i] != '\t' && raw[i] != '\r' && raw[i] != '\n' &&
		    raw[i] != '\0' && buf_append_char(b, raw[i]) < 0)
			return -1;
	if (buf_append(b, "", 0) < 0)
		return -1;
	return 0;
}

/* url_scheme_len - length of a leading "scheme:" (without ':'), 0 if none */
static size_t
url_scheme_len(const char *s)
{
	size_t i;

	if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
		return 0;
	for (i = 1; s[i] != '\0'; i++) {
		if (s[i] == ':')
			return i;
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' &&
		    s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') ||
		    s[i] == '+' || s[i] == '-' || s[i] == '.'))
			return 0;
	}
	return 0;
}

/* url_is_special - WHATWG special scheme, where '\' and missing slashes still lead to a host */
static int
url_is_special(const char *scheme)
{
	return strcmp(scheme, "http") == 0 || strcmp(scheme, "https") == 0 ||
	    strcmp(scheme, "ftp") == 0 || strcmp(scheme, "ws") == 0 ||
	    strcmp(scheme, "wss") == 0;
}

/* url_num - one IPv4 label as a number (dec, 0oct, 0xhex); 0 if not one */
static int
url_num(const char *s, size_t len, uint64_t *v)
{
	unsigned base = 10;
	size_t i = 0;
	int d;

	*v = 0;
	if (len == 0)
		return 0;
	if (len >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
	} else if (len >= 2 && s[0] == '0') {
		base = 8;
		i = 1;
	}
	for (; i < len; i++) {
		char c = s[i];

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (base == 16 && c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (base == 16 && c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return 0;
		if ((unsigned)d >= base)
			return 0;
		*v = *v * base + (unsigned)d;
		if (*v > 0xFFFFFFFFu)
			return 0;
	}
	return 1;
}

/* url_ipv4 - host in any IPv4 notation to dotted quad; 1 if it is one */
static int
url_ipv4(const char *host, char out[16])
{
	uint64_t part[4], v, addr = 0;
	size_t n = 0, len = strlen(host), i, start = 0;

	if (len > 0 && host[len - 1] == '.')
		len--;
	if (len == 0)
		return 0;
	for (i = 0; i <= len; i++) {
		if (i < len && host[i] != '.')
			continue;
		if (n == 4 || !url_num(host + start, i - start, &v))
			return 0;
		part[n++] = v;
		start = i + 1;
	}
	for (i = 0; i + 1 < n; i++) {
		if (part[i] > 255)
			return 0;
		addr |= part[i] << (8 * (3 - i));
	}
	if (part[n - 1] >= ((uint64_t)1 << (8 * (5 - n))))
		return 0;
	addr |= part[n - 1];
	snprintf(out, 16, "%u.%u.%u.%u", (unsigned)(addr >> 24) & 255,
	    (unsigned)(addr >> 16) & 255, (unsigned)(addr >> 8) & 255,
	    (unsigned)addr & 255);
	return 1;
}

/* url_ipv6 - bracket contents to compressed form; 1 if it is an IPv6 address */
static int
url_ipv6(const char *s, size_t len, char out[INET6_ADDRSTRLEN])
{
	char tmp[INET6_ADDRSTRLEN + 1];
	unsigned char a[16];
	const char *zone;

	if ((zone = memchr(s, '%', len)) != NULL)
		len = (size_t)(zone - s);
	if (len == 0 || len >= sizeof(tmp))
		return 0;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	if (inet_pton(AF_INET6, tmp, a) != 1)
		return 0;
	return inet_ntop(AF_INET6, a, out, INET6_ADDRSTRLEN) != NULL;
}

/*
 * url_resolve - absolute form of a relative reference against base;
 * returns 1 and fills out, 0 when base is not absolute.
 */
static int
url_resolve(struct buf *out, const char *base, const char *rel, int *err)
{
	struct buf b;
	size_t sl, auth, pathstart, cut, i;
	const char *p;
	int ok = 0;

	*err = 0;
	buf_init(&b);
	if (url_clean(&b, base, strlen(base)) < 0)
		goto nomem;
	p = buf_cstr(&b);
	if ((sl = url_scheme_len(p)) == 0)
		goto done;
	auth = sl + 1;
	while (p[auth] == '/' || p[auth] == '\\')
		auth++;
	if (auth == sl + 1)
		goto done;
	pathstart = auth + strcspn(p + auth, "/\\?#");
	if (rel[0] == '/' || rel[0] == '\\')
		cut = pathstart;
	else if (rel[0] == '?')
		cut = pathstart + strcspn(p + pathstart, "?#");
	else if (rel[0] == '#')
		cut = pathstart + strcspn(p + pathstart, "#");
	else {
		cut = pathstart + strcspn(p + pathstart, "?#");
		for (i = cut; i > pathstart && p[i - 1] != '/'; i--)
			;
		cut = i;
	}
	if (buf_append(out, p, cut) < 0 ||
	    (cut == pathstart && rel[0] != '/' && rel[0] != '\\' &&
	    rel[0] != '?' && rel[0] != '#' && buf_append_char(out, '/') < 0) ||
	    buf_append_str(out, rel) < 0)
		goto nomem;
	ok = 1;
	goto done;
nomem:
	*err = 1;
done:
	buf_free(&b);
	return ok;
}

/* url_parse_add - parse an absolute or host-led URL and add it */
static int
url_parse_add(struct msgview *mv, const char *s, const char *base_scheme,
    enum mv_url_source source, const char *anchor_text, unsigned flags)
{
	char scheme[32] = "", ip[INET6_ADDRSTRLEN + 16];
	const char *auth, *end, *at, *hp, *colon, *rb;
	struct mv_url u;
	struct buf host;
	size_t sl, i;
	int idn, r = -1;

	memset(&u, 0, sizeof(u));
	u.flags = flags;
	buf_init(&host);
	if ((sl = url_scheme_len(s)) > 0 && sl < sizeof(scheme) &&
	    strncasecmp(s, "www.", 4) != 0) {
		for (i = 0; i < sl; i++)
			scheme[i] = (char)((s[i] >= 'A' && s[i] <= 'Z') ?
			    s[i] + 32 : s[i]);
		scheme[sl] = '\0';
		auth = s + sl + 1;
		if (url_is_special(scheme)) {
			while (*auth == '/' || *auth == '\\')
				auth++;
		} else if (auth[0] == '/' && auth[1] == '/')
			auth += 2;
		else
			return 0;	/* mailto:, javascript:, data:, cid: ... */
	} else if (sl > 0)
		return 0;		/* over-long scheme */
	else if ((s[0] == '/' || s[0] == '\\') && (s[1] == '/' || s[1] == '\\')) {
		snprintf(scheme, sizeof(scheme), "%s", base_scheme);
		for (auth = s; *auth == '/' || *auth == '\\'; auth++)
			;
	} else if (strncasecmp(s, "www.", 4) == 0)
		auth = s;
	else
		return 0;

	end = auth + strcspn(auth, "/\\?#");
	u.path = end;
	hp = auth;
	for (at = auth; at < end; at++)
		if (*at == '@')
			hp = at + 1;
	if (hp != auth)
		u.flags |= MV_URL_USERINFO;
	if (*hp == '[' && (rb = memchr(hp, ']', (size_t)(end - hp))) != NULL) {
		if (!url_ipv6(hp + 1, (size_t)(rb - hp - 1), ip))
			return 0;
		u.flags |= MV_URL_IP_HOST;
		u.host = u.host_ascii = u.domain = ip;
	} else {
		for (colon = end; colon > hp && colon[-1] != ':'; colon--)
			;
		if (colon > hp)
			colon--;
		else
			colon = end;
		if (codec_pct_decode(&host, hp, (size_t)(colon - hp), -1) < 0)
			goto done;
		if (host.len == 0) {
			r = 0;
			goto done;
		}
		if (url_ipv4(host.data, ip)) {
			u.flags |= MV_URL_IP_HOST;
			u.host = u.host_ascii = u.domain = ip;
		} else {
			if ((idn = domain_forms(mv->arena, host.data,
			    &u.host_ascii, &u.host)) < 0)
				goto done;
			if (idn)
				u.flags |= MV_URL_IDN;
			if ((u.domain = domain_registrable(mv->arena,
			    u.host_ascii)) == NULL)
				goto done;
		}
	}
	u.url = s;
	u.scheme = scheme;
	u.source = source;
	u.text = anchor_text;
	r = msgview_add_url(mv, &u);
done:
	buf_free(&host);
	return r;
}

/*
 * url_add_unwrapped - add s and, when it is a rewriter or redirect
 * (redirect.c), the target it leads to, at most REDIRECT_MAX_HOPS deep.
 * The anchor text goes with the final target: it is what the text
 * claims the click reaches.
 */
static int
url_add_unwrapped(struct msgview *mv, const char *s, const char *base_scheme,
    enum mv_url_source source, const char *anchor_text)
{
	struct buf hop[2];
	unsigned flags = 0, n;
	int r = 0, w = 0;

	buf_init(&hop[0]);
	buf_init(&hop[1]);
	for (n = 0; r == 0; n++) {
		buf_reset(&hop[n % 2]);
		w = n < REDIRECT_MAX_HOPS ? redirect_unwrap(s, &hop[n % 2]) : 0;
		if (w < 0 || (r = url_parse_add(mv, s, base_scheme, source,
		    w > 0 ? NULL : anchor_text, flags |
		    (w > 0 ? MV_URL_WRAPPER : 0))) < 0 || w == 0)
			break;
		s = buf_cstr(&hop[n % 2]);
		flags = MV_URL_UNWRAPPED;
	}
	buf_free(&hop[0]);
	buf_free(&hop[1]);
	return w < 0 ? -1 : r;
}

/* url_add - see url.h */
int
url_add(struct msgview *mv, const char *raw, size_t len, const char *base,
    enum mv_url_source source, const char *anchor_text)
{
	struct buf clean, abs;
	const char *s, *bs;
	char base_scheme[32] = "";
	size_t sl;
	int r = -1, err;

	if (mv->nurls >= mv->limits->max_urls) {
		msgview_anomaly(mv, MV_ANOM_LIMIT_URLS);
		return 0;
	}
	buf_init(&clean);
	buf_init(&abs);
	if (url_clean(&clean, raw, len) < 0)
		goto done;
	s = buf_cstr(&clean);
	if (base != NULL) {
		for (bs = base; url_is_space((unsigned char)*bs) && *bs; bs++)
			;
		if ((sl = url_scheme_len(bs)) > 0 && sl < sizeof(base_scheme)) {
			size_t i;

			for (i = 0; i < sl; i++)
				base_scheme[i] = (char)((bs[i] >= 'A' &&
				    bs[i] <= 'Z') ? bs[i] + 32 : bs[i]);
		}
	}
	if (*s == '\0') {
		r = 0;
		goto done;
	}
	if (url_scheme_len(s) == 0 && strncasecmp(s, "www.", 4) != 0 &&
	    !((s[0] == '/' || s[0] == '\\') && (s[1] == '/' || s[1] == '\\'))) {
		/* relative reference */
		if (base == NULL || *base_scheme == '\0') {
			r = 0;
			goto done;
		}
		if (!url_resolve(&abs, base, s, &err)) {
			r = err ? -1 : 0;
			goto done;
		}
		s = buf_cstr(&abs);
	}
	r = url_add_unwrapped(mv, s, base_scheme, source, anchor_text);
done:
	buf_free(&clean);
	buf_free(&abs);
	return r;
}

/* url_stop - byte that ends a URL in plain text */
static int
url_stop(unsigned char c)
{
	return c <= 0x20 || c == 0x7F || c == '<' || c == '>' || c == '"' ||
	    c == '`' || c == '{' || c == '}' || c == '|' || c == '^';
}

/* url_unicode_stop - multi-byte white space that also ends a URL (NBSP, U+2000..200B, U+3000) */
static size_t
url_unicode_stop(const unsigned char *p, size_t left)
{
	if (left >= 2 && p[0] == 0xC2 && p[1] == 0xA0)
		return 2;
	if (left >= 3 && p[0] == 0xE2 && p[1] == 0x80 && p[2] <= 0x8B)
		return 3;
	if (left >= 3 && p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80)
		return 3;
	return 0;
}

/* url_trim_end - drop trailing punctuation and unbalanced closing brackets */
static size_t
url_trim_end(const char *s, size_t len)
{
	size_t i;
	long paren = 0, bracket = 0;

	for (i = 0; i < len; i++) {
		if (s[i] == '(')
			paren++;
		else if (s[i] == ')')
			paren--;
		else if (s[i] == '[')
			bracket++;
		else if (s[i] == ']')
			bracket--;
	}
	while (len > 0) {
		char c = s[len - 1];

		if (c == '.' || c == ',' || c == ';' || c == ':' || c == '!' ||
		    c == '?' || c == '\'' || c == '*')
			len--;
		else if (c == ')' && paren < 0) {
			paren++;
			len--;
		} else if (c == ']' && bracket < 0) {
			bracket++;
			len--;
		} else
			break;
	}
	return len;
}

/* url_scan_text - see url.h; each byte is looked at a bounded number of times */
int
url_scan_text(struct msgview *mv, const char *text, size_t len)
{
	const unsigned char *t = (const unsigned char *)text;
	size_t i = 0, j, n, ulen;
	int start;

	while (i < len) {
		start = 0;
		if ((t[i] | 0x20) == 'h' && len - i >= 8 &&
		    (strncasecmp(text + i, "http://", 7) == 0 ||
		    strncasecmp(text + i, "https://", 8) == 0))
			start = 1;
		else if ((t[i] | 0x20) == 'w' && len - i >= 5 &&
		    strncasecmp(text + i, "www.", 4) == 0 &&
		    (i == 0 || !((t[i - 1] >= 'a' && t[i - 1] <= 'z') ||
		    (t[i - 1] >= 'A' && t[i - 1] <= 'Z') ||
		    (t[i - 1] >= '0' && t[i - 1] <= '9') || t[i - 1] == '.' ||
		    t[i - 1] == '-' || t[i - 1] == '/' || t[i - 1] == '@')))
			start = 1;
		if (!start) {
			i++;
			continue;
		}
		for (j = i; j < len && !url_stop(t[j]); j++)
			if (t[j] >= 0x80 && (n = url_unicode_stop(t + j,
			    len - j)) > 0)
				break;
		ulen = url_trim_end(text + i, j - i);
		if (ulen > 4 && url_add(mv, text + i, ulen, NULL, MV_URL_TEXT,
		    NULL) < 0)
			return -1;
		i = j > i ? j : i + 1;
	}
	return 0;
}
