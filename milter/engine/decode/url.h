/*
 * url.h - URLs: found in text, parsed into the parts rules look at.
 *
 * url_add() parses one URL (absolute, scheme-relative, or "www."-style
 * without scheme; resolved against base when relative) and adds it to
 * the view: scheme, host in Unicode and A-label forms (IDNA via
 * domain.c), IP literals in any notation (decimal, octal, hex, dword,
 * bracketed IPv6) canonicalised, user@host tricks flagged, registrable
 * domain from the public suffix list, path. url_scan_text() finds the
 * URLs a mail client would make clickable in plain text.
 */
#ifndef VIGIE_URL_H
#define VIGIE_URL_H

#include <stddef.h>

#include "msgview.h"

/* url_add - parse and add one URL; base may be NULL; -1 on memory failure */
int	url_add(struct msgview *mv, const char *raw, size_t len,
	    const char *base, enum mv_url_source source, const char *anchor_text);

/* url_scan_text - add every URL found in plain text; -1 on memory failure */
int	url_scan_text(struct msgview *mv, const char *text, size_t len);

#endif
