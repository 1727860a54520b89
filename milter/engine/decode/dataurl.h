/*
 * dataurl.h - the content of a data: URL (RFC 2397).
 *
 * A link to "data:text/html;base64,..." opens a page that no mail
 * gateway fetched: html.c reads it like an HTML part.
 */
#ifndef VIGIE_DATAURL_H
#define VIGIE_DATAURL_H

#include <stddef.h>

struct buf;

#define DATAURL_TYPE_MAX	64
#define DATAURL_CHARSET_MAX	40

struct dataurl {
	char	 type[DATAURL_TYPE_MAX];	/* lower-case type/subtype, "text/plain" by default */
	char	 charset[DATAURL_CHARSET_MAX];	/* "" when none given */
};

/*
 * dataurl_decode - if url is a data: URL, its media type into d and at
 * most cap bytes of its decoded content into out, *over set when there
 * was more; 1 if it is one, 0 if not, -1 on memory failure.
 */
int	dataurl_decode(const char *url, struct dataurl *d, struct buf *out,
	    size_t cap, int *over);

#endif
