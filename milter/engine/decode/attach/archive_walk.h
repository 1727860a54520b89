/*
 * archive_walk.h - an archive attachment (ZIP, 7-Zip, RAR): its members listed and opened.
 */
#ifndef VIGIE_ARCHIVE_WALK_H
#define VIGIE_ARCHIVE_WALK_H

#include <stddef.h>

struct attach_ctx;

/*
 * archive_walk - list the members as attachments (origin "zip") and open
 * the ones attach.c reads (HTML, PDF, text, calendar, SVG, archives),
 * each under "zip:PATH". -1 only on memory failure.
 */
int	archive_walk(const struct attach_ctx *ctx, const char *data, size_t len);

#endif
