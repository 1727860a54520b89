/*
 * mimebound.c - how much of a raw message GMime may be given.
 *
 * Why: GMime 3.2 caps nesting at 1024 levels, but a 1000-deep multipart
 * followed by 8 MB of lines starting with "--" makes it compare every
 * such line with every open boundary: 9 s of CPU for one message. An
 * 8 MB message of empty parts ("--b\n\n" repeated) makes it build 1.6
 * million part objects: 12 s and 2 GB. Neither can be bounded through
 * GMime's API, so this pre-scan walks the structure first, the way
 * GMime's parser does (header blocks end at an empty line, the last
 * Content-Type wins and is parsed by GMime itself, boundary lines are
 * "--boundary" or "--boundary--" followed only by white space, checked
 * innermost first, message/rfc822 unless base64/qp/uuencoded opens a
 * nested message, parts of multipart/digest default to message/rfc822)
 * and returns the length of the prefix that stays within max_depth
 * levels and max_parts parts. GMime is then given only that prefix, so
 * its boundary stack never exceeds max_depth + 1 entries and its tree
 * max_parts + 1 parts.
 *
 * One GMime behaviour cannot be mirrored exactly: it reads in 4 KiB
 * blocks and checks for a boundary at the start of every block as well
 * as of every line, so a long line (over 128 bytes) holding a boundary
 * string may or may not split there. Any such line ends the prefix (and
 * is noted as MV_ANOM_BAD_BOUNDARY): honest mail has none, and a
 * structure GMime could read differently from this scan is never passed
 * on.
 *
 * Cost: one pass; per body line at most max_depth boundary comparisons
 * (and a memmem per boundary for lines over 128 bytes).
 */
#define _GNU_SOURCE		/* memmem */
#include "mimebound.h"

#include <string.h>
#include <strings.h>

#include "msgview.h"

#define MB_SPLIT_LINE	128		/* GMime's SCAN_HEAD */
#define MB_VALUE_MAX	(16 * 1024)	/* Content-Type value looked at */

struct mb_frame {
	char	*boundary;		/* "--" + boundary; NULL for a message */
	size_t	 blen;
	int	 digest;
};

enum mb_state { MB_HEADERS, MB_BODY, MB_MSGSTART };

struct mb_scan {
	const char *raw;
	size_t	 len;
	GMimeParserOptions *options;
	struct mb_frame *stack;
	unsigned nframes, max_depth, max_parts, parts;
	unsigned *anomalies;
	/* header block being read */
	size_t	 hdr_start;
	size_t	 ct_start, ct_end;	/* last Content-Type value */
	size_t	 cte_start, cte_end;	/* first Content-Transfer-Encoding */
	int	 in_ct;
	int	 parent_digest;
};

