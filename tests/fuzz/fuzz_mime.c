/*
 * fuzz_mime.c - libFuzzer target: a whole raw message through mime_parse().
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "fuzz_common.h"
#include "mime.h"
#include "msgview.h"

/* fuzz_mime_limits - small limits, so that each input stays cheap */
static void
fuzz_mime_limits(struct scan_limits *limits)
{
	limits->max_mime_depth = 8;
	limits->max_parts = 50;
	limits->max_text_bytes = 64 * 1024;
}

/* LLVMFuzzerTestOneInput - parse one input with small limits; abort on a broken invariant */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct msgview mv;
	size_t i;

	if (fuzz_view_init(&mv, fuzz_mime_limits) < 0)
		return 0;
	if (mime_parse((const char *)data, size, &mv) == 0)
		for (i = 0; i < mv.text.len; i++)
			if (mv.text.data[i] == '\0')
				abort();
	msgview_free(&mv);
	return 0;
}
