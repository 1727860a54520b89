/*
 * svg.h - an SVG image as its viewer shows it: text, links, scripts.
 */
#ifndef VIGIE_SVG_H
#define VIGIE_SVG_H

#include <stddef.h>

struct attach_ctx;

/*
 * svg_decode - add the text of an SVG file (origin "svg"), its links
 * (href and xlink:href of <a>: MV_URL_HREF; of <image>: MV_URL_IMG) and
 * the navigation targets of its scripts (htmlscript.c). -1 only on
 * memory failure; malformed XML is read as far as libxml2 recovers.
 */
int	svg_decode(const struct attach_ctx *ctx, const char *data, size_t len);

#endif
