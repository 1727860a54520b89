/*
 * forward.c - the lure a report to the security team forwards, judged on
 * its own.
 *
 * Mail whose every recipient is a report mailbox (report_addresses) is
 * tagged at most: the team must receive it. What it forwards is judged
 * here as a message of its own, so the team sees at once what vigie
 * thinks of it:
 *
 *   - an attached message (message/rfc822, the first one; msgview keeps
 *     its bytes, at most max_part_bytes) as it is, with vigie's own DKIM
 *     and DMARC checks (no SPF: its client is unknown) and no trust in
 *     the Authentication-Results fields it carries, which are content of
 *     the report and anyone can write;
 *   - else an inline forward, found by the header block mail clients
 *     quote ("De : ... Objet : ...", "From: ... Subject: ...", in any
 *     order, within a few lines) in the visible text, rebuilt as a message with that From
 *     and Subject, the text after the block, and the report's links with
 *     their anchor texts. Its identity is unknown: nothing to verify.
 *
 * One level only: the forwarded message has no recipients, so it is not
 * a report itself, and is not searched for a forward of its own.
 */
#include "forward.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "conf.h"
#include "engine.h"
#include "msgview.h"
#include "report.h"

/* lines after a From line within which its Subject must come */
#define FORWARD_BLOCK_LINES	8
/* header values kept from a quoted block */
#define FORWARD_VALUE_MAX	512

enum quoted_key { Q_NONE, Q_FROM, Q_SUBJECT, Q_OTHER };

/*
 * quoted_key - the key of a quoted header line ("From:", "De :",
 * "*Objet :*", "Envoyé :"...), and where its value starts; Q_NONE when
 * the line is not one
 */
static enum quoted_key
quoted_key(const char *line, size_t len, size_t *value)
{
	static const struct {
		const char *word;
		enum quoted_key key;
	} keys[] = {
		{ "from", Q_FROM }, { "de", Q_FROM }, { "von", Q_FROM },
		{ "subject", Q_SUBJECT }, { "objet", Q_SUBJECT },
		{ "sujet", Q_SUBJECT }, { "date", Q_OTHER }, { "sent", Q_OTHER },
		{ "envoy\xc3\xa9", Q_OTHER }, { "to", Q_OTHER },
		{ "\xc3\x80", Q_OTHER }, { "\xc3\xa0", Q_OTHER },
		{ "pour", Q_OTHER }, { "a", Q_OTHER }, { "cc", Q_OTHER },
		{ "reply-to", Q_OTHER }, { "r\xc3\xa9pondre \xc3\xa0", Q_OTHER },
	};
	size_t i = 0, k, n;

	while (i < len && (line[i] == ' ' || line[i] == '\t' ||
	    line[i] == '*' || line[i] == '>'))
		i++;
	for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
		n = strlen(keys[k].word);
		if (i + n > len || strncasecmp(line + i, keys[k].word, n) != 0)
			continue;
		n += i;
		while (n < len && (line[n] == ' ' || line[n] == '\t' ||
		    line[n] == '\xc2' || line[n] == '\xa0' || line[n] == '*'))
			n++;		/* "De :", "De\u00a0:", "*De:*" */
		if (n < len && line[n] == ':') {
			n++;
			while (n < len && (line[n] == ' ' || line[n] == '\t' ||
			    line[n] == '*'))
				n++;
			*value = n;
			return keys[k].key;
		}
	}
	return Q_NONE;
}

/* next_line - [*s, *e) is the line at pos; pos moves past it */
static int
next_line(const char *text, size_t len, size_t *pos, size_t *s, size_t *e)
{
	const char *nl;

	if (*pos >= len)
		return 0;
	*s = *pos;
	nl = memchr(text + *pos, '\n', len - *pos);
	*e = nl != NULL ? (size_t)(nl - text) : len;
	*pos = nl != NULL ? *e + 1 : len;
	if (*e > *s && text[*e - 1] == '\r')
		(*e)--;
	return 1;
}

/* copy_value - a quoted header value, one line, bounded, trailing '*' off */
static void
copy_value(const char *v, size_t n, char *out, size_t cap)
{
	while (n > 0 && (v[n - 1] == '*' || v[n - 1] == ' '))
		n--;
	if (n >= cap)
		n = cap - 1;
	memcpy(out, v, n);
	out[n] = '\0';
}

