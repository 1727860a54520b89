/*
 * fuzz_qr.c - libFuzzer target: arbitrary bytes as an image attachment
 * through qr.c (PNG / JPEG header checks, decoding to grey, zbar).
 */
#include <stddef.h>
#include <stdint.h>

#include "attach.h"
#include "fuzz_common.h"
#include "msgview.h"
#include "qr.h"

/* fuzz_qr_limits - smaller images than the default, for fast iterations */
static void
fuzz_qr_limits(struct scan_limits *limits)
{
	limits->max_image_pixels = 1024 * 1024;
}

/* LLVMFuzzerTestOneInput - look for QR codes in one image */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct msgview mv;
	struct attach_ctx ctx = { &mv, NULL, 0 };

	if (fuzz_view_init(&mv, fuzz_qr_limits) < 0)
		return 0;
	(void)qr_decode(&ctx, (const char *)data, size);
	msgview_free(&mv);
	return 0;
}
