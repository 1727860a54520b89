/*
 * attach.c - the attachment dispatcher and the helpers its decoders share.
 *
 * The kind of a file is taken from its content first (the magic bytes of
 * PDF, ZIP, 7-Zip, RAR, tar, gzip, PNG, JPEG, an iCalendar or SVG header), then from
 * its declared type and name: attackers name a PDF "scan.jpg" and the
 * recipient's viewer still opens it as a PDF, by content.
 *
 * Budget per message: at most max_attach_decoded files (attachments and
 * archive members) are opened and the decoders stop between pages and
 * members once max_attach_ms of CPU time have been spent since the first
 * was opened.
 */
#include "attach.h"

#include <stdint.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "archive_walk.h"
#include "buf.h"
#include "charset.h"
#include "html.h"
#include "htmlscript.h"
#include "ics.h"
#include "pdf.h"
#include "qr.h"
#include "svg.h"
#include "url.h"

enum attach_kind {
	ATTACH_NONE, ATTACH_PDF, ATTACH_ARCHIVE, ATTACH_ICS, ATTACH_SVG,
	ATTACH_HTML, ATTACH_TEXT, ATTACH_IMAGE,
};

#define ATTACH_MAGIC_WINDOW	1024	/* where "%PDF-" or "<svg" may start */
#define ATTACH_TAR_MAGIC_AT	257	/* "ustar" in a POSIX tar header */

/* name suffixes and what they declare; sorted by nothing, searched whole */
static const struct {
	const char *ext;
	enum attach_kind kind;
} attach_exts[] = {
	{ ".pdf", ATTACH_PDF }, { ".zip", ATTACH_ARCHIVE },
	{ ".7z", ATTACH_ARCHIVE }, { ".rar", ATTACH_ARCHIVE },
	{ ".tar", ATTACH_ARCHIVE }, { ".tgz", ATTACH_ARCHIVE },
	{ ".gz", ATTACH_ARCHIVE },
	{ ".ics", ATTACH_ICS }, { ".ical", ATTACH_ICS }, { ".ifb", ATTACH_ICS },
	{ ".vcs", ATTACH_ICS }, { ".svg", ATTACH_SVG },
	{ ".htm", ATTACH_HTML }, { ".html", ATTACH_HTML },
	{ ".xhtml", ATTACH_HTML }, { ".shtml", ATTACH_HTML },
	{ ".txt", ATTACH_TEXT }, { ".png", ATTACH_IMAGE },
	{ ".jpg", ATTACH_IMAGE }, { ".jpeg", ATTACH_IMAGE },
};

/* declared types ("type/subtype", lower case) and what they declare */
static const struct {
	const char *type;
	enum attach_kind kind;
} attach_types[] = {
	{ "application/pdf", ATTACH_PDF }, { "application/x-pdf", ATTACH_PDF },
	{ "application/zip", ATTACH_ARCHIVE },
	{ "application/x-zip-compressed", ATTACH_ARCHIVE },
	{ "application/x-7z-compressed", ATTACH_ARCHIVE },
	{ "application/vnd.rar", ATTACH_ARCHIVE },
	{ "application/x-rar-compressed", ATTACH_ARCHIVE },
	{ "application/x-tar", ATTACH_ARCHIVE },
	{ "application/x-gtar", ATTACH_ARCHIVE },
	{ "application/gzip", ATTACH_ARCHIVE },
	{ "application/x-gzip", ATTACH_ARCHIVE },
	{ "application/x-compressed-tar", ATTACH_ARCHIVE },
	{ "text/calendar", ATTACH_ICS }, { "application/ics", ATTACH_ICS },
	{ "image/svg+xml", ATTACH_SVG }, { "text/html", ATTACH_HTML },
	{ "text/plain", ATTACH_TEXT }, { "image/png", ATTACH_IMAGE },
	{ "image/jpeg", ATTACH_IMAGE }, { "image/jpg", ATTACH_IMAGE },
	{ "image/pjpeg", ATTACH_IMAGE },
};

/* attach_by_name - the kind a file name declares */
static enum attach_kind
attach_by_name(const char *name)
{
	size_t i, nl = strlen(name), el;

	for (i = 0; i < sizeof(attach_exts) / sizeof(attach_exts[0]); i++) {
		el = strlen(attach_exts[i].ext);
		if (nl > el && strcasecmp(name + nl - el, attach_exts[i].ext) == 0)
			return attach_exts[i].kind;
	}
	return ATTACH_NONE;
}

/* attach_by_type - the kind a declared type/subtype names */
static enum attach_kind
attach_by_type(const char *type, const char *subtype)
{
	size_t i, tl = strlen(type);

	for (i = 0; i < sizeof(attach_types) / sizeof(attach_types[0]); i++)
		if (strncasecmp(attach_types[i].type, type, tl) == 0 &&
		    attach_types[i].type[tl] == '/' &&
		    strcasecmp(attach_types[i].type + tl + 1, subtype) == 0)
			return attach_types[i].kind;
	return ATTACH_NONE;
}

