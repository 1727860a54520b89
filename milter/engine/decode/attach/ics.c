/*
 * ics.c - a bounded iCalendar (RFC 5545) reader for invitations.
 *
 * Why not libical: vigie needs six properties of a file that an attacker
 * wrote; libical builds the whole component tree (memory in proportion
 * to the input, recursion on nesting) to give them. This reader is one
 * pass over the bytes with one line buffer capped at ICS_LINE_MAX: it
 * unfolds continuation lines (RFC 5545 3.1: CRLF followed by a space or
 * tab), splits "NAME;PARAM=...:VALUE" with quoted parameter values
 * respected, and undoes the TEXT escapes (\\ \; \, \n, 3.3.11). The
 * input is converted to valid UTF-8 first (RFC 5545 says UTF-8; anything
 * else is read as windows-1252, as charset.c does).
 *
 * What a calendar client shows of an invitation: the event's SUMMARY,
 * DESCRIPTION, LOCATION, COMMENT, the organiser's CN and Outlook's HTML
 * description (X-ALT-DESC;FMTTYPE=text/html) become text; URL and ATTACH
 * by reference (not inline binary) become links. Each event is its own
 * origin, "ics:event1", ...; properties before any event are
 * "ics:calendar". Events past max_attach_pages are not read
 * (MV_ANOM_LIMIT_ATTACH_ITEMS): a calendar is read like a document whose
 * pages are its events.
 */
#include "ics.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "attach.h"
#include "buf.h"
#include "charset.h"
#include "html.h"
#include "msgview.h"

#define ICS_LINE_MAX	(64 * 1024)	/* bytes of one unfolded line kept */

struct ics_reader {
	const struct attach_ctx *ctx;
	unsigned events;		/* BEGIN:VEVENT/VTODO/VJOURNAL seen */
	int	 stop;			/* too many events: read no more */
	char	 where[32];		/* "ics:eventN" */
	struct buf value;		/* unescaped value of the current line */
};

/* ics_unescape - a TEXT value with its escapes undone, in out */
static int
ics_unescape(struct buf *out, const char *v, size_t n)
{
	size_t i;
	char c;

	buf_reset(out);
	for (i = 0; i < n; i++) {
		c = v[i];
		if (c == '\\' && i + 1 < n) {
			c = v[++i];
			if (c == 'n' || c == 'N')
				c = '\n';
		}
		if (buf_append_char(out, c) < 0)
			return -1;
	}
	return 0;
}

/*
 * ics_param - the value of parameter key ("CN") within params (the text
 * between the name and the colon, starting at a ';'), quotes removed;
 * *n its length. NULL when absent.
 */
static const char *
ics_param(const char *params, size_t plen, const char *key, size_t *n)
{
	size_t kl = strlen(key), i = 0, end;
	int quoted;

	while (i < plen) {
		if (params[i++] != ';')
			continue;
		if (plen - i > kl && strncasecmp(params + i, key, kl) == 0 &&
		    params[i + kl] == '=') {
			i += kl + 1;
			quoted = i < plen && params[i] == '"';
			if (quoted)
				i++;
			for (end = i; end < plen && (quoted ? params[end] != '"' :
			    params[end] != ';'); end++)
				;
			*n = end - i;
			return params + i;
		}
	}
	return NULL;
}

/* ics_name_is - the property name (n bytes) is want, case ignored */
static int
ics_name_is(const char *name, size_t n, const char *want)
{
	return strlen(want) == n && strncasecmp(name, want, n) == 0;
}

/* ics_begin - BEGIN:<component>: a new event starts its own origin */
static void
ics_begin(struct ics_reader *r, const char *v, size_t n)
{
	if (!ics_name_is(v, n, "VEVENT") && !ics_name_is(v, n, "VTODO") &&
	    !ics_name_is(v, n, "VJOURNAL"))
		return;
	if (r->events >= r->ctx->mv->limits->max_attach_pages) {
		msgview_anomaly(r->ctx->mv, MV_ANOM_LIMIT_ATTACH_ITEMS);
		r->stop = 1;
		return;
	}
	r->events++;
	snprintf(r->where, sizeof(r->where), "ics:event%u", r->events);
	if (!attach_time_left(r->ctx->mv))
		r->stop = 1;
}

