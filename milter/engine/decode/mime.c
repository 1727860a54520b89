/*
 * mime.c - raw message bytes to msgview, the way a mail client shows it.
 *
 * GMime 3 parses the structure, address lists and parameters, with its
 * loose (client-like) compliance modes; its warnings become anomalies.
 * Before GMime sees a message, mimebound.c finds the prefix that stays
 * within max_mime_depth and max_parts: GMime's own cost is not bounded
 * otherwise (measurements in mimebound.c). Header values are decoded by
 * rfc2047.c, which sees the control characters GMime's decoder would
 * hide behind a NUL; body text goes through charset.c. Base64 encoded
 * words without their padding are padded first (rfc2047.c), since
 * GMime would drop their last bytes from display and file names.
 *
 * Display order and multipart/alternative: a client shows one
 * alternative, the richest it supports. The view takes the last text/html
 * or multipart alternative (a multipart/related holding the HTML and its
 * images), else the last text/plain, else the last one. The other
 * alternatives add no text, but URLs in a text/plain alternative are
 * still listed and attachments inside any alternative still named:
 * phishing often puts a harmless text/plain beside the HTML lure, and
 * the reverse. The text of an alternative that is not shown is added
 * after the shown one when its words differ (altdiff.c): other clients,
 * previews and screen readers show it.
 *
 * Parts: text/plain and other inline text parts -> text and URLs;
 * text/html -> html.c; message/rfc822 -> its Subject and From as text,
 * then its body, one level deeper. A part with a file name or
 * Content-Disposition: attachment is listed as an attachment with its
 * declared type and the type libmagic sniffs in its first
 * MIME_SNIFF_BYTES; text/plain parts whatever their name, a part whose
 * Content-Type is invalid (read as text/plain, RFC 2045 5.2),
 * attachments named .txt, .htm/.html or .eml (and
 * encoded message/rfc822 parts, which GMime leaves unparsed) are also
 * read as text, HTML or a message. At most max_part_bytes of a part are
 * decoded. Parts attach_wanted() selects by type or name (PDF, archives,
 * calendars, SVG, PNG/JPEG images, bare octet-streams) are read up to
 * max_attach_bytes and opened by decode/attach/ (attach.h); an HTML
 * attachment's meta refresh and script targets go through htmlscript.c.
 *
 * libmagic handles are not thread-safe: each thread opens its own on
 * first use and a thread-specific destructor closes it when the thread
 * exits. Without libmagic the sniffed type is "".
 */
#include "mime.h"

#include <gmime/gmime.h>
#include <libxml/parser.h>
#include <magic.h>
#include <pthread.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "altdiff.h"
#include "arena.h"
#include "attach.h"
#include "buf.h"
#include "charset.h"
#include "html.h"
#include "htmlscript.h"
#include "mimebound.h"
#include "msgview.h"
#include "rfc2047.h"
#include "url.h"

#define MIME_SNIFF_BYTES	4096
#define MIME_READ_CHUNK		8192

enum mime_kind { MIME_NONE, MIME_PLAIN, MIME_HTML, MIME_EML, MIME_ATTACH };

struct mime_ctx {
	struct msgview *mv;
	GMimeParserOptions *options;
};

static pthread_key_t mime_magic_key;
static int mime_ready;
static char mime_magic_failed;		/* key value: libmagic unusable */

static int mime_message(struct mime_ctx *, const char *, size_t, unsigned,
    int, int);
static int mime_walk(struct mime_ctx *, GMimeObject *, unsigned, int);

/* mime_magic_close - thread exit: release the thread's libmagic handle */
static void
mime_magic_close(void *m)
{
	if (m != NULL && m != &mime_magic_failed)
		magic_close(m);
}

/* mime_init - see mime.h */
int
mime_init(void)
{
	if (mime_ready)
		return 0;
	g_mime_init();
	xmlInitParser();
	if (pthread_key_create(&mime_magic_key, mime_magic_close) != 0)
		return -1;
	mime_ready = 1;
	return 0;
}

/* mime_sniff - libmagic MIME type of data, "" when unknown */
static const char *
mime_sniff(const char *data, size_t len)
{
	magic_t m = pthread_getspecific(mime_magic_key);
	const char *r;

	if (m == NULL) {
		if ((m = magic_open(MAGIC_MIME_TYPE)) != NULL &&
		    magic_load(m, NULL) != 0) {
			magic_close(m);
			m = NULL;
		}
		if (pthread_setspecific(mime_magic_key, m != NULL ? (void *)m :
		    &mime_magic_failed) != 0) {
			if (m != NULL)
				magic_close(m);
			return "";
		}
	}
	if ((void *)m == &mime_magic_failed)
		return "";
	r = magic_buffer(m, data, len);
	return r != NULL ? r : "";
}