/* attach_find - needle within the first ATTACH_MAGIC_WINDOW bytes of data */
static int
attach_find(const char *data, size_t len, const char *needle)
{
	size_t nl = strlen(needle), i;

	if (len > ATTACH_MAGIC_WINDOW)
		len = ATTACH_MAGIC_WINDOW;
	for (i = 0; i + nl <= len; i++)
		if (strncasecmp(data + i, needle, nl) == 0)
			return 1;
	return 0;
}

/* attach_by_content - the kind the first bytes show, ATTACH_NONE if unknown */
static enum attach_kind
attach_by_content(const char *data, size_t len)
{
	if (len >= 4 && (memcmp(data, "PK\3\4", 4) == 0 ||
	    memcmp(data, "PK\5\6", 4) == 0))
		return ATTACH_ARCHIVE;
	if (len >= 6 && memcmp(data, "7z\xBC\xAF\x27\x1C", 6) == 0)
		return ATTACH_ARCHIVE;
	if (len >= 6 && memcmp(data, "Rar!\x1A\x07", 6) == 0)
		return ATTACH_ARCHIVE;
	if (len >= 2 && memcmp(data, "\x1f\x8b", 2) == 0)
		return ATTACH_ARCHIVE;	/* gzip: a .tgz or a bare .gz */
	if (len >= ATTACH_TAR_MAGIC_AT + 5 &&
	    memcmp(data + ATTACH_TAR_MAGIC_AT, "ustar", 5) == 0)
		return ATTACH_ARCHIVE;
	if ((len >= 8 && memcmp(data, "\x89PNG\r\n\x1a\n", 8) == 0) ||
	    (len >= 3 && memcmp(data, "\xFF\xD8\xFF", 3) == 0))
		return ATTACH_IMAGE;
	if (attach_find(data, len, "%PDF-"))
		return ATTACH_PDF;
	if (attach_find(data, len, "BEGIN:VCALENDAR"))
		return ATTACH_ICS;
	if (attach_find(data, len, "<svg"))
		return ATTACH_SVG;
	return ATTACH_NONE;
}

/* attach_wanted - see attach.h */
int
attach_wanted(const char *type, const char *subtype, const char *name)
{
	enum attach_kind k = attach_by_type(type, subtype);

	if (k == ATTACH_HTML || k == ATTACH_TEXT)
		k = ATTACH_NONE;	/* mime.c reads those itself */
	if (k == ATTACH_NONE) {
		k = attach_by_name(name);
		if (k == ATTACH_HTML || k == ATTACH_TEXT)
			k = ATTACH_NONE;
	}
	/* a type that says nothing: the content may still be a PDF or a ZIP */
	if (k == ATTACH_NONE && strcasecmp(type, "application") == 0 &&
	    strcasecmp(subtype, "octet-stream") == 0)
		return 1;
	return k != ATTACH_NONE;
}

/*
 * attach_now - the calling thread's CPU time in seconds. CPU time, not
 * wall time: the budget bounds the work a file can force, and the same
 * message gets the same verdict on a busy machine as on an idle one (a
 * message is judged in one thread, vigie-milter's and vigie-scan's alike).
 */
