/*
 * pdfstream.h - a PDF attachment's bytes as a stream that runs dry when
 * the message's attachment time is spent, so that poppler stops inside a
 * page too.
 */
#ifndef VIGIE_PDFSTREAM_H
#define VIGIE_PDFSTREAM_H

#include <gio/gio.h>
#include <stddef.h>

struct msgview;

/*
 * pdfstream_new - a seekable GInputStream over data (not copied: it must
 * outlive the stream) whose reads return end of file once
 * attach_time_left(mv) is false; NULL on memory failure. Release it with
 * g_object_unref().
 */
GInputStream	*pdfstream_new(struct msgview *mv, const char *data, size_t len);

#endif
