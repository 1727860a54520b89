/*
 * redirect.c - the target behind a link rewriter or open redirect.
 *
 * Known forms, by host and path:
 *   - Google: google.<tld> (www. too) /url ?q= or ?url=
 *   - Outlook safelinks: *.safelinks.protection.outlook.com ?url=
 *   - Proofpoint urldefense v2: urldefense.proofpoint.com/v2/url?u=,
 *     where '-' stands for '%' and '_' for '/' before percent-decoding;
 *     v3: urldefense.com/v3/__<url>__;<base64 of the replaced bytes>!...,
 *     each '*' of <url> standing for the next replaced character
 *   - any other http(s) URL with a query parameter named like a
 *     redirect (url, u, target, redirect, redirect_url, dest,
 *     destination, goto, link, out) whose decoded value is an absolute
 *     http(s) URL: an open redirect carries its target in clear.
 * Values are percent-decoded once (twice when the first pass still
 * starts with "http%3A"); a target must start with http:// or https://.
 * Everything is linear in the URL, which url.c has already cut.
 */
#include "redirect.h"

#include <string.h>
#include <strings.h>

#include "buf.h"
#include "codec.h"

static const char *const redirect_params[] = {
	"url", "u", "target", "redirect", "redirect_url", "dest",
	"destination", "goto", "link", "out",
};

/* redirect_is_http - s starts with http:// or https:// */
static int
redirect_is_http(const char *s)
{
	return strncasecmp(s, "http://", 7) == 0 ||
	    strncasecmp(s, "https://", 8) == 0;
}

/* redirect_param - value of query parameter name in q[0 .. len), NULL if absent */
static const char *
redirect_param(const char *q, size_t len, const char *name, size_t *vlen)
{
	size_t i = 0, end, n = strlen(name);

	while (i < len) {
		for (end = i; end < len && q[end] != '&' && q[end] != ';'; end++)
			;
		if (end - i > n && q[i + n] == '=' &&
		    strncasecmp(q + i, name, n) == 0) {
			*vlen = end - i - n - 1;
			return q + i + n + 1;
		}
		i = end + 1;
	}
	return NULL;
}

/*
 * redirect_value - a parameter value decoded into out if it is an
 * http(s) URL; 1 if so. A value still reading "http%3A" after one pass
 * was encoded twice and is decoded again.
 */
static int
redirect_value(const char *v, size_t vlen, struct buf *out)
{
	struct buf once, twice, *got = &once;
	int r = 0;

	buf_init(&once);
	buf_init(&twice);
	if (codec_pct_decode(&once, v, vlen, ' ') < 0)
		goto nomem;
	if ((strncasecmp(buf_cstr(&once), "http%3a", 7) == 0 ||
	    strncasecmp(buf_cstr(&once), "https%3a", 8) == 0)) {
		if (codec_pct_decode(&twice, once.data, once.len, ' ') < 0)
			goto nomem;
		got = &twice;
	}
	if (redirect_is_http(buf_cstr(got)))
		r = buf_append_str(out, buf_cstr(got)) < 0 ? -1 : 1;
	goto done;
nomem:
	r = -1;
done:
	buf_free(&once);
	buf_free(&twice);
	return r;
}

/* redirect_b64 - value of a base64 or base64url digit, -1 if none */
static int
redirect_b64(char c)
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

/*
 * redirect_proofpoint_v3 - "__<url>__;<b64>!..." after /v3/: the url
 * with each '*' replaced by the next character of the decoded b64.
 */
static int
redirect_proofpoint_v3(const char *s, struct buf *out)
{
	const char *end = strstr(s, "__;"), *b;
	struct buf subst;
	unsigned acc = 0;
	int bits = 0, v, r = 0;
	size_t k = 0, n;

	if (strncmp(s, "__", 2) != 0 || end == NULL)
		return 0;
	s += 2;
	buf_init(&subst);
	for (b = end + 3; *b != '\0' && *b != '!' && *b != '$'; b++) {
		if ((v = redirect_b64(*b)) < 0)
			continue;
		acc = acc << 6 | (unsigned)v;
		if ((bits += 6) >= 8) {
			bits -= 8;
			if (buf_append_char(&subst, (char)(acc >> bits & 0xFF)) < 0)
				goto nomem;
		}
	}
	if (!redirect_is_http(s))
		goto done;
	for (; s < end; s++) {
		if (*s == '*' && k < subst.len) {
			/* one replaced character: a whole UTF-8 sequence */
			n = 1;
			while (k + n < subst.len &&
			    ((unsigned char)subst.data[k + n] & 0xC0) == 0x80)
				n++;
			if (buf_append(out, subst.data + k, n) < 0)
				goto nomem;
			k += n;
		} else if (buf_append_char(out, *s) < 0)
			goto nomem;
	}
	r = buf_append(out, "", 0) < 0 ? -1 : 1;
	goto done;
nomem:
	r = -1;
done:
	buf_free(&subst);
	return r;
}

