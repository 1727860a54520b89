/*
 * fuzz_mime.c - libFuzzer target: a whole raw message through mime_parse().
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "domain.h"
#include "mime.h"
#include "msgview.h"

/* LLVMFuzzerTestOneInput - parse one input with small limits; abort on a broken invariant */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct scan_limits limits;
	static int ready;
	struct msgview mv;
	size_t i;

	if (!ready) {
		scan_limits_set_defaults(&limits);
		limits.max_mime_depth = 8;
		limits.max_parts = 50;
		limits.max_text_bytes = 64 * 1024;
		if (domain_init() < 0 || mime_init() < 0)
			abort();
		ready = 1;
	}
	if (msgview_init(&mv, &limits) < 0)
		return 0;
	if (mime_parse((const char *)data, size, &mv) == 0)
		for (i = 0; i < mv.text.len; i++)
			if (mv.text.data[i] == '\0')
				abort();
	msgview_free(&mv);
	return 0;
}
