/*
 * fuzz_archive.c - libFuzzer target: arbitrary bytes through the archive
 * walker (archive_walk.c), as a ZIP / 7-Zip / RAR attachment, members
 * opened by the dispatcher (attach.c) under the default limits.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "archive_walk.h"
#include "attach.h"
#include "domain.h"
#include "mime.h"
#include "msgview.h"

/* LLVMFuzzerTestOneInput - walk one archive */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct scan_limits limits;
	static int ready;
	struct attach_ctx ctx = { NULL, NULL, 0 };
	struct msgview mv;

	if (!ready) {
		scan_limits_set_defaults(&limits);
		if (domain_init() < 0 || mime_init() < 0)
			abort();
		ready = 1;
	}
	if (msgview_init(&mv, &limits) < 0)
		return 0;
	ctx.mv = &mv;
	(void)archive_walk(&ctx, (const char *)data, size);
	msgview_free(&mv);
	return 0;
}
