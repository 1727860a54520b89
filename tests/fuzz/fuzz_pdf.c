/*
 * fuzz_pdf.c - libFuzzer target: arbitrary bytes as a PDF attachment
 * through pdf.c (poppler-glib: page text, links, form fields, pages
 * rendered for QR codes), as attach.c hands it over, under the default
 * limits.
 */
#include <stddef.h>
#include <stdint.h>

#include "attach.h"
#include "fuzz_common.h"
#include "msgview.h"
#include "pdf.h"

/* LLVMFuzzerTestOneInput - read one PDF */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct msgview mv;
	struct attach_ctx ctx = { &mv, NULL, 0 };

	if (fuzz_view_init(&mv, NULL) < 0)
		return 0;
	(void)pdf_decode(&ctx, (const char *)data, size);
	msgview_free(&mv);
	return 0;
}
