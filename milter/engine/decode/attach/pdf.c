/*
 * pdf.c - a PDF attachment through poppler-glib.
 *
 * poppler is the PDF engine of the desktop's viewers (Evince, Okular's
 * library), so its text is what a recipient reads. It has no time limit
 * of its own: the input is capped at max_attach_bytes by mime.c, at most
 * max_attach_pages pages are read (a document claiming 10,000 pages costs
 * only its page-tree lookup), and the message's time budget is checked
 * between pages and, inside a page, each time poppler reads from the
 * file (pdfstream.c): a content stream inflating to a gigabyte, or forms
 * drawing forms 10^8 times, stop there (measured: 64 s and over 120 s of
 * poppler before, about 0.5 s of CPU, the budget, after). What reads
 * nothing more once started is still unbounded inside one page: a
 * shading or function evaluated per pixel, within max_image_pixels.
 * Password-protected documents do not open: they are recorded as
 * MV_ANOM_BAD_ATTACHMENT, as are documents poppler rejects.
 *
 * Per page: the text (poppler_page_get_text, in reading order), the URI
 * link annotations (as MV_URL_HREF: a click on the page opens them) and
 * the form fields' names and tooltips, which label what the form asks
 * for ("numero de carte", "NIR"); URI actions of push buttons are
 * MV_URL_FORM. Linking costs: poppler-glib pulls in cairo and poppler
 * (about 6 MiB of shared libraries, mapped once, shared by all threads).
 *
 * QR codes: pages are also rendered, as a viewer shows them (cairo,
 * PDF_QR_DPI, grey), and scanned by zbar (qr.c), so a code drawn as an
 * image or as vector squares gives its link, with origin "qr:pdf:pageN".
 * Rendered are the first PDF_QR_FIRST_PAGES pages (a code drawn as
 * vector squares is found there) and, further on, the pages that draw an
 * image (poppler's image mapping lists them without decoding them), so a
 * code pasted as a picture on page 5 is found too; at most max_qr_pages
 * pages per document (a page with an image past it is recorded as
 * MV_ANOM_LIMIT_ATTACH_ITEMS). A code drawn as vector squares past page
 * PDF_QR_FIRST_PAGES is not looked for. The rendering is bounded by
 * max_image_pixels (the resolution drops to fit) and skipped when the
 * time budget is spent; max_image_pixels = 0 turns it off. A rendered
 * page whose text layer holds fewer than PDF_OCR_TEXT_MIN non-blank
 * characters (a scanned letter, a lure pasted as a picture) also goes
 * to ocr.c, which reads it when ocr = true, with origin "ocr:pdf:pageN".
 */
#include "pdf.h"

#include <cairo.h>
#include <glib.h>
#include <math.h>
#include <poppler.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attach.h"
#include "buf.h"
#include "msgview.h"
#include "ocr.h"
#include "pdfstream.h"
#include "qr.h"

#define PDF_QR_FIRST_PAGES 2	/* pages rendered even without an image */
#define PDF_QR_DPI	150.0	/* enough for a 2 cm code of 40 modules */
#define PDF_OCR_TEXT_MIN	20	/* fewer text characters: the page is a picture */

/* pdf_links - a page's URI link annotations */
static int
pdf_links(const struct attach_ctx *ctx, PopplerPage *page, const char *where)
{
	GList *links = poppler_page_get_link_mapping(page), *l;
	PopplerLinkMapping *m;
	int r = 0;

	for (l = links; l != NULL && r == 0; l = l->next) {
		m = l->data;
		if (m->action != NULL && m->action->type == POPPLER_ACTION_URI &&
		    m->action->uri.uri != NULL)
			r = attach_link(ctx, where, m->action->uri.uri,
			    strlen(m->action->uri.uri), MV_URL_HREF);
	}
	poppler_page_free_link_mapping(links);
	return r;
}