/* mime_warning - GMime parser warnings recorded as anomalies */
static void
mime_warning(gint64 offset, GMimeParserWarning code, const gchar *item,
    gpointer data)
{
	struct msgview *mv = data;

	(void)offset;
	switch (code) {
	case GMIME_WARN_DUPLICATED_HEADER:
	case GMIME_CRIT_CONFLICTING_HEADER:
		if (item != NULL && g_ascii_strcasecmp(item, "Content-Type") == 0)
			msgview_anomaly(mv, MV_ANOM_DUP_CONTENT_TYPE);
		break;
	case GMIME_WARN_INVALID_RFC2047_HEADER_VALUE:
		msgview_anomaly(mv, MV_ANOM_BAD_ENCODED_WORD);
		break;
	case GMIME_WARN_MALFORMED_MULTIPART:
	case GMIME_CRIT_MULTIPART_WITHOUT_BOUNDARY:
		msgview_anomaly(mv, MV_ANOM_BAD_BOUNDARY);
		break;
	case GMIME_CRIT_NESTING_OVERFLOW:
		msgview_anomaly(mv, MV_ANOM_LIMIT_MIME_DEPTH);
		break;
	default:
		break;
	}
}

/* mime_decode_header - decoded raw header value appended to out, anomalies noted */
static int
mime_decode_header(struct mime_ctx *c, struct buf *out, const char *raw)
{
	unsigned f = 0;

	if (raw == NULL)
		return 0;
	if (rfc2047_decode(out, raw, strlen(raw), &f) < 0)
		return -1;
	if (f & RFC2047_F_BAD_WORD)
		msgview_anomaly(c->mv, MV_ANOM_BAD_ENCODED_WORD);
	if (f & RFC2047_F_BAD_CHARSET)
		msgview_anomaly(c->mv, MV_ANOM_BAD_CHARSET);
	if (f & RFC2047_F_CTRL)
		msgview_anomaly(c->mv, MV_ANOM_CTRL_IN_HEADER);
	return 0;
}

/*
 * mime_clean - a string GMime decoded from a header (display name,
 * address, file name) as valid UTF-8 without control characters.
 */
static int
mime_clean(struct mime_ctx *c, struct buf *out, const char *s)
{
	unsigned f = 0;
	size_t i, o;

	buf_reset(out);
	if (s == NULL)
		return buf_append(out, "", 0);
	if (charset_to_utf8(out, "utf-8", s, strlen(s), &f) < 0 ||
	    buf_append(out, "", 0) < 0)
		return -1;
	for (i = o = 0; i < out->len; i++) {
		unsigned char ch = (unsigned char)out->data[i];

		if (ch == '\t')
			ch = ' ';
		else if (ch < 0x20 || ch == 0x7F) {
			f |= CHARSET_F_NUL;
			continue;
		}
		out->data[o++] = (char)ch;
	}
	out->len = o;
	out->data[o] = '\0';
	if (f & CHARSET_F_NUL)
		msgview_anomaly(c->mv, MV_ANOM_CTRL_IN_HEADER);
	return 0;
}

/* mime_add_mailboxes - flatten an address list (groups included) into a view list */
static int
mime_add_mailboxes(struct mime_ctx *c, InternetAddressList *list,
    struct mv_address **dst, size_t *n, size_t *cap, unsigned *count,
    unsigned level)
{
	struct buf name, addr;
	InternetAddress *ia;
	int i, len, r = 0;

	if (list == NULL || level > 4)
		return 0;
	buf_init(&name);
	buf_init(&addr);
	len = internet_address_list_length(list);
	for (i = 0; i < len && r == 0; i++) {
		ia = internet_address_list_get_address(list, i);
		if (INTERNET_ADDRESS_IS_GROUP(ia)) {
			r = mime_add_mailboxes(c, internet_address_group_get_members(
			    INTERNET_ADDRESS_GROUP(ia)), dst, n, cap, count,
			    level + 1);
			continue;
		}
		if (!INTERNET_ADDRESS_IS_MAILBOX(ia))
			continue;
		(*count)++;
		if (mime_clean(c, &name, internet_address_get_name(ia)) < 0 ||
		    mime_clean(c, &addr, internet_address_mailbox_get_addr(
		    INTERNET_ADDRESS_MAILBOX(ia))) < 0 ||
		    msgview_add_address(c->mv, dst, n, cap, buf_cstr(&name),
		    buf_cstr(&addr)) < 0)
			r = -1;
	}
	buf_free(&name);
	buf_free(&addr);
	return r;
}

