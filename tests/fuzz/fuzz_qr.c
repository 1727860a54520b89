/*
 * fuzz_qr.c - libFuzzer target: arbitrary bytes as an image attachment
 * through qr.c (PNG / JPEG header checks, decoding to grey, zbar).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "attach.h"
#include "domain.h"
#include "mime.h"
#include "msgview.h"
#include "qr.h"

/* LLVMFuzzerTestOneInput - look for QR codes in one image */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct scan_limits limits;
	static int ready;
	struct attach_ctx ctx = { NULL, NULL, 0 };
	struct msgview mv;

	if (!ready) {
		scan_limits_set_defaults(&limits);
		limits.max_image_pixels = 1024 * 1024;	/* fast iterations */
		if (domain_init() < 0 || mime_init() < 0)
			abort();
		ready = 1;
	}
	if (msgview_init(&mv, &limits) < 0)
		return 0;
	ctx.mv = &mv;
	(void)qr_decode(&ctx, (const char *)data, size);
	msgview_free(&mv);
	return 0;
}
