/*
 * detect_action.h - detector "foreign_link": the message offers a way to
 * act outside every brand's genuine domains.
 *
 * A brand claim alone is talk; with a link the reader can follow to a
 * host that is no brand's (a link, a URL in the text or a form action,
 * not an image source) it becomes an attempt. Links to private,
 * loopback or link-local addresses lead nowhere a sender controls and
 * do not count. The excerpt is the link's registrable domain.
 */
#ifndef VIGIE_DETECT_ACTION_H
#define VIGIE_DETECT_ACTION_H

#include <stddef.h>

struct rule;
struct scanctx;

int	detect_foreign_link(struct scanctx *, const struct rule *,
	    const char **, size_t *);

#endif