/* mime_addresses - parse one address header field into a view list */
static int
mime_addresses(struct mime_ctx *c, const char *raw, struct mv_address **dst,
    size_t *n, size_t *cap, unsigned *count)
{
	InternetAddressList *list;
	int r;

	*count = 0;
	if (raw == NULL || (list = internet_address_list_parse(c->options,
	    raw)) == NULL)
		return 0;
	r = mime_add_mailboxes(c, list, dst, n, cap, count, 0);
	g_object_unref(list);
	return r;
}

/* mime_return_path - Return-Path address without angle brackets */
static int
mime_return_path(struct mime_ctx *c, const char *raw)
{
	struct mv_address *tmp = NULL;
	size_t n = 0, cap = 0;
	unsigned count;
	int r;

	r = mime_addresses(c, raw, &tmp, &n, &cap, &count);
	if (r == 0 && n > 0 &&
	    (c->mv->return_path = arena_strdup(c->mv->arena, tmp[0].addr)) == NULL)
		r = -1;
	free(tmp);
	return r;
}

/* mime_one_header - add one top-level header to the view, with its side effects */
static int
mime_one_header(struct mime_ctx *c, GMimeHeader *h, int *seen_subject,
    int *seen_rpath)
{
	struct msgview *mv = c->mv;
	const char *name = g_mime_header_get_name(h);
	const char *raw = g_mime_header_get_raw_value(h);
	struct buf v;
	unsigned count = 0;
	int r = -1;

	if (name == NULL)
		return 0;
	buf_init(&v);
	if (mime_decode_header(c, &v, raw) < 0 ||
	    msgview_add_header(mv, name, buf_cstr(&v)) < 0)
		goto done;
	if (g_ascii_strcasecmp(name, "From") == 0) {
		mv->from_fields++;
		if (mime_addresses(c, raw, &mv->from, &mv->nfrom,
		    &mv->cap_from, &count) < 0)
			goto done;
		if (count > 1)
			msgview_anomaly(mv, MV_ANOM_MULTIPLE_FROM_ADDRS);
	} else if (g_ascii_strcasecmp(name, "Reply-To") == 0) {
		if (mime_addresses(c, raw, &mv->reply_to, &mv->nreply_to,
		    &mv->cap_reply_to, &count) < 0)
			goto done;
	} else if (g_ascii_strcasecmp(name, "Subject") == 0 && !*seen_subject) {
		*seen_subject = 1;
		if ((mv->subject = arena_strdup(mv->arena, buf_cstr(&v))) == NULL)
			goto done;
	} else if (g_ascii_strcasecmp(name, "Return-Path") == 0 &&
	    !*seen_rpath) {
		*seen_rpath = 1;
		if (mime_return_path(c, raw) < 0)
			goto done;
	}
	r = 0;
done:
	buf_free(&v);
	return r;
}

/*
 * mime_headers - the top-level header block in its original order: GMime
 * keeps the Content-* fields on the body part, so both lists are merged
 * by stream offset.
 */
static int
mime_headers(struct mime_ctx *c, GMimeMessage *msg)
{
	GMimeHeaderList *mh, *ph = NULL;
	GMimeHeader *a, *b;
	int i = 0, j = 0, na, nb, seen_subject = 0, seen_rpath = 0;

	mh = g_mime_object_get_header_list(GMIME_OBJECT(msg));
	if (msg->mime_part != NULL)
		ph = g_mime_object_get_header_list(msg->mime_part);
	na = mh != NULL ? g_mime_header_list_get_count(mh) : 0;
	nb = ph != NULL ? g_mime_header_list_get_count(ph) : 0;
	while (i < na || j < nb) {
		a = i < na ? g_mime_header_list_get_header_at(mh, i) : NULL;
		b = j < nb ? g_mime_header_list_get_header_at(ph, j) : NULL;
		if (b == NULL || (a != NULL && g_mime_header_get_offset(a) <=
		    g_mime_header_get_offset(b))) {
			i++;
			if (mime_one_header(c, a, &seen_subject, &seen_rpath) < 0)
				return -1;
		} else {
			j++;
			if (mime_one_header(c, b, &seen_subject, &seen_rpath) < 0)
				return -1;
		}
	}
	if (c->mv->from_fields == 0)
		msgview_anomaly(c->mv, MV_ANOM_NO_FROM);
	else if (c->mv->from_fields > 1)
		msgview_anomaly(c->mv, MV_ANOM_MULTIPLE_FROM_FIELDS);
	return 0;
}

