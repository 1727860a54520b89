/*
 * pdfstream.c - a PDF attachment's bytes as a GInputStream that runs dry
 * when the message's attachment time (max_attach_ms) is spent.
 *
 * poppler-glib has no time limit and no abort callback (22.12): one page
 * can hold a content stream inflating to a gigabyte of operators, or a
 * Form XObject drawing another ten times, nine levels deep; the text
 * extraction or the rendering of such a page then runs for minutes.
 * But poppler reads the document lazily: a memory stream handed to
 * poppler_document_new_from_stream() is read 1 KiB at a time as objects
 * are fetched, content streams parsed and inflated, and each drawing of a
 * form reads its stream again. So each read here first checks the time
 * budget; once it is spent every read is an end of file, poppler sees a
 * truncated document and ends the page quickly with what it has.
 *
 * The check costs one clock_gettime() per KiB read. Work that reads
 * nothing (a shading or function evaluated per pixel, bounded by
 * max_image_pixels) is not cut by it: see pdf.c.
 */
#include "pdfstream.h"

#include "attach.h"
#include "msgview.h"

struct _VigiePdfStream {
	GMemoryInputStream parent;
	struct msgview *mv;
	gboolean dry;		/* the time was spent: every read is EOF */
};

G_DECLARE_FINAL_TYPE(VigiePdfStream, vigie_pdf_stream, VIGIE, PDF_STREAM,
    GMemoryInputStream)
G_DEFINE_TYPE(VigiePdfStream, vigie_pdf_stream, G_TYPE_MEMORY_INPUT_STREAM)

/* vigie_pdf_stream_read - the memory stream's read, or EOF once time is spent */
static gssize
vigie_pdf_stream_read(GInputStream *in, void *buf, gsize count,
    GCancellable *cancellable, GError **error)
{
	VigiePdfStream *s = VIGIE_PDF_STREAM(in);

	if (!s->dry && !attach_time_left(s->mv))
		s->dry = TRUE;
	if (s->dry)
		return 0;
	return G_INPUT_STREAM_CLASS(vigie_pdf_stream_parent_class)->read_fn(in,
	    buf, count, cancellable, error);
}

/* vigie_pdf_stream_class_init - override read */
static void
vigie_pdf_stream_class_init(VigiePdfStreamClass *class)
{
	G_INPUT_STREAM_CLASS(class)->read_fn = vigie_pdf_stream_read;
}

/* vigie_pdf_stream_init - nothing beyond the zeroed instance */
static void
vigie_pdf_stream_init(VigiePdfStream *s)
{
	(void)s;
}

/* pdfstream_new - see pdfstream.h */
GInputStream *
pdfstream_new(struct msgview *mv, const char *data, size_t len)
{
	VigiePdfStream *s = g_object_new(vigie_pdf_stream_get_type(), NULL);

	if (s == NULL)
		return NULL;
	s->mv = mv;
	g_memory_input_stream_add_data(G_MEMORY_INPUT_STREAM(s), data,
	    (gssize)len, NULL);
	return G_INPUT_STREAM(s);
}
