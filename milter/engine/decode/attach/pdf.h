/*
 * pdf.h - a PDF attachment as its reader sees it: page text, links, form fields.
 */
#ifndef VIGIE_PDF_H
#define VIGIE_PDF_H

#include <stddef.h>

struct attach_ctx;

/*
 * pdf_decode - add the text of the first max_attach_pages pages ("pdf:pageN"),
 * their link annotations (/URI) and form fields to the view. -1 only on
 * memory failure; an unreadable or encrypted PDF is MV_ANOM_BAD_ATTACHMENT.
 */
int	pdf_decode(const struct attach_ctx *ctx, const char *data, size_t len);

#endif