/* mime_separate - start a new line in the view's text */
static int
mime_separate(struct msgview *mv)
{
	if (mv->text.len == 0 || mv->text.data[mv->text.len - 1] == '\n')
		return 0;
	return msgview_add_text(mv, "\n", 1);
}

/* mime_plain - text already in UTF-8: CR removed, appended when shown, URLs scanned */
static int
mime_plain(struct mime_ctx *c, struct buf *t, int show)
{
	size_t i, o;

	for (i = o = 0; i < t->len; i++) {
		if (t->data[i] == '\r') {
			if (i + 1 < t->len && t->data[i + 1] == '\n')
				continue;
			t->data[i] = '\n';
		}
		t->data[o++] = t->data[i];
	}
	t->len = o;
	if (t->data != NULL)
		t->data[o] = '\0';
	if (show && (mime_separate(c->mv) < 0 ||
	    msgview_add_text(c->mv, buf_cstr(t), t->len) < 0))
		return -1;
	return url_scan_text(c->mv, buf_cstr(t), t->len);
}

/* mime_embedded_text - Subject and From of an embedded message, shown as text */
static int
mime_embedded_text(struct mime_ctx *c, GMimeMessage *msg)
{
	static const char *const fields[] = { "Subject", "From" };
	GMimeHeaderList *hl = g_mime_object_get_header_list(GMIME_OBJECT(msg));
	GMimeHeader *h;
	struct buf v;
	size_t i;
	int r = 0;

	buf_init(&v);
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]) && r == 0; i++) {
		buf_reset(&v);
		if (hl == NULL || (h = g_mime_header_list_get_header(hl,
		    fields[i])) == NULL)
			continue;
		if (mime_decode_header(c, &v, g_mime_header_get_raw_value(h)) < 0 ||
		    mime_separate(c->mv) < 0 ||
		    msgview_add_text(c->mv, buf_cstr(&v), v.len) < 0)
			r = -1;
	}
	buf_free(&v);
	return r;
}

/* mime_read - decoded content of a leaf, at most cap bytes; *over when there was more */
static int
mime_read(GMimePart *part, size_t cap, struct buf *out, int *over)
{
	GMimeDataWrapper *w = g_mime_part_get_content(part);
	GMimeStream *src, *fs;
	GMimeFilter *f;
	GMimeContentEncoding enc;
	char chunk[MIME_READ_CHUNK];
	ssize_t n;
	size_t take;
	int r = 0;

	*over = 0;
	if (w == NULL || (src = g_mime_data_wrapper_get_stream(w)) == NULL)
		return 0;
	enc = g_mime_data_wrapper_get_encoding(w);
	g_mime_stream_reset(src);
	fs = g_mime_stream_filter_new(src);
	if (enc == GMIME_CONTENT_ENCODING_BASE64 ||
	    enc == GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE ||
	    enc == GMIME_CONTENT_ENCODING_UUENCODE) {
		f = g_mime_filter_basic_new(enc, FALSE);
		g_mime_stream_filter_add(GMIME_STREAM_FILTER(fs), f);
		g_object_unref(f);
	}
	while ((n = g_mime_stream_read(fs, chunk, sizeof(chunk))) > 0) {
		take = (size_t)n;
		if (take > cap - out->len) {
			take = cap - out->len;
			*over = 1;
		}
		if (buf_append(out, chunk, take) < 0) {
			r = -1;
			break;
		}
		if (*over)
			break;
	}
	g_object_unref(fs);
	return r;
}

/* mime_ext - file name ends in ext (".html"), case-insensitive */
static int
mime_ext(const char *name, const char *ext)
{
	size_t nl = strlen(name), el = strlen(ext);

	return nl > el && strcasecmp(name + nl - el, ext) == 0;
}

/*
 * mime_type_valid - the raw Content-Type value starts "type/subtype".
 * GMime turns an invalid one into application/octet-stream, but RFC 2045
 * section 5.2 (and every client) reads such a part as text/plain.
 */
static int
mime_type_valid(const char *v)
{
	size_t n;

	while (*v == ' ' || *v == '\t' || *v == '\r' || *v == '\n')
		v++;
	n = strcspn(v, "/; \t\r\n()<>@,:\\\"[]?=");
	if (n == 0 || v[n] != '/')
		return 0;
	v += n + 1;
	return strcspn(v, "/; \t\r\n()<>@,:\\\"[]?=") > 0;
}

