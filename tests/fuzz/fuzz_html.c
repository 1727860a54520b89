/*
 * fuzz_html.c - libFuzzer target: arbitrary bytes through html_extract().
 */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_common.h"
#include "html.h"
#include "msgview.h"

/* LLVMFuzzerTestOneInput - extract text and links from one input */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct msgview mv;

	if (fuzz_view_init(&mv, NULL) < 0)
		return 0;
	(void)html_extract(&mv, (const char *)data, size);
	msgview_free(&mv);
	return 0;
}
