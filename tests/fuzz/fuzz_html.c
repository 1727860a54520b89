/*
 * fuzz_html.c - libFuzzer target: arbitrary bytes through html_extract().
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "domain.h"
#include "html.h"
#include "mime.h"
#include "msgview.h"

/* LLVMFuzzerTestOneInput - extract text and links from one input */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct scan_limits limits;
	static int ready;
	struct msgview mv;

	if (!ready) {
		scan_limits_set_defaults(&limits);
		if (domain_init() < 0 || mime_init() < 0)
			abort();
		ready = 1;
	}
	if (msgview_init(&mv, &limits) < 0)
		return 0;
	(void)html_extract(&mv, (const char *)data, size);
	msgview_free(&mv);
	return 0;
}