/* mime_leaf - one leaf part: listed if an attachment, read if it is text */
static int
mime_leaf(struct mime_ctx *c, GMimeObject *obj, unsigned depth, int show)
{
	struct msgview *mv = c->mv;
	GMimeContentType *ct = g_mime_object_get_content_type(obj);
	const char *type = ct ? g_mime_content_type_get_media_type(ct) : NULL;
	const char *sub = ct ? g_mime_content_type_get_media_subtype(ct) : NULL;
	const char *fname = g_mime_part_get_filename(GMIME_PART(obj));
	const char *disp = g_mime_object_get_disposition(obj);
	enum mime_kind kind = MIME_NONE;
	struct buf data, text, name;
	unsigned cf = 0;
	int att, over = 0, r = -1;
	size_t cap = 0;
	char *declared = NULL;

	const char *raw_type = g_mime_object_get_header(obj, "Content-Type");

	if (type == NULL || sub == NULL ||
	    (raw_type != NULL && !mime_type_valid(raw_type)))
		type = "text", sub = "plain";
	att = fname != NULL || (disp != NULL &&
	    g_ascii_strcasecmp(disp, "attachment") == 0);
	if (fname == NULL)
		fname = "";
	if (g_ascii_strcasecmp(type, "text") == 0 &&
	    g_ascii_strcasecmp(sub, "html") == 0)
		kind = MIME_HTML;
	else if (att && (mime_ext(fname, ".htm") || mime_ext(fname, ".html")))
		kind = MIME_HTML;
	else if ((att && mime_ext(fname, ".eml")) ||
	    (g_ascii_strcasecmp(type, "message") == 0 &&
	    (g_ascii_strcasecmp(sub, "rfc822") == 0 ||
	    g_ascii_strcasecmp(sub, "global") == 0)))
		kind = MIME_EML;
	/* PDF, archives, calendars, SVG: opened by decode/attach/ */
	else if (mv->limits->max_attach_bytes > 0 &&
	    attach_wanted(type, sub, fname))
		kind = MIME_ATTACH;
	/* clients show text/plain inline, whatever its name or disposition */
	else if ((att && mime_ext(fname, ".txt")) ||
	    (g_ascii_strcasecmp(type, "text") == 0 &&
	    (!att || g_ascii_strcasecmp(sub, "plain") == 0)))
		kind = MIME_PLAIN;
	if (kind == MIME_ATTACH)
		cap = mv->limits->max_attach_bytes > MIME_SNIFF_BYTES ?
		    mv->limits->max_attach_bytes : MIME_SNIFF_BYTES;
	else if (kind != MIME_NONE)
		cap = mv->limits->max_part_bytes;
	else if (att)
		cap = MIME_SNIFF_BYTES;

	buf_init(&data);
	buf_init(&text);
	buf_init(&name);
	if (cap > 0 && mime_read(GMIME_PART(obj), cap, &data, &over) < 0)
		goto out;
	if (over && kind == MIME_ATTACH)
		msgview_anomaly(mv, MV_ANOM_LIMIT_ATTACH_BYTES);
	else if (over && kind != MIME_NONE)
		msgview_anomaly(mv, MV_ANOM_LIMIT_PART_BYTES);
	if (att) {
		char *full = g_strconcat(type, "/", sub, NULL);

		declared = g_ascii_strdown(full, -1);
		g_free(full);
		if (mime_clean(c, &name, fname) < 0 ||
		    msgview_add_attachment(mv, buf_cstr(&name), declared,
		    mime_sniff(data.data != NULL ? data.data : "",
		    data.len < MIME_SNIFF_BYTES ? data.len :
		    MIME_SNIFF_BYTES)) < 0)
			goto out;
	}
	switch (kind) {
	case MIME_PLAIN:
	case MIME_HTML:
		if (kind == MIME_HTML && !show)
			break;
		if (charset_to_utf8(&text, g_mime_object_get_content_type_parameter(
		    obj, "charset"), data.data, data.len, &cf) < 0)
			goto out;
		if (cf & CHARSET_F_BAD)
			msgview_anomaly(mv, MV_ANOM_BAD_CHARSET);
		if (kind == MIME_PLAIN) {
			if (mime_plain(c, &text, show) < 0)
				goto out;
		} else if (mime_separate(mv) < 0 ||
		    html_extract(mv, buf_cstr(&text), text.len) < 0 ||
		    (att && htmlscript_scan(mv, buf_cstr(&text), text.len) < 0))
			goto out;
		break;
	case MIME_ATTACH:
		if (attach_decode(mv, fname, type, sub, data.data != NULL ?
		    data.data : "", data.len) < 0)
			goto out;
		break;
	case MIME_EML:
		if (data.len > 0 && (msgview_keep_attached_message(mv,
		    data.data, data.len) < 0 || mime_message(c, data.data,
		    data.len, depth + 1, 0, show) < 0))
			goto out;
		break;
	case MIME_NONE:
		break;
	}
	r = 0;
out:
	g_free(declared);
	buf_free(&data);
	buf_free(&text);
	buf_free(&name);
	return r;
}