static double
attach_now(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
		clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* attach_time_left - see attach.h */
int
attach_time_left(struct msgview *mv)
{
	if (mv->attach_started == 0)
		return 1;
	if (attach_now() - mv->attach_started <
	    (double)mv->limits->max_attach_ms / 1000.0)
		return 1;
	msgview_anomaly(mv, MV_ANOM_LIMIT_ATTACH_TIME);
	return 0;
}

/* attach_origin - see attach.h */
int
attach_origin(const struct attach_ctx *ctx, const char *local, struct buf *out)
{
	buf_reset(out);
	if (ctx->where != NULL && (buf_append_str(out, ctx->where) < 0 ||
	    (*local != '\0' && buf_append_char(out, '>') < 0)))
		return -1;
	if (buf_append_str(out, local) < 0)
		return -1;
	return 0;
}

/* attach_set - make ctx's origin followed by local the view's origin */
static int
attach_set(const struct attach_ctx *ctx, const char *local)
{
	struct buf o;
	int r;

	buf_init(&o);
	r = attach_origin(ctx, local, &o);
	if (r == 0)
		r = msgview_set_origin(ctx->mv, buf_cstr(&o));
	buf_free(&o);
	return r;
}

/* attach_text - see attach.h */
int
attach_text(const struct attach_ctx *ctx, const char *local, const char *text,
    size_t len)
{
	struct msgview *mv = ctx->mv;

	if (len == 0)
		return 0;
	if (attach_set(ctx, local) < 0)
		return -1;
	if (mv->text.len > 0 && mv->text.data[mv->text.len - 1] != '\n' &&
	    msgview_add_text(mv, "\n", 1) < 0)
		return -1;
	if (msgview_add_text(mv, text, len) < 0 ||
	    url_scan_text(mv, text, len) < 0)
		return -1;
	return msgview_set_origin(mv, ctx->where);
}

/* attach_link - see attach.h */
int
attach_link(const struct attach_ctx *ctx, const char *local, const char *url,
    size_t len, enum mv_url_source source)
{
	if (attach_set(ctx, local) < 0 ||
	    url_add(ctx->mv, url, len, NULL, source, NULL) < 0)
		return -1;
	return msgview_set_origin(ctx->mv, ctx->where);
}

/* attach_html - an HTML file from an archive: converted, read, scripts scanned */
static int
attach_html(const struct attach_ctx *ctx, const char *data, size_t len)
{
	struct buf text;
	unsigned cf = 0;
	int r;

	buf_init(&text);
	r = charset_to_utf8(&text, NULL, data, len, &cf);
	if (r == 0 && ctx->mv->text.len > 0 &&
	    ctx->mv->text.data[ctx->mv->text.len - 1] != '\n')
		r = msgview_add_text(ctx->mv, "\n", 1);
	if (r == 0)
		r = html_extract(ctx->mv, buf_cstr(&text), text.len);
	if (r == 0)
		r = htmlscript_scan(ctx->mv, buf_cstr(&text), text.len);
	buf_free(&text);
	return r;
}

/* attach_plain - a text file from an archive: converted and read */
static int
attach_plain(const struct attach_ctx *ctx, const char *data, size_t len)
{
	struct buf text;
	unsigned cf = 0;
	int r;

	buf_init(&text);
	r = charset_to_utf8(&text, NULL, data, len, &cf);
	if (r == 0)
		r = attach_text(ctx, "", buf_cstr(&text), text.len);
	buf_free(&text);
	return r;
}

/* attach_open - one file (attachment or member) of a known kind */
static int
attach_open(const struct attach_ctx *ctx, enum attach_kind kind,
    const char *data, size_t len)
{
	struct msgview *mv = ctx->mv;

	if (mv->attach_decoded >= mv->limits->max_attach_decoded) {
		msgview_anomaly(mv, MV_ANOM_LIMIT_ATTACH_ITEMS);
		return 0;
	}
	if (!attach_time_left(mv))
		return 0;
	mv->attach_decoded++;
	if (mv->attach_started == 0)
		mv->attach_started = attach_now();
	switch (kind) {
	case ATTACH_PDF:
		return pdf_decode(ctx, data, len);
	case ATTACH_ARCHIVE:
		return archive_walk(ctx, data, len);
	case ATTACH_ICS:
		return ics_decode(ctx, data, len);
	case ATTACH_SVG:
		return svg_decode(ctx, data, len);
	case ATTACH_HTML:
		return attach_html(ctx, data, len);
	case ATTACH_TEXT:
		return attach_plain(ctx, data, len);
	case ATTACH_IMAGE:
		if (mv->limits->max_image_pixels == 0)
			return 0;
		return qr_decode(ctx, data, len);
	case ATTACH_NONE:
		break;
	}
	return 0;
}

/* attach_decode - see attach.h */
int
attach_decode(struct msgview *mv, const char *name, const char *type,
    const char *subtype, const char *data, size_t len)
{
	struct attach_ctx ctx = { mv, NULL, 0 };
	enum attach_kind kind = attach_by_content(data, len);
	int r;

	if (len == 0)
		return 0;	/* nothing to open (e.g. a part with no content) */
	if (kind == ATTACH_NONE)
		kind = attach_by_type(type, subtype);
	if (kind == ATTACH_NONE)
		kind = attach_by_name(name);
	/* mime.c reads the message's own HTML and text parts */
	if (kind == ATTACH_HTML || kind == ATTACH_TEXT || kind == ATTACH_NONE)
		return 0;
	r = attach_open(&ctx, kind, data, len);
	if (msgview_set_origin(mv, NULL) < 0)
		r = -1;
	return r;
}

/* attach_member - see attach.h */
int
attach_member(const struct attach_ctx *ctx, const char *local,
    const char *data, size_t len)
{
	struct attach_ctx sub = { ctx->mv, NULL, ctx->depth };
	enum attach_kind kind = attach_by_content(data, len);
	struct buf where;
	int r;

	if (kind == ATTACH_NONE)
		kind = attach_by_name(local);
	if (kind == ATTACH_NONE)
		return 0;
	buf_init(&where);
	if (attach_origin(ctx, local, &where) < 0) {
		buf_free(&where);
		return -1;
	}
	sub.where = buf_cstr(&where);
	/* text found by html.c and url.c directly carries the member's origin */
	r = msgview_set_origin(ctx->mv, sub.where);
	if (r == 0)
		r = attach_open(&sub, kind, data, len);
	if (msgview_set_origin(ctx->mv, ctx->where) < 0)
		r = -1;
	buf_free(&where);
	return r;
}
