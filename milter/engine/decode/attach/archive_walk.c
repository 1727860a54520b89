/*
 * archive_walk.c - the archive walker, through libarchive.
 *
 * libarchive reads ZIP, 7-Zip, RAR and tar (plain or gzip-compressed) from
 * memory with its own checks on headers, and a bare .gz as one member
 * named "data"; the walker bounds everything an attacker controls:
 * - members: at most max_archive_members are listed, then
 *   MV_ANOM_LIMIT_ATTACH_ITEMS and the rest is ignored;
 * - bytes: at most max_attach_bytes are inflated from one member and
 *   max_archive_bytes from the whole archive (a ZIP bomb inflates only
 *   that much, then MV_ANOM_LIMIT_ATTACH_BYTES);
 * - nesting: an archive deeper than max_archive_depth inside another is
 *   not opened (MV_ANOM_LIMIT_ARCHIVE_DEPTH); the recursion goes through
 *   attach_member() and is bounded by that depth;
 * - time: the message's budget is checked before each member.
 * An encrypted member (a password-protected ZIP) is listed, not opened,
 * and recorded as MV_ANOM_ENCRYPTED_ARCHIVE: it is how malware and
 * lures hide from filters. A damaged archive is MV_ANOM_BAD_ATTACHMENT
 * once what could be read was read.
 *
 * Member names are what the recipient sees listed: they become
 * attachment facts (origin "zip", "tar" or "gz" after the format, or the
 * enclosing member's origin). gzip is the only compression filter
 * enabled: it is what .tgz and .gz carry, and its inflated bytes count
 * against the same limits as a ZIP member's.
 */
#include "archive_walk.h"

#include <archive.h>
#include <archive_entry.h>
#include <string.h>

#include "attach.h"
#include "buf.h"
#include "charset.h"
#include "msgview.h"

#define ARCHIVE_NAME_MAX	255	/* bytes of a member name kept */
#define ARCHIVE_CHUNK		(64 * 1024)

/* aw_name - a member's name as clean UTF-8 without control characters */
static int
aw_name(struct archive_entry *e, struct buf *out)
{
	const char *p = archive_entry_pathname_utf8(e);
	unsigned cf = 0;
	size_t i, o, n;

	buf_reset(out);
	if (p == NULL && (p = archive_entry_pathname(e)) == NULL)
		p = "";
	n = strlen(p);
	if (n > ARCHIVE_NAME_MAX)
		n = ARCHIVE_NAME_MAX;
	if (charset_to_utf8(out, "utf-8", p, n, &cf) < 0 ||
	    buf_append(out, "", 0) < 0)
		return -1;
	for (i = o = 0; i < out->len; i++)
		if ((unsigned char)out->data[i] >= 0x20 && out->data[i] != 0x7F)
			out->data[o++] = out->data[i];
	out->len = o;
	out->data[o] = '\0';
	return 0;
}

/* aw_read_member - inflate at most cap bytes of the current member; *over if more */
static int
aw_read_member(struct archive *a, size_t cap, struct buf *out, int *over)
{
	char chunk[ARCHIVE_CHUNK];
	la_ssize_t n;
	size_t take;

	*over = 0;
	buf_reset(out);
	while ((n = archive_read_data(a, chunk, sizeof(chunk))) > 0) {
		take = (size_t)n;
		if (take > cap - out->len) {
			take = cap - out->len;
			*over = 1;
		}
		if (buf_append(out, chunk, take) < 0)
			return -1;
		if (*over)
			break;
	}
	return n < 0 ? 1 : 0;
}

/* aw_is_gzip - data starts with the gzip magic bytes */
static int
aw_is_gzip(const char *data, size_t len)
{
	return len >= 2 && memcmp(data, "\x1f\x8b", 2) == 0;
}

/*
 * aw_open - a libarchive reader over data, with the formats attach.c opens.
 * The raw format (any bytes as one member) only behind the gzip magic: a
 * damaged ZIP must stay a damaged ZIP, not become one opaque member.
 */
static struct archive *
aw_open(const char *data, size_t len)
{
	struct archive *a = archive_read_new();

	if (a == NULL)
		return NULL;
	if (archive_read_support_format_zip(a) != ARCHIVE_OK ||
	    archive_read_support_format_7zip(a) != ARCHIVE_OK ||
	    archive_read_support_format_rar(a) != ARCHIVE_OK ||
	    archive_read_support_format_rar5(a) != ARCHIVE_OK ||
	    archive_read_support_format_tar(a) != ARCHIVE_OK ||
	    archive_read_support_filter_gzip(a) != ARCHIVE_OK ||
	    (aw_is_gzip(data, len) &&
	    archive_read_support_format_raw(a) != ARCHIVE_OK) ||
	    archive_read_open_memory(a, data, len) != ARCHIVE_OK) {
		archive_read_free(a);
		return NULL;
	}
	return a;
}

