/*
 * htmlscript.c - where an HTML attachment sends its reader without a click.
 *
 * An HTML attachment opened from a mail goes to a local browser, where
 * <meta http-equiv=refresh> and a script's "location = '...'" or
 * "window.open('...')" lead to the phishing page at once; html.c drops
 * <script> and reads <meta> for nothing, so those targets are found
 * here. This is a literal scan, not a JavaScript interpreter: a target
 * built by concatenation or decoding is not found (the obfuscation is
 * itself left to rules on the file's other features). Each byte is
 * looked at a bounded number of times; a literal is at most
 * HTMLSCRIPT_URL_MAX bytes.
 */
#include "htmlscript.h"

#include <string.h>
#include <strings.h>

#include "msgview.h"
#include "url.h"

#define HTMLSCRIPT_URL_MAX	2048
#define HTMLSCRIPT_META_MAX	4096	/* bytes of one <meta> tag looked at */

/* hs_space - JavaScript / HTML white space, ASCII only */
static int
hs_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f';
}

/* hs_skip - p past white space, not beyond end */
static const char *
hs_skip(const char *p, const char *end)
{
	while (p < end && hs_space(*p))
		p++;
	return p;
}

/* hs_starts - p (before end) starts with word */
static int
hs_starts(const char *p, const char *end, const char *word)
{
	size_t n = strlen(word);

	return (size_t)(end - p) >= n && memcmp(p, word, n) == 0;
}

/*
 * hs_literal - the quoted string literal at p added as a link; returns
 * where the scan resumes (past what was looked at), NULL on memory failure.
 */
static const char *
hs_literal(struct msgview *mv, const char *p, const char *end)
{
	const char *q;
	char quote;

	if (p >= end || (*p != '\'' && *p != '"' && *p != '`'))
		return p;
	quote = *p++;
	for (q = p; q < end && *q != quote && *q != '\n' &&
	    q - p < HTMLSCRIPT_URL_MAX; q++)
		;
	if (q >= end || *q != quote || q == p)
		return q;
	if (url_add(mv, p, (size_t)(q - p), NULL, MV_URL_HREF, NULL) < 0)
		return NULL;
	return q;
}

/* hs_location - after "location": "= lit", ".href = lit", ".replace(lit)", ".assign(lit)" */
static const char *
hs_location(struct msgview *mv, const char *p, const char *end)
{
	if (hs_starts(p, end, ".href"))
		p += 5;
	else if (hs_starts(p, end, ".replace("))
		return hs_literal(mv, hs_skip(p + 9, end), end);
	else if (hs_starts(p, end, ".assign("))
		return hs_literal(mv, hs_skip(p + 8, end), end);
	p = hs_skip(p, end);
	if (p >= end || *p != '=' || (p + 1 < end && p[1] == '='))
		return p;
	return hs_literal(mv, hs_skip(p + 1, end), end);
}

/* hs_find - case-insensitive search of word in [p, end) */
static const char *
hs_find(const char *p, const char *end, const char *word)
{
	size_t n = strlen(word);

	for (; (size_t)(end - p) >= n; p++)
		if (strncasecmp(p, word, n) == 0)
			return p;
	return NULL;
}

/* hs_meta - one <meta ...> tag: the url= of a refresh; resumes past the tag */
static const char *
hs_meta(struct msgview *mv, const char *tag, const char *end)
{
	const char *gt, *u, *q;

	if (end - tag > HTMLSCRIPT_META_MAX)
		end = tag + HTMLSCRIPT_META_MAX;
	if ((gt = memchr(tag, '>', (size_t)(end - tag))) == NULL)
		gt = end;
	/* content= may come before http-equiv= */
	if (hs_find(tag, gt, "http-equiv") == NULL ||
	    (u = hs_find(tag, gt, "refresh")) == NULL ||
	    ((u = hs_find(u, gt, "url")) == NULL &&
	    (u = hs_find(tag, gt, "url")) == NULL))
		return gt;
	u = hs_skip(u + 3, gt);
	if (u >= gt || *u != '=')
		return gt;
	u = hs_skip(u + 1, gt);
	if (u < gt && (*u == '\'' || *u == '"'))
		u++;
	for (q = u; q < gt && *q != '"' && *q != '\'' && !hs_space(*q); q++)
		;
	if (q > u && url_add(mv, u, (size_t)(q - u), NULL, MV_URL_HREF,
	    NULL) < 0)
		return NULL;
	return gt;
}

/* htmlscript_scan - see htmlscript.h; the scan always moves forward */
int
htmlscript_scan(struct msgview *mv, const char *html, size_t len)
{
	const char *p = html, *end = html + len, *next;

	while (p < end) {
		next = p + 1;
		if (*p == '<' && (size_t)(end - p) > 5 &&
		    strncasecmp(p + 1, "meta", 4) == 0 && hs_space(p[5]))
			next = hs_meta(mv, p + 5, end);
		else if (*p == 'l' && hs_starts(p, end, "location"))
			next = hs_location(mv, p + 8, end);
		else if (*p == 'w' && hs_starts(p, end, "window.open("))
			next = hs_literal(mv, hs_skip(p + 12, end), end);
		if (next == NULL)
			return -1;
		p = next > p ? next : p + 1;
	}
	return 0;
}
