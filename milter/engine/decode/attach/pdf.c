/*
 * pdf.c - a PDF attachment through poppler-glib.
 *
 * poppler is the PDF engine of the desktop's viewers (Evince, Okular's
 * library), so its text is what a recipient reads. It has no time limit
 * of its own: the input is capped at max_attach_bytes by mime.c, at most
 * max_attach_pages pages are read (a document claiming 10,000 pages costs
 * only its page-tree lookup), and the message's time budget is checked
 * between pages. Password-protected documents do not open: they are
 * recorded as MV_ANOM_BAD_ATTACHMENT, as are documents poppler rejects.
 *
 * Per page: the text (poppler_page_get_text, in reading order), the URI
 * link annotations (as MV_URL_HREF: a click on the page opens them) and
 * the form fields' names and tooltips, which label what the form asks
 * for ("numero de carte", "NIR"); URI actions of push buttons are
 * MV_URL_FORM. Linking costs: poppler-glib pulls in cairo and poppler
 * (about 6 MiB of shared libraries, mapped once, shared by all threads).
 */
#include "pdf.h"

#include <glib.h>
#include <poppler.h>
#include <stdio.h>
#include <string.h>

#include "attach.h"
#include "buf.h"
#include "msgview.h"

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

/* pdf_page - one page: text, links, fields */
static int
pdf_page(const struct attach_ctx *ctx, PopplerDocument *doc, int i)
{
	PopplerPage *page = poppler_document_get_page(doc, i);
	char where[32];
	gchar *text;
	int r = 0;

	if (page == NULL)
		return 0;
	snprintf(where, sizeof(where), "pdf:page%d", i + 1);
	if ((text = poppler_page_get_text(page)) != NULL) {
		r = attach_text(ctx, where, text, strlen(text));
		g_free(text);
	}
	if (r == 0)
		r = pdf_links(ctx, page, where);
	if (r == 0)
		r = pdf_fields(ctx, page, where);
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
	GBytes *bytes;
	int i, n, r = 0;

	if (len == 0 || len > (size_t)G_MAXINT)
		return 0;
	bytes = g_bytes_new_static(data, len);
	doc = poppler_document_new_from_bytes(bytes, NULL, &err);
	g_bytes_unref(bytes);
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
		r = pdf_page(ctx, doc, i);
	g_object_unref(doc);
	return r;
}