/* mime_pick_alternative - index of the alternative a client would show */
static int
mime_pick_alternative(GMimeMultipart *mp)
{
	int i, n = g_mime_multipart_get_count(mp), rich = -1, plain = -1;
	GMimeContentType *ct;

	for (i = 0; i < n; i++) {
		ct = g_mime_object_get_content_type(g_mime_multipart_get_part(mp, i));
		if (ct == NULL)
			continue;
		if (g_mime_content_type_is_type(ct, "text", "html") ||
		    g_mime_content_type_is_type(ct, "multipart", "*"))
			rich = i;
		else if (g_mime_content_type_is_type(ct, "text", "plain"))
			plain = i;
	}
	if (rich >= 0)
		return rich;
	if (plain >= 0)
		return plain;
	return n - 1;
}

/*
 * mime_other_alternatives - the text alternatives a client does not
 * show, read into a scratch view and added to the text when their words
 * are not the shown ones (altdiff.c). Skipped once the text is past
 * max_text_bytes.
 */
static int
mime_other_alternatives(struct mime_ctx *c, GMimeMultipart *mp, int pick,
    size_t shown_from, unsigned depth)
{
	struct msgview *mv = c->mv, tmp;
	struct mime_ctx tc = *c;
	GMimeObject *part;
	GMimeContentType *ct;
	int i, n = g_mime_multipart_get_count(mp), d, r = 0;

	for (i = 0; i < n && r == 0; i++) {
		part = g_mime_multipart_get_part(mp, i);
		if (i == pick || mv->text_tail.len > 0 || !GMIME_IS_PART(part) ||
		    (ct = g_mime_object_get_content_type(part)) == NULL ||
		    !(g_mime_content_type_is_type(ct, "text", "plain") ||
		    g_mime_content_type_is_type(ct, "text", "html")))
			continue;
		if (msgview_init(&tmp, mv->limits) < 0)
			return -1;
		tc.mv = &tmp;
		if ((r = mime_leaf(&tc, part, depth + 1, 1)) == 0 &&
		    (d = altdiff_differs(buf_cstr(&mv->text) + shown_from,
		    mv->text.len - shown_from, buf_cstr(&tmp.text),
		    tmp.text.len)) != 0) {
			if (d < 0 || mime_separate(mv) < 0 ||
			    msgview_add_text(mv, buf_cstr(&tmp.text),
			    tmp.text.len) < 0)
				r = -1;
		}
		msgview_free(&tmp);
	}
	return r;
}

/* mime_count_content_type - more than one Content-Type field in a header block */
static void
mime_count_content_type(struct msgview *mv, GMimeObject *obj)
{
	GMimeHeaderList *hl = g_mime_object_get_header_list(obj);
	int i, n = hl != NULL ? g_mime_header_list_get_count(hl) : 0, seen = 0;

	for (i = 0; i < n; i++)
		if (g_ascii_strcasecmp(g_mime_header_get_name(
		    g_mime_header_list_get_header_at(hl, i)), "Content-Type") == 0)
			seen++;
	if (seen > 1)
		msgview_anomaly(mv, MV_ANOM_DUP_CONTENT_TYPE);
}