/* mb_lwsp - GMime's linear white space */
static int
mb_lwsp(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* mb_is_boundary - line is "--b" (final: "--b--") followed by white space only */
static int
mb_is_boundary(const char *line, size_t len, const struct mb_frame *f,
    int final)
{
	size_t i, n = f->blen + (final ? 2 : 0);

	if (len < n || memcmp(line, f->boundary, f->blen) != 0 ||
	    (final && memcmp(line + f->blen, "--", 2) != 0))
		return 0;
	for (i = n; i < len; i++)
		if (!mb_lwsp(line[i]))
			return 0;
	return 1;
}

/* mb_pop - drop frames down to n */
static void
mb_pop(struct mb_scan *s, unsigned n)
{
	while (s->nframes > n) {
		s->nframes--;
		g_free(s->stack[s->nframes].boundary);
	}
}

/* mb_header_line - note Content-Type and Content-Transfer-Encoding fields */
static void
mb_header_line(struct mb_scan *s, size_t start, size_t end)
{
	const char *p = s->raw + start, *colon, *n;
	size_t nlen;

	if (*p == ' ' || *p == '\t') {
		if (s->in_ct)
			s->ct_end = end;
		return;
	}
	s->in_ct = 0;
	if ((colon = memchr(p, ':', end - start)) == NULL)
		return;
	for (n = colon; n > p && (n[-1] == ' ' || n[-1] == '\t'); n--)
		;
	nlen = (size_t)(n - p);
	if (nlen == 12 && strncasecmp(p, "Content-Type", 12) == 0) {
		s->ct_start = (size_t)(colon + 1 - s->raw);
		s->ct_end = end;
		s->in_ct = 1;
	} else if (nlen == 25 && s->cte_end == 0 &&
	    strncasecmp(p, "Content-Transfer-Encoding", 25) == 0) {
		s->cte_start = (size_t)(colon + 1 - s->raw);
		s->cte_end = end;
	}
}

/* mb_dup - NUL-terminated copy of raw[start, end), at most MB_VALUE_MAX bytes */
static char *
mb_dup(const struct mb_scan *s, size_t start, size_t end)
{
	if (end - start > MB_VALUE_MAX)
		end = start + MB_VALUE_MAX;
	return g_strndup(s->raw + start, end - start);
}

/*
 * mb_end_headers - the header block is complete and its body begins at
 * body: decide what it opens. Returns 0 to go on, 1 when the prefix must
 * end at *cut.
 */
static int
mb_end_headers(struct mb_scan *s, size_t body, enum mb_state *state,
    size_t *cut)
{
	GMimeContentType *ct = NULL;
	const char *type, *subtype, *boundary, *v;
	char *value = NULL, *cte;
	int encoded = 0, stop = 0;

	*state = MB_BODY;
	if (++s->parts > s->max_parts) {
		*s->anomalies |= MV_ANOM_LIMIT_PARTS;
		*cut = s->hdr_start;
		return 1;
	}
	if (s->ct_end > 0) {
		value = mb_dup(s, s->ct_start, s->ct_end);
		ct = g_mime_content_type_parse(s->options, value);
	}
	type = ct != NULL ? g_mime_content_type_get_media_type(ct) : NULL;
	subtype = ct != NULL ? g_mime_content_type_get_media_subtype(ct) : NULL;
	if (s->parent_digest && (ct == NULL ||
	    (g_ascii_strcasecmp(type, "text") == 0 && value != NULL &&
	    (v = value + strspn(value, " \t\r\n"), g_ascii_strncasecmp(v,
	    "text", 4) != 0)))) {
		type = "message";
		subtype = "rfc822";
	}
	if (type == NULL)
		goto done;
	if (g_ascii_strcasecmp(type, "multipart") == 0) {
		boundary = g_mime_content_type_get_parameter(ct, "boundary");
		if (boundary == NULL) {
			/* GMime reads the whole body as a prologue */
			*s->anomalies |= MV_ANOM_BAD_BOUNDARY;
			goto done;
		}
		if (s->nframes >= s->max_depth) {
			*s->anomalies |= MV_ANOM_LIMIT_MIME_DEPTH;
			*cut = body;
			stop = 1;
			goto done;
		}
		s->stack[s->nframes].boundary = g_strconcat("--", boundary,
		    NULL);
		s->stack[s->nframes].blen = strlen(s->stack[s->nframes].boundary);
		s->stack[s->nframes].digest = g_ascii_strcasecmp(subtype,
		    "digest") == 0;
		s->nframes++;
	} else if (g_ascii_strcasecmp(type, "message") == 0 &&
	    (g_ascii_strcasecmp(subtype, "rfc822") == 0 ||
	    g_ascii_strcasecmp(subtype, "rfc2822") == 0 ||
	    g_ascii_strcasecmp(subtype, "global") == 0 ||
	    g_ascii_strcasecmp(subtype, "news") == 0)) {
		if (s->cte_end > 0) {
			cte = mb_dup(s, s->cte_start, s->cte_end);
			switch (g_mime_content_encoding_from_string(cte)) {
			case GMIME_CONTENT_ENCODING_BASE64:
			case GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE:
			case GMIME_CONTENT_ENCODING_UUENCODE:
				encoded = 1;
				break;
			default:
				break;
			}
			g_free(cte);
		}
		if (encoded)
			goto done;
		if (s->nframes >= s->max_depth) {
			*s->anomalies |= MV_ANOM_LIMIT_MIME_DEPTH;
			*cut = body;
			stop = 1;
			goto done;
		}
		s->stack[s->nframes].boundary = NULL;
		s->stack[s->nframes].blen = 0;
		s->stack[s->nframes].digest = 0;
		s->nframes++;
		*state = MB_MSGSTART;
	}
done:
	if (ct != NULL)
		g_object_unref(ct);
	g_free(value);
	return stop;
}

/* mb_begin_headers - start reading a header block at off */
static void
mb_begin_headers(struct mb_scan *s, size_t off)
{
	unsigned i;

	s->hdr_start = off;
	s->ct_start = s->ct_end = s->cte_start = s->cte_end = 0;
	s->in_ct = 0;
	s->parent_digest = 0;
	for (i = s->nframes; i > 0; i--)
		if (s->stack[i - 1].boundary != NULL) {
			s->parent_digest = s->stack[i - 1].digest;
			break;
		}
}

/*
 * mb_body_line - a body line: returns 1 when it is a boundary (state
 * updated), 0 when it is content, -1 when it is ambiguous.
 */
static int
mb_body_line(struct mb_scan *s, const char *line, size_t len, size_t next,
    enum mb_state *state)
{
	size_t clen = len;
	unsigned i;

	if (clen > 0 && line[clen - 1] == '\r')
		clen--;
	if (clen >= 2 && line[0] == '-' && line[1] == '-') {
		for (i = s->nframes; i > 0; i--) {
			const struct mb_frame *f = &s->stack[i - 1];

			if (f->boundary == NULL)
				continue;
			if (mb_is_boundary(line, clen, f, 1)) {
				mb_pop(s, i - 1);
				*state = MB_BODY;
				return 1;
			}
			if (mb_is_boundary(line, clen, f, 0)) {
				mb_pop(s, i);
				*state = MB_HEADERS;
				mb_begin_headers(s, next);
				return 1;
			}
		}
	}
	if (len > MB_SPLIT_LINE)
		for (i = 0; i < s->nframes; i++)
			if (s->stack[i].boundary != NULL &&
			    memmem(line, len, s->stack[i].boundary,
			    s->stack[i].blen) != NULL)
				return -1;
	return 0;
}

/* mimebound_cut - see mimebound.h */
size_t
mimebound_cut(const char *raw, size_t len, unsigned max_depth,
    unsigned max_parts, GMimeParserOptions *options, unsigned *anomalies)
{
	struct mb_scan s;
	enum mb_state state = MB_HEADERS;
	size_t pos = 0, next, llen, cut = len;
	const char *eol;
	unsigned i;
	int r;

	memset(&s, 0, sizeof(s));
	s.raw = raw;
	s.len = len;
	s.options = options;
	s.max_depth = max_depth;
	s.max_parts = max_parts;
	s.anomalies = anomalies;
	if ((s.stack = g_try_new0(struct mb_frame, max_depth + 1)) == NULL)
		return 0;
	mb_begin_headers(&s, 0);
	while (pos < len) {
		eol = memchr(raw + pos, '\n', len - pos);
		next = eol != NULL ? (size_t)(eol - raw) + 1 : len;
		llen = (eol != NULL ? (size_t)(eol - raw) : len) - pos;
		switch (state) {
		case MB_HEADERS:
			if (llen == 0 || (llen == 1 && raw[pos] == '\r')) {
				if (mb_end_headers(&s, next, &state, &cut))
					goto out;
			} else
				mb_header_line(&s, pos, pos + llen);
			break;
		case MB_MSGSTART:
			r = mb_body_line(&s, raw + pos, llen, next, &state);
			if (r < 0)
				goto ambiguous;
			if (r == 0) {
				state = MB_HEADERS;
				mb_begin_headers(&s, pos);
				continue;	/* the line is a header line */
			}
			break;
		case MB_BODY:
			if (mb_body_line(&s, raw + pos, llen, next, &state) < 0)
				goto ambiguous;
			break;
		}
		pos = next;
	}
	if (state == MB_HEADERS && pos > s.hdr_start)
		(void)mb_end_headers(&s, len, &state, &cut);
	for (i = 0; i < s.nframes; i++)
		if (s.stack[i].boundary != NULL)
			*anomalies |= MV_ANOM_BAD_BOUNDARY;	/* unclosed */
	goto out;
ambiguous:
	*anomalies |= MV_ANOM_BAD_BOUNDARY;
	cut = pos;
out:
	mb_pop(&s, 0);
	g_free(s.stack);
	return cut;
}