/* append_escaped - text into HTML */
static int
append_escaped(struct buf *b, const char *s, size_t n)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < n && rc == 0; i++)
		switch (s[i]) {
		case '<': rc = buf_append_str(b, "&lt;"); break;
		case '>': rc = buf_append_str(b, "&gt;"); break;
		case '&': rc = buf_append_str(b, "&amp;"); break;
		case '"': rc = buf_append_str(b, "&quot;"); break;
		default: rc = buf_append_char(b, s[i]); break;
		}
	return rc;
}

/*
 * inline_forward - the message an inline forward quotes, rebuilt into
 * raw; 0 when the text quotes no header block. A block is a run of
 * quoted header lines (in any order: Thunderbird puts the Subject first)
 * holding a From and a Subject; the quoted message starts after it.
 */
static int
inline_forward(const struct msgview *mv, struct buf *raw)
{
	const char *text = buf_cstr(&mv->text);
	size_t len = mv->text.len, pos = 0, s, e, v, body = 0, lines, i;
	char from[FORWARD_VALUE_MAX], subject[FORWARD_VALUE_MAX];
	int have_from, have_subject;
	enum quoted_key k;

	for (;;) {
		if (!next_line(text, len, &pos, &s, &e))
			return 0;
		if (quoted_key(text + s, e - s, &v) == Q_NONE)
			continue;
		/* a block starts here: read it to its end */
		have_from = have_subject = 0;
		lines = 0;
		do {
			k = quoted_key(text + s, e - s, &v);
			if (k == Q_NONE)
				break;
			body = pos;
			if (k == Q_FROM && !have_from) {
				copy_value(text + s + v, e - s - v, from,
				    sizeof(from));
				have_from = 1;
			} else if (k == Q_SUBJECT && !have_subject) {
				copy_value(text + s + v, e - s - v, subject,
				    sizeof(subject));
				have_subject = 1;
			}
		} while (++lines < FORWARD_BLOCK_LINES &&
		    next_line(text, len, &pos, &s, &e));
		if (have_from && have_subject)
			break;
		pos = body;
	}
	if (buf_printf(raw, "From: %s\r\nSubject: %s\r\nMIME-Version: 1.0\r\n"
	    "Content-Type: text/html; charset=utf-8\r\n\r\n<html><body><pre>",
	    from, subject) < 0 ||
	    append_escaped(raw, text + body, len - body) < 0 ||
	    buf_append_str(raw, "</pre>\r\n") < 0)
		return -1;
	for (i = 0; i < mv->nurls; i++) {
		const struct mv_url *u = &mv->urls[i];
		const char *t = u->text != NULL ? u->text : u->url;

		if (u->origin != NULL)
			continue;	/* from an attachment of the report */
		if (buf_append_str(raw, "<p><a href=\"") < 0 ||
		    append_escaped(raw, u->url, strlen(u->url)) < 0 ||
		    buf_append_str(raw, "\">") < 0 ||
		    append_escaped(raw, t, strlen(t)) < 0 ||
		    buf_append_str(raw, "</a></p>\r\n") < 0)
			return -1;
	}
	if (buf_append_str(raw, "</body></html>\r\n") < 0)
		return -1;
	return 1;
}

/* forward_judge - see forward.h */
int
forward_judge(const struct conf *conf, const struct msgview *report,
    struct buf *out)
{
	struct engine_msg *m = NULL;
	struct verdict v;
	struct buf rebuilt;
	int attached = report->attached_message.len > 0, rc = -1, found;

	buf_init(&rebuilt);
	found = attached ? 1 : inline_forward(report, &rebuilt);
	if (found <= 0) {
		buf_free(&rebuilt);
		return found;
	}
	if ((m = engine_msg_new_forwarded(conf, attached)) == NULL)
		goto out;
	if (attached ? engine_msg_raw(m, report->attached_message.data,
	    report->attached_message.len) < 0 : engine_msg_raw(m,
	    rebuilt.data, rebuilt.len) < 0)
		goto out;
	engine_msg_finish(m, &v);
	if (v.error)
		goto out;
	if (buf_printf(out, "%s score=%.1f rules=", action_name(v.scored),
	    v.score) < 0 || report_rule_ids(&v, out) < 0)
		goto out;
	rc = 0;
out:
	if (m != NULL)
		engine_msg_free(m);
	buf_free(&rebuilt);
	return rc;
}