/* redirect_google - google.<tld> or www.google.<tld>, or google.co.<cc> */
static int
redirect_google(const char *host, size_t len)
{
	size_t i;

	if (len > 4 && strncmp(host, "www.", 4) == 0) {
		host += 4;
		len -= 4;
	}
	if (len < 8 || strncmp(host, "google.", 7) != 0)
		return 0;
	for (i = 7; i < len; i++)
		if (!((host[i] >= 'a' && host[i] <= 'z') || host[i] == '.'))
			return 0;
	return 1;
}

/* redirect_ends - host ends with suffix */
static int
redirect_ends(const char *host, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);

	return len > n && strncmp(host + len - n, suffix, n) == 0;
}

/* redirect_unwrap - see redirect.h */
int
redirect_unwrap(const char *url, struct buf *out)
{
	char host[256];
	const char *auth, *p, *q, *v;
	size_t hlen, plen, qlen, vlen, i;
	int r;

	if (!redirect_is_http(url))
		return 0;
	auth = strstr(url, "//") + 2;
	hlen = strcspn(auth, "/\\?#");
	for (i = hlen; i > 0 && auth[i - 1] != '@'; i--)
		;
	auth += i;
	hlen -= i;
	for (i = 0; i < hlen && auth[i] != ':'; i++)
		;
	hlen = i;
	if (hlen == 0 || hlen >= sizeof(host))
		return 0;
	for (i = 0; i < hlen; i++)
		host[i] = (char)((auth[i] >= 'A' && auth[i] <= 'Z') ?
		    auth[i] + 32 : auth[i]);
	host[hlen] = '\0';
	p = auth + strcspn(auth, "/\\?#");
	plen = strcspn(p, "?#");
	q = p[plen] == '?' ? p + plen + 1 : p + plen;
	qlen = strcspn(q, "#");

	if (strcmp(host, "urldefense.com") == 0 && plen >= 4 &&
	    strncmp(p, "/v3/", 4) == 0)
		return redirect_proofpoint_v3(p + 4, out);
	if (strcmp(host, "urldefense.proofpoint.com") == 0 &&
	    (v = redirect_param(q, qlen, "u", &vlen)) != NULL) {
		struct buf tmp;

		buf_init(&tmp);
		for (i = 0; i < vlen; i++)
			if (buf_append_char(&tmp, v[i] == '-' ? '%' :
			    v[i] == '_' ? '/' : v[i]) < 0) {
				buf_free(&tmp);
				return -1;
			}
		r = tmp.len > 0 ? redirect_value(tmp.data, tmp.len, out) : 0;
		buf_free(&tmp);
		return r;
	}
	if (redirect_google(host, hlen) && plen == 4 &&
	    strncmp(p, "/url", 4) == 0 &&
	    (((v = redirect_param(q, qlen, "q", &vlen)) != NULL &&
	    (r = redirect_value(v, vlen, out)) != 0) ||
	    ((v = redirect_param(q, qlen, "url", &vlen)) != NULL &&
	    (r = redirect_value(v, vlen, out)) != 0)))
		return r;
	if (redirect_ends(host, hlen, ".safelinks.protection.outlook.com") &&
	    (v = redirect_param(q, qlen, "url", &vlen)) != NULL)
		return redirect_value(v, vlen, out);
	for (i = 0; i < sizeof(redirect_params) / sizeof(redirect_params[0]);
	    i++)
		if ((v = redirect_param(q, qlen, redirect_params[i], &vlen)) !=
		    NULL && (r = redirect_value(v, vlen, out)) != 0)
			return r;
	return 0;
}