/* mime_walk - visit one part and its descendants in display order */
static int
mime_walk(struct mime_ctx *c, GMimeObject *obj, unsigned depth, int show)
{
	struct msgview *mv = c->mv;
	GMimeMultipart *mp;
	GMimeMessage *msg;
	const char *fname, *disp;
	size_t shown_from;
	int i, n, pick = -1;

	if (obj == NULL)
		return 0;
	if (mv->parts >= mv->limits->max_parts) {
		msgview_anomaly(mv, MV_ANOM_LIMIT_PARTS);
		return 0;
	}
	mv->parts++;
	if (depth > mv->limits->max_mime_depth) {
		msgview_anomaly(mv, MV_ANOM_LIMIT_MIME_DEPTH);
		return 0;
	}
	mime_count_content_type(mv, obj);
	if (GMIME_IS_MULTIPART(obj)) {
		mp = GMIME_MULTIPART(obj);
		n = g_mime_multipart_get_count(mp);
		if (g_mime_content_type_is_type(g_mime_object_get_content_type(obj),
		    "multipart", "alternative"))
			pick = mime_pick_alternative(mp);
		shown_from = mv->text.len;
		for (i = 0; i < n; i++)
			if (mime_walk(c, g_mime_multipart_get_part(mp, i),
			    depth + 1, show && (pick < 0 || i == pick)) < 0)
				return -1;
		if (show && pick >= 0)
			return mime_other_alternatives(c, mp, pick, shown_from,
			    depth);
		return 0;
	}
	if (GMIME_IS_MESSAGE_PART(obj)) {
		fname = g_mime_object_get_content_disposition_parameter(obj,
		    "filename");
		disp = g_mime_object_get_disposition(obj);
		if ((fname != NULL || (disp != NULL &&
		    g_ascii_strcasecmp(disp, "attachment") == 0)) &&
		    msgview_add_attachment(mv, fname, "message/rfc822", "") < 0)
			return -1;
		msg = g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj));
		if (msg == NULL)
			return 0;
		if (mv->attached_message.len == 0) {
			char *bytes = g_mime_object_to_string(GMIME_OBJECT(msg),
			    NULL);
			int rc = bytes != NULL ? msgview_keep_attached_message(mv,
			    bytes, strlen(bytes)) : 0;

			g_free(bytes);
			if (rc < 0)
				return -1;
		}
		if (show && mime_embedded_text(c, msg) < 0)
			return -1;
		return mime_walk(c, msg->mime_part, depth + 1, show);
	}
	if (GMIME_IS_PART(obj))
		return mime_leaf(c, obj, depth, show);
	return 0;
}

/*
 * mime_address_field - a header field GMime parses as an address list
 * (name is not NUL-terminated: n bytes).
 */
static int
mime_address_field(const char *name, size_t n)
{
	static const char *const fields[] = { "from", "sender", "reply-to",
	    "to", "cc", "bcc", "resent-from", "resent-sender", "resent-to",
	    "resent-cc", "resent-bcc", "return-path", NULL };
	const char *const *f;

	while (n > 0 && (name[n - 1] == ' ' || name[n - 1] == '\t'))
		n--;
	for (f = fields; *f != NULL; f++)
		if (strlen(*f) == n && g_ascii_strncasecmp(name, *f, n) == 0)
			return 1;
	return 0;
}

/*
 * mime_open_comments - how many comments are left open at the end of an
 * address field's value (quoted strings and escapes respected).
 */
static unsigned
mime_open_comments(const char *v, size_t n)
{
	unsigned depth = 0;
	size_t i;
	int quoted = 0;

	for (i = 0; i < n; i++) {
		if (v[i] == '\\' && i + 1 < n)
			i++;
		else if (quoted)
			quoted = v[i] != '"';
		else if (v[i] == '"' && depth == 0)
			quoted = 1;
		else if (v[i] == '(')
			depth++;
		else if (v[i] == ')' && depth > 0)
			depth--;
	}
	return depth;
}

/*
 * mime_close_comments - the raw bytes with every address field's open
 * comments closed, in out; 0 when nothing needed closing (out unused).
 * GMime 3.2.13 leaks the addr-spec when an unterminated comment follows
 * it ("From: a@[1.2](", upstream jstedfast/gmime issue 159): any sender
 * could grow a long-running milter's memory that way. The ')' appended
 * at the end of such a field is what a tolerant client assumes.
 */
static int
mime_close_comments(const char *raw, size_t len, struct buf *out)
{
	size_t i = 0, start, end, colon, copied = 0;
	unsigned open;

	/* the header block: fields up to the first empty line */
	while (i < len && raw[i] != '\n' &&
	    !(raw[i] == '\r' && i + 1 < len && raw[i + 1] == '\n')) {
		start = i;
		for (end = i; end < len; end++)
			if (raw[end] == '\n' && (end + 1 >= len ||
			    (raw[end + 1] != ' ' && raw[end + 1] != '\t')))
				break;
		for (colon = start; colon < end && raw[colon] != ':'; colon++)
			;
		i = end < len ? end + 1 : len;
		if (colon == end || !mime_address_field(raw + start,
		    colon - start) || (open = mime_open_comments(raw + colon + 1,
		    end - colon - 1)) == 0)
			continue;
		if (end > start && raw[end - 1] == '\r')
			end--;
		if (buf_append(out, raw + copied, end - copied) < 0)
			return -1;
		while (open-- > 0)
			if (buf_append_char(out, ')') < 0)
				return -1;
		copied = end;
	}
	if (copied == 0)
		return 0;
	if (buf_append(out, raw + copied, len - copied) < 0)
		return -1;
	return 1;
}