/* ics_html - Outlook's HTML description, read as HTML under the event's origin */
static int
ics_html(struct ics_reader *r)
{
	struct msgview *mv = r->ctx->mv;
	struct buf o;
	int rc;

	buf_init(&o);
	rc = attach_origin(r->ctx, r->where, &o);
	if (rc == 0)
		rc = msgview_set_origin(mv, buf_cstr(&o));
	if (rc == 0 && mv->text.len > 0 &&
	    mv->text.data[mv->text.len - 1] != '\n')
		rc = msgview_add_text(mv, "\n", 1);
	if (rc == 0)
		rc = html_extract(mv, buf_cstr(&r->value), r->value.len);
	if (rc == 0)
		rc = msgview_set_origin(mv, r->ctx->where);
	buf_free(&o);
	return rc;
}

/* ics_line - one unfolded content line */
static int
ics_line(struct ics_reader *r, const char *line, size_t len)
{
	size_t nl, i, pl;
	const char *params, *v, *p;
	int quoted = 0;

	nl = strcspn(line, ";:");
	if (nl >= len)
		return 0;
	params = line + nl;
	for (i = nl; i < len; i++) {
		if (line[i] == '"')
			quoted = !quoted;
		else if (line[i] == ':' && !quoted)
			break;
	}
	if (i >= len)
		return 0;
	pl = i - nl;
	v = line + i + 1;
	len -= i + 1;
	if (ics_name_is(line, nl, "BEGIN")) {
		ics_begin(r, v, len);
		return 0;
	}
	if (r->stop)
		return 0;
	if (ics_name_is(line, nl, "SUMMARY") ||
	    ics_name_is(line, nl, "DESCRIPTION") ||
	    ics_name_is(line, nl, "LOCATION") ||
	    ics_name_is(line, nl, "COMMENT")) {
		if (ics_unescape(&r->value, v, len) < 0)
			return -1;
		return attach_text(r->ctx, r->where, buf_cstr(&r->value),
		    r->value.len);
	}
	if (ics_name_is(line, nl, "ORGANIZER") &&
	    (p = ics_param(params, pl, "CN", &i)) != NULL)
		return attach_text(r->ctx, r->where, p, i);
	if (ics_name_is(line, nl, "X-ALT-DESC")) {
		if ((p = ics_param(params, pl, "FMTTYPE", &i)) == NULL ||
		    !ics_name_is(p, i, "text/html"))
			return 0;
		if (ics_unescape(&r->value, v, len) < 0)
			return -1;
		return ics_html(r);
	}
	if (ics_name_is(line, nl, "URL") || (ics_name_is(line, nl, "ATTACH") &&
	    ics_param(params, pl, "ENCODING", &i) == NULL))
		return attach_link(r->ctx, r->where, v, len, MV_URL_HREF);
	return 0;
}

/* ics_decode - see ics.h */
int
ics_decode(const struct attach_ctx *ctx, const char *data, size_t len)
{
	struct ics_reader r;
	struct buf utf8, line;
	const char *s, *eol;
	size_t i = 0, n, left;
	unsigned cf = 0;
	int rc = 0;

	memset(&r, 0, sizeof(r));
	r.ctx = ctx;
	snprintf(r.where, sizeof(r.where), "ics:calendar");
	buf_init(&r.value);
	buf_init(&utf8);
	buf_init(&line);
	if (charset_to_utf8(&utf8, NULL, data, len, &cf) < 0)
		rc = -1;
	s = buf_cstr(&utf8);
	while (rc == 0 && i < utf8.len) {
		left = utf8.len - i;
		eol = memchr(s + i, '\n', left);
		n = eol != NULL ? (size_t)(eol - (s + i)) : left;
		if (n > 0 && s[i + n - 1] == '\r')
			n--;
		if ((s[i] == ' ' || s[i] == '\t') && n > 0) {
			/* a folded continuation: its first blank is not content */
			if (line.len + n - 1 > ICS_LINE_MAX)
				n = ICS_LINE_MAX - line.len + 1;
			if (n > 1 && buf_append(&line, s + i + 1, n - 1) < 0)
				rc = -1;
		} else {
			if (line.len > 0)
				rc = ics_line(&r, buf_cstr(&line), line.len);
			buf_reset(&line);
			if (n > ICS_LINE_MAX)
				n = ICS_LINE_MAX;
			if (rc == 0 && buf_append(&line, s + i, n) < 0)
				rc = -1;
		}
		i = eol != NULL ? (size_t)(eol - s) + 1 : utf8.len;
	}
	if (rc == 0 && line.len > 0)
		rc = ics_line(&r, buf_cstr(&line), line.len);
	buf_free(&r.value);
	buf_free(&utf8);
	buf_free(&line);
	return rc;
}
