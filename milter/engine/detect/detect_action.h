/*
 * detect_action.h - detectors "foreign_link" and "qr_link": the message
 * offers a way to act outside every brand's genuine domains.
 *
 * A brand claim alone is talk; with a link the reader can follow to a
 * host that is no brand's (a link, a URL in the text or a form action,
 * not an image source) it becomes an attempt. Links to private,
 * loopback or link-local addresses lead nowhere a sender controls and
 * do not count. The excerpt is the link's registrable domain.
 *
 * "qr_link" is the same for the links read from QR codes (origin "qr:",
 * in an image or a rendered PDF page): a code to scan sends the reader
 * to a phone, away from the desktop's filters and its address bar, which
 * is why lures use them. A QR code to a genuine brand domain is not one.
 */
#ifndef VIGIE_DETECT_ACTION_H
#define VIGIE_DETECT_ACTION_H

#include <stddef.h>

struct rule;
struct scanctx;

int	detect_foreign_link(struct scanctx *, const struct rule *,
	    const char **, size_t *);
int	detect_qr_link(struct scanctx *, const struct rule *,
	    const char **, size_t *);

#endif