/* pdf_field - one form field: its labels as text, a button's URI as a form target */
static int
pdf_field(const struct attach_ctx *ctx, PopplerFormField *f, const char *where,
    struct buf *text)
{
	PopplerAction *a;
	gchar *s;
	int r = 0;

	if ((s = poppler_form_field_get_partial_name(f)) != NULL) {
		r = buf_append_str(text, s) < 0 || buf_append_char(text, '\n') < 0;
		g_free(s);
	}
	if (r == 0 && (s = poppler_form_field_get_alternate_ui_name(f)) != NULL) {
		r = buf_append_str(text, s) < 0 || buf_append_char(text, '\n') < 0;
		g_free(s);
	}
	if (r != 0)
		return -1;
	if ((a = poppler_form_field_get_action(f)) != NULL &&
	    a->type == POPPLER_ACTION_URI && a->uri.uri != NULL)
		return attach_link(ctx, where, a->uri.uri, strlen(a->uri.uri),
		    MV_URL_FORM);
	return 0;
}

/* pdf_fields - a page's form fields */
static int
pdf_fields(const struct attach_ctx *ctx, PopplerPage *page, const char *where)
{
	GList *fields = poppler_page_get_form_field_mapping(page), *l;
	struct buf text;
	int r = 0;

	buf_init(&text);
	for (l = fields; l != NULL && r == 0; l = l->next)
		r = pdf_field(ctx, ((PopplerFormFieldMapping *)l->data)->field,
		    where, &text);
	poppler_page_free_form_field_mapping(fields);
	if (r == 0)
		r = attach_text(ctx, where, buf_cstr(&text), text.len);
	buf_free(&text);
	return r;
}

/* pdf_pictured - the page's text layer is too thin to be what it shows */
static int
pdf_pictured(const char *text)
{
	unsigned n = 0;

	for (; text != NULL && *text != '\0' && n < PDF_OCR_TEXT_MIN; text++)
		n += !g_ascii_isspace(*text);
	return n < PDF_OCR_TEXT_MIN;
}

/*
 * pdf_page_qr - render the page in grey within max_image_pixels and scan
 * it for QR codes ("qr:pdf:pageN"), and for text by OCR when pictured
 * ("ocr:pdf:pageN")
 */
static int
pdf_page_qr(const struct attach_ctx *ctx, PopplerPage *page, int i,
    int pictured)
{
	unsigned long max = ctx->mv->limits->max_image_pixels;
	double pw = 0, ph = 0, scale = PDF_QR_DPI / 72.0;
	cairo_surface_t *surface;
	cairo_t *cr;
	unsigned char *grey = NULL, *px;
	unsigned w, h, x, y;
	char where[32];
	int stride, r = 0;

	poppler_page_get_size(page, &pw, &ph);
	if (max == 0 || !(pw > 1 && ph > 1 && pw < 14400 && ph < 14400))
		return 0;
	if (pw * scale * ph * scale > (double)max)
		scale = sqrt((double)max / (pw * ph));
	w = (unsigned)(pw * scale);
	h = (unsigned)(ph * scale);
	if (w < 21 || h < 21)
		return 0;		/* not even one QR code fits */
	surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)w, (int)h);
	if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
		cairo_surface_destroy(surface);
		return 0;
	}
	cr = cairo_create(surface);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_scale(cr, scale, scale);
	poppler_page_render(page, cr);
	cairo_destroy(cr);
	cairo_surface_flush(surface);
	px = cairo_image_surface_get_data(surface);
	stride = cairo_image_surface_get_stride(surface);
	if (px != NULL && (grey = malloc((size_t)w * h)) == NULL)
		r = -1;
	if (px != NULL && grey != NULL) {
		for (y = 0; y < h; y++)
			for (x = 0; x < w; x++) {
				uint32_t v = *(uint32_t *)(void *)(px +
				    (size_t)y * (size_t)stride + 4 * (size_t)x);

				grey[(size_t)y * w + x] = (unsigned char)(
				    (((v >> 16) & 0xff) * 77 + ((v >> 8) & 0xff) *
				    150 + (v & 0xff) * 29) >> 8);
			}
		snprintf(where, sizeof(where), "qr:pdf:page%d", i + 1);
		r = qr_scan_grey(ctx, grey, w, h, where);
		snprintf(where, sizeof(where), "ocr:pdf:page%d", i + 1);
		if (r == 0 && pictured)
			r = ocr_grey(ctx, grey, w, h, where);
	}
	free(grey);
	cairo_surface_destroy(surface);
	return r;
}

