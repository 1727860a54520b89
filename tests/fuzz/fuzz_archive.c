/*
 * fuzz_archive.c - libFuzzer target: arbitrary bytes through the archive
 * walker (archive_walk.c), as a ZIP / 7-Zip / RAR attachment, members
 * opened by the dispatcher (attach.c) under the default limits.
 */
#include <stddef.h>
#include <stdint.h>

#include "archive_walk.h"
#include "attach.h"
#include "fuzz_common.h"
#include "msgview.h"

/* LLVMFuzzerTestOneInput - walk one archive */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct msgview mv;
	struct attach_ctx ctx = { &mv, NULL, 0 };

	if (fuzz_view_init(&mv, NULL) < 0)
		return 0;
	(void)archive_walk(&ctx, (const char *)data, size);
	msgview_free(&mv);
	return 0;
}