/*
 * mime_release_bytes - free the array wrapping the message, not its bytes
 * (they are the caller's); only once every object reading them is gone.
 */
static void
mime_release_bytes(GByteArray *bytes)
{
	(void)g_byte_array_free(bytes, FALSE);
}

/*
 * mime_message - parse raw bytes as a message whose body is at depth:
 * the top-level message (top) or an attached .eml.
 */
static int
mime_message(struct mime_ctx *c, const char *raw, size_t len, unsigned depth,
    int top, int show)
{
	struct msgview *mv = c->mv;
	const struct scan_limits *l = mv->limits;
	GMimeStream *stream;
	GMimeParser *parser;
	GMimeMessage *msg;
	GByteArray *bytes;
	struct buf text, closed, padded;
	unsigned anom = 0, cf = 0;
	size_t cut;
	int r;

	if (depth > l->max_mime_depth) {
		msgview_anomaly(mv, MV_ANOM_LIMIT_MIME_DEPTH);
		return 0;
	}
	if (mv->parts >= l->max_parts) {
		msgview_anomaly(mv, MV_ANOM_LIMIT_PARTS);
		return 0;
	}
	cut = mimebound_cut(raw, len, l->max_mime_depth - depth,
	    l->max_parts - mv->parts, c->options, &anom);
	mv->anomalies |= anom;
	buf_init(&closed);
	if ((r = mime_close_comments(raw, cut, &closed)) < 0) {
		buf_free(&closed);
		return -1;
	}
	if (r > 0) {
		raw = closed.data;
		cut = closed.len;
	}
	buf_init(&padded);
	if ((r = rfc2047_pad_base64(raw, cut, &padded)) < 0) {
		buf_free(&padded);
		buf_free(&closed);
		return -1;
	}
	if (r > 0) {
		raw = padded.data;
		cut = padded.len;
	}
	/*
	 * The stream reads the message where it is, without a copy: GLib
	 * aborts the process when an allocation fails, so an 8 MiB copy
	 * made here could kill the daemon where vigie's own buffers would
	 * have failed gracefully. The stream never writes to it.
	 */
	bytes = g_byte_array_new_take((guint8 *)(uintptr_t)raw, cut);
	stream = g_mime_stream_mem_new_with_byte_array(bytes);
	g_mime_stream_mem_set_owner(GMIME_STREAM_MEM(stream), FALSE);
	parser = g_mime_parser_new_with_stream(stream);
	g_object_unref(stream);
	g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE);
	msg = g_mime_parser_construct_message(parser, c->options);
	g_object_unref(parser);
	if (msg == NULL) {
		/* not even one header field: what a client shows is text */
		if (top)
			msgview_anomaly(mv, MV_ANOM_NO_FROM);
		buf_init(&text);
		r = charset_to_utf8(&text, NULL, raw, cut, &cf);
		if (r == 0)
			r = mime_plain(c, &text, show);
		buf_free(&text);
		mime_release_bytes(bytes);
		buf_free(&closed);
		buf_free(&padded);
		return r;
	}
	if (top)
		r = mime_headers(c, msg);
	else
		r = show ? mime_embedded_text(c, msg) : 0;
	if (r == 0)
		r = mime_walk(c, msg->mime_part, depth, show);
	g_object_unref(msg);
	mime_release_bytes(bytes);
	buf_free(&closed);
	buf_free(&padded);
	return r;
}

/* mime_parse - see mime.h */
int
mime_parse(const char *raw, size_t len, struct msgview *mv)
{
	static const char *fallback[] = { "UTF-8", "windows-1252", NULL };
	struct mime_ctx c;
	int r;

	c.mv = mv;
	if ((c.options = g_mime_parser_options_new()) == NULL)
		return -1;
	g_mime_parser_options_set_rfc2047_compliance_mode(c.options,
	    GMIME_RFC_COMPLIANCE_LOOSE);
	g_mime_parser_options_set_address_compliance_mode(c.options,
	    GMIME_RFC_COMPLIANCE_LOOSE);
	g_mime_parser_options_set_parameter_compliance_mode(c.options,
	    GMIME_RFC_COMPLIANCE_LOOSE);
	g_mime_parser_options_set_allow_addresses_without_domain(c.options,
	    TRUE);
	g_mime_parser_options_set_fallback_charsets(c.options, fallback);
	g_mime_parser_options_set_warning_callback(c.options, mime_warning, mv);
	r = mime_message(&c, raw != NULL ? raw : "", raw != NULL ? len : 0,
	    0, 1, 1);
	g_mime_parser_options_free(c.options);
	if (r == 0)
		r = msgview_finish_text(mv);
	return r;
}
