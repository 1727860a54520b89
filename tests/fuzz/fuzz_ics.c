/*
 * fuzz_ics.c - libFuzzer target: arbitrary bytes through the bounded
 * iCalendar reader (ics.c).
 */
#include <stddef.h>
#include <stdint.h>

#include "attach.h"
#include "fuzz_common.h"
#include "ics.h"
#include "msgview.h"

/* LLVMFuzzerTestOneInput - read one calendar */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct msgview mv;
	struct attach_ctx ctx = { &mv, NULL, 0 };

	if (fuzz_view_init(&mv, NULL) < 0)
		return 0;
	(void)ics_decode(&ctx, (const char *)data, size);
	msgview_free(&mv);
	return 0;
}
