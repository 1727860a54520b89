/*
 * attach.h - what an attachment shows once opened: PDF, archive,
 * calendar, SVG, HTML scripts, QR codes.
 *
 * mime.c hands each attachment part (and inline image) that
 * attach_wanted() selects to attach_decode(); the decoders of this
 * folder (pdf.c, archive_walk.c, ics.c, svg.c, htmlscript.c, qr.c) add its text, links and members to the same
 * message view the rules read, each with its origin ("pdf:page2",
 * "zip:invoice/form.html", "ics:event1"), under the attachment limits of
 * scan_limits.h. Going past one records an anomaly and skips the rest.
 *
 * The helpers below are for the decoders: they keep the view's origin,
 * the per-message count of decoded files and the time budget.
 */
#ifndef VIGIE_ATTACH_H
#define VIGIE_ATTACH_H

#include <stddef.h>

#include "msgview.h"

/* where a decoder stands: the view, its enclosing origin, its nesting */
struct attach_ctx {
	struct msgview *mv;
	const char *where;		/* enclosing member ("zip:a/b.pdf"), NULL at top */
	unsigned depth;			/* archives around this file */
};

/*
 * attach_wanted - a part of this type ("application", "pdf") and file
 * name ("" if none) is worth reading whole for attach_decode(). Decided
 * on names only: a message without such parts costs nothing more.
 */
int	attach_wanted(const char *type, const char *subtype, const char *name);

/*
 * attach_decode - open one attachment part of the message (data, len:
 * its decoded bytes, at most max_attach_bytes) and add what it shows to
 * mv. -1 only on memory failure; unreadable files are anomalies.
 */
int	attach_decode(struct msgview *mv, const char *name, const char *type,
	    const char *subtype, const char *data, size_t len);

/*
 * attach_member - open one file found inside an archive: ctx is the
 * archive's, local the member's origin ("zip:" and its path, which also
 * gives its kind when the content does not). -1 only on memory failure.
 */
int	attach_member(const struct attach_ctx *ctx, const char *local,
	    const char *data, size_t len);

/*
 * attach_origin - ctx's origin followed by local ("pdf:page2"; "" adds
 * nothing): the string recorded with the text and links found there.
 */
int	attach_origin(const struct attach_ctx *ctx, const char *local,
	    struct buf *out);

/*
 * attach_text - text found at local (an origin part, e.g. "pdf:page1"):
 * appended to the view on a new line, its URLs listed. -1 on memory failure.
 */
int	attach_text(const struct attach_ctx *ctx, const char *local,
	    const char *text, size_t len);

/* attach_link - one link found at local, as source; -1 on memory failure */
int	attach_link(const struct attach_ctx *ctx, const char *local,
	    const char *url, size_t len, enum mv_url_source source);

/*
 * attach_time_left - the message's decoding time budget (max_attach_ms)
 * is not spent; when it is, records MV_ANOM_LIMIT_ATTACH_TIME.
 */
int	attach_time_left(struct msgview *mv);

#endif