/* pdf_page_has_image - whether the page draws an image (none is decoded) */
static int
pdf_page_has_image(PopplerPage *page)
{
	GList *images = poppler_page_get_image_mapping(page);
	int has = images != NULL;

	poppler_page_free_image_mapping(images);
	return has;
}

/*
 * pdf_page_qr_wanted - whether to render page i for QR codes: one of the
 * first pages, or one with an image, while qr_left (pages still allowed
 * in this document) lasts; counts the page against qr_left
 */
static int
pdf_page_qr_wanted(const struct attach_ctx *ctx, PopplerPage *page, int i,
    unsigned *qr_left)
{
	if (ctx->mv->limits->max_image_pixels == 0 ||
	    !attach_time_left(ctx->mv))
		return 0;
	if (i >= PDF_QR_FIRST_PAGES && !pdf_page_has_image(page))
		return 0;
	if (*qr_left == 0) {
		msgview_anomaly(ctx->mv, MV_ANOM_LIMIT_ATTACH_ITEMS);
		return 0;
	}
	(*qr_left)--;
	return 1;
}

/* pdf_page - one page: text, links, fields, QR codes (see pdf_page_qr_wanted) */
static int
pdf_page(const struct attach_ctx *ctx, PopplerDocument *doc, int i,
    unsigned *qr_left)
{
	PopplerPage *page = poppler_document_get_page(doc, i);
	char where[32];
	gchar *text;
	int r = 0, pictured;

	if (page == NULL)
		return 0;
	snprintf(where, sizeof(where), "pdf:page%d", i + 1);
	text = poppler_page_get_text(page);
	pictured = pdf_pictured(text);
	if (text != NULL) {
		r = attach_text(ctx, where, text, strlen(text));
		g_free(text);
	}
	if (r == 0)
		r = pdf_links(ctx, page, where);
	if (r == 0)
		r = pdf_fields(ctx, page, where);
	if (r == 0 && pdf_page_qr_wanted(ctx, page, i, qr_left))
		r = pdf_page_qr(ctx, page, i, pictured);
	g_object_unref(page);
	return r;
}

/* pdf_decode - see pdf.h */
int
pdf_decode(const struct attach_ctx *ctx, const char *data, size_t len)
{
	struct msgview *mv = ctx->mv;
	PopplerDocument *doc;
	GError *err = NULL;
	GInputStream *in;
	unsigned qr_left = mv->limits->max_qr_pages;
	int i, n, r = 0;

	if (len == 0 || len > (size_t)G_MAXINT)
		return 0;
	if ((in = pdfstream_new(mv, data, len)) == NULL)
		return -1;
	doc = poppler_document_new_from_stream(in, (goffset)len, NULL, NULL,
	    &err);
	g_object_unref(in);
	if (doc == NULL) {
		g_clear_error(&err);
		msgview_anomaly(mv, MV_ANOM_BAD_ATTACHMENT);
		return 0;
	}
	n = poppler_document_get_n_pages(doc);
	if (n < 0)
		n = 0;
	if ((unsigned)n > mv->limits->max_attach_pages) {
		msgview_anomaly(mv, MV_ANOM_LIMIT_ATTACH_ITEMS);
		n = (int)mv->limits->max_attach_pages;
	}
	for (i = 0; i < n && r == 0 && attach_time_left(mv); i++)
		r = pdf_page(ctx, doc, i, &qr_left);
	g_object_unref(doc);
	return r;
}
