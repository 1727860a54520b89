/*
 * fuzz_url.c - libFuzzer target: url_add() with and without a base, and
 * url_scan_text(), on arbitrary bytes. The first line of the input is
 * the base, the rest the URL and text.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "msgview.h"
#include "url.h"

/* LLVMFuzzerTestOneInput - exercise both entry points of url.c */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data, *nl;
	struct msgview mv;
	char *base = NULL;

	if (fuzz_view_init(&mv, NULL) < 0)
		return 0;
	if ((nl = memchr(s, '\n', size)) != NULL &&
	    (base = strndup(s, (size_t)(nl - s))) != NULL) {
		(void)url_add(&mv, nl + 1, size - (size_t)(nl + 1 - s), base,
		    MV_URL_HREF, "t");
		free(base);
	}
	(void)url_add(&mv, s, size, NULL, MV_URL_TEXT, NULL);
	(void)url_scan_text(&mv, s, size);
	msgview_free(&mv);
	return 0;
}