/* aw_label - the origin label of the archive's format, once a header was read */
static const char *
aw_label(struct archive *a)
{
	switch (archive_format(a) & ARCHIVE_FORMAT_BASE_MASK) {
	case ARCHIVE_FORMAT_TAR:
		return "tar";
	case ARCHIVE_FORMAT_RAW:
		return "gz";
	default:
		return "zip";	/* ZIP, and 7-Zip and RAR as before */
	}
}

/* aw_member - one member: listed, then opened when it is a regular file */
static int
aw_member(const struct attach_ctx *sub, struct archive *a,
    struct archive_entry *e, size_t *budget, struct buf *name,
    struct buf *data)
{
	struct msgview *mv = sub->mv;
	size_t cap = mv->limits->max_attach_bytes;
	struct buf local;
	int over = 0, r;

	if (aw_name(e, name) < 0 ||
	    msgview_add_attachment(mv, buf_cstr(name), "", "") < 0)
		return -1;
	if (archive_entry_filetype(e) != AE_IFREG)
		return 0;
	if (archive_entry_is_encrypted(e)) {
		msgview_anomaly(mv, MV_ANOM_ENCRYPTED_ARCHIVE);
		return 0;
	}
	if (cap > *budget)
		cap = *budget;
	if ((r = aw_read_member(a, cap, data, &over)) < 0)
		return -1;
	if (r > 0)
		msgview_anomaly(mv, MV_ANOM_BAD_ATTACHMENT);
	if (over)
		msgview_anomaly(mv, MV_ANOM_LIMIT_ATTACH_BYTES);
	*budget -= data->len;
	if (data->len == 0)
		return 0;
	buf_init(&local);
	r = buf_append_str(&local, aw_label(a)) < 0 ||
	    buf_append_char(&local, ':') < 0 ||
	    buf_append_str(&local, buf_cstr(name)) < 0 ? -1 : 0;
	if (r == 0)
		r = attach_member(sub, buf_cstr(&local), data->data, data->len);
	buf_free(&local);
	return r;
}

/* archive_walk - see archive_walk.h */
int
archive_walk(const struct attach_ctx *ctx, const char *data, size_t len)
{
	struct msgview *mv = ctx->mv;
	struct attach_ctx sub = { mv, ctx->where, ctx->depth + 1 };
	size_t budget = mv->limits->max_archive_bytes;
	struct archive *a;
	struct archive_entry *e;
	struct buf name, member, origin;
	unsigned members = 0;
	int rc = ARCHIVE_OK, r = 0;

	if (ctx->depth > mv->limits->max_archive_depth) {
		msgview_anomaly(mv, MV_ANOM_LIMIT_ARCHIVE_DEPTH);
		return 0;
	}
	if ((a = aw_open(data, len)) == NULL) {
		msgview_anomaly(mv, MV_ANOM_BAD_ATTACHMENT);
		return 0;
	}
	buf_init(&name);
	buf_init(&member);
	buf_init(&origin);
	while (r == 0 && ((rc = archive_read_next_header(a, &e)) == ARCHIVE_OK ||
	    rc == ARCHIVE_WARN)) {
		if (members++ >= mv->limits->max_archive_members) {
			msgview_anomaly(mv, MV_ANOM_LIMIT_ATTACH_ITEMS);
			break;
		}
		if (!attach_time_left(mv))
			break;
		if (budget == 0) {
			msgview_anomaly(mv, MV_ANOM_LIMIT_ATTACH_BYTES);
			break;
		}
		/* members are listed with the archive's origin */
		if (attach_origin(ctx, aw_label(a), &origin) < 0 ||
		    msgview_set_origin(mv, buf_cstr(&origin)) < 0)
			r = -1;
		else
			r = aw_member(&sub, a, e, &budget, &name, &member);
		if (msgview_set_origin(mv, ctx->where) < 0)
			r = -1;
	}
	if (r == 0 && rc == ARCHIVE_FATAL)
		msgview_anomaly(mv, MV_ANOM_BAD_ATTACHMENT);
	archive_read_free(a);
	buf_free(&name);
	buf_free(&member);
	buf_free(&origin);
	return r;
}
