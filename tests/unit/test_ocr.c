/*
 * test_ocr.c - OCR of images (decode/attach/ocr.c): off by default, the
 * text of a PNG / JPEG read with its origin, and its limits (images per
 * message, pixels, CPU time), several threads sharing the engine pool,
 * missing language data. Fixtures: tests/unit/fixtures/ocr-lure.*,
 * written by tests/tools/ocrgen.py fixtures.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "attach.h"
#include "buf.h"
#include "msgview.h"
#include "ocr.h"
#include "testutil.h"

static struct scan_limits limits;
static char languages_fra[] = "fra";
static char languages_missing[] = "zzz";

/* decode - attach_decode of one fixture as an image attachment */
static int
decode(struct msgview *mv, const char *name)
{
	struct buf b;
	int r;

	test_fixture_load(name, &b);
	r = attach_decode(mv, name, "image", strstr(name, ".jpg") ? "jpeg" :
	    "png", b.data, b.len);
	buf_free(&b);
	return r;
}

/* url_origin - the origin of the view's URL to host, NULL if none */
static const char *
url_origin(const struct msgview *mv, const char *host)
{
	size_t i;

	for (i = 0; i < mv->nurls; i++)
		if (strcmp(mv->urls[i].host, host) == 0)
			return mv->urls[i].origin != NULL ?
			    mv->urls[i].origin : "body";
	return NULL;
}

/* has_origin - some text of the view came from origin */
static int
has_origin(const struct msgview *mv, const char *origin)
{
	size_t i;

	for (i = 0; i < mv->ntext_origins; i++)
		if (mv->text_origins[i].origin != NULL &&
		    strcmp(mv->text_origins[i].origin, origin) == 0)
			return 1;
	return 0;
}

/* reset_limits - cmocka setup: default limits, OCR on in French */
static int
reset_limits(void **state)
{
	(void)state;
	scan_limits_set_defaults(&limits);
	limits.ocr = 1;
	limits.ocr_languages = languages_fra;
	return 0;
}

/* test_off_by_default - the defaults read no image text */
static void
test_off_by_default(void **state)
{
	struct msgview mv;

	(void)state;
	scan_limits_set_defaults(&limits);
	assert_int_equal(limits.ocr, 0);
	assert_int_equal(msgview_init(&mv, &limits), 0);
	assert_int_equal(decode(&mv, "ocr-lure.png"), 0);
	assert_null(strstr(buf_cstr(&mv.text), "Vitale"));
	assert_null(url_origin(&mv, "ameli-remboursement.fr"));
	assert_int_equal(mv.ocr_images, 0);
	msgview_free(&mv);
}

/* test_png - the lure's words and link, with origin ocr:image1 */
static void
test_png(void **state)
{
	struct msgview mv;

	(void)state;
	assert_int_equal(msgview_init(&mv, &limits), 0);
	assert_int_equal(decode(&mv, "ocr-lure.png"), 0);
	assert_non_null(strstr(buf_cstr(&mv.text),
	    "Votre carte Vitale expire le 15 décembre."));
	assert_non_null(strstr(buf_cstr(&mv.text), "1,99"));
	assert_string_equal(url_origin(&mv, "ameli-remboursement.fr"),
	    "ocr:image1");
	assert_true(has_origin(&mv, "ocr:image1"));
	assert_int_equal(mv.ocr_images, 1);
	assert_int_equal(mv.anomalies, 0);
	msgview_free(&mv);
}

/* test_jpeg - the same from a grey JPEG */
static void
test_jpeg(void **state)
{
	struct msgview mv;

	(void)state;
	assert_int_equal(msgview_init(&mv, &limits), 0);
	assert_int_equal(decode(&mv, "ocr-lure.jpg"), 0);
	assert_non_null(strstr(buf_cstr(&mv.text), "carte Vitale"));
	assert_string_equal(url_origin(&mv, "ameli-remboursement.fr"),
	    "ocr:image1");
	msgview_free(&mv);
}

/* test_max_images - the second image past ocr_max_images = 1 is not read */
static void
test_max_images(void **state)
{
	struct msgview mv;

	(void)state;
	limits.ocr_max_images = 1;
	assert_int_equal(msgview_init(&mv, &limits), 0);
	assert_int_equal(decode(&mv, "ocr-lure.png"), 0);
	assert_int_equal(mv.anomalies & MV_ANOM_LIMIT_ATTACH_ITEMS, 0);
	assert_int_equal(decode(&mv, "ocr-lure.jpg"), 0);
	assert_true(has_origin(&mv, "ocr:image1"));
	assert_false(has_origin(&mv, "ocr:image2"));
	assert_int_equal(mv.ocr_images, 1);
	assert_true(mv.anomalies & MV_ANOM_LIMIT_ATTACH_ITEMS);
	msgview_free(&mv);
}

/* test_downscale - past ocr_max_pixels the image is read smaller */
static void
test_downscale(void **state)
{
	struct msgview mv;

	(void)state;
	limits.ocr_max_pixels = 120000;	/* 900 x 240 = 216,000: halved */
	assert_int_equal(msgview_init(&mv, &limits), 0);
	assert_int_equal(decode(&mv, "ocr-lure.png"), 0);
	assert_int_equal(mv.ocr_images, 1);
	assert_non_null(strstr(buf_cstr(&mv.text), "Vitale"));
	msgview_free(&mv);
}

/* noise - a side x side image of random black and white pixels */
static unsigned char *
noise(unsigned side)
{
	unsigned char *grey;
	unsigned i, seed = 12345;

	assert_non_null(grey = malloc((size_t)side * side));
	for (i = 0; i < side * side; i++) {
		seed = seed * 1103515245u + 12345u;
		grey[i] = (seed >> 16) & 0x80 ? 0 : 255;
	}
	return grey;
}

/* cpu_now - this thread's CPU seconds */
static double
cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * test_noise - 2048 x 2048 of noise (two million blobs, 7 s of CPU in
 * tesseract's layout pass, which its monitor cannot stop) is not given
 * to tesseract: recorded, in a few milliseconds
 */
static void
test_noise(void **state)
{
	struct attach_ctx ctx = { NULL, NULL, 0 };
	struct msgview mv;
	unsigned char *grey = noise(2048);
	double t0;

	(void)state;
	limits.ocr_max_pixels = 2048ul * 2048;
	assert_int_equal(msgview_init(&mv, &limits), 0);
	ctx.mv = &mv;
	t0 = cpu_now();
	assert_int_equal(ocr_grey(&ctx, grey, 2048, 2048, "ocr:image1"), 0);
	print_message("noise 2048x2048: %.0f ms of CPU\n",
	    (cpu_now() - t0) * 1000);
	assert_true(cpu_now() - t0 < 0.2);
	assert_true(mv.anomalies & MV_ANOM_LIMIT_IMAGE_PIXELS);
	assert_int_equal(mv.ocr_images, 0);
	msgview_free(&mv);
	free(grey);
}

/*
 * test_budget - 512 x 512 of noise (65,000 blobs, under the gate) twice
 * with ocr_max_ms = 200: the first cut by the monitor, the second not
 * read, the message's OCR within a second of CPU and the cut recorded
 */
static void
test_budget(void **state)
{
	struct attach_ctx ctx = { NULL, NULL, 0 };
	struct msgview mv;
	unsigned char *grey = noise(512);
	double t0, spent;

	(void)state;
	limits.ocr_max_ms = 200;
	assert_int_equal(msgview_init(&mv, &limits), 0);
	ctx.mv = &mv;
	/* an engine made beforehand: making one is not the message's cost */
	assert_int_equal(decode(&mv, "ocr-lure.png"), 0);
	mv.ocr_images = 0;
	mv.ocr_spent = 0;
	t0 = cpu_now();
	assert_int_equal(ocr_grey(&ctx, grey, 512, 512, "ocr:image2"), 0);
	assert_int_equal(ocr_grey(&ctx, grey, 512, 512, "ocr:image3"), 0);
	spent = cpu_now() - t0;
	print_message("noise 512x512 twice, ocr_max_ms 200: %.0f ms of CPU\n",
	    spent * 1000);
	assert_true(spent < 1.0);
	assert_true(mv.anomalies & MV_ANOM_LIMIT_ATTACH_TIME);
	assert_int_equal(mv.ocr_images, 1);
	msgview_free(&mv);
	free(grey);
}

/* ocr_thread - one message's worth in a thread; 1 when the text is missing */
static void *
ocr_thread(void *arg)
{
	struct msgview mv;
	intptr_t wrong;

	(void)arg;
	if (msgview_init(&mv, &limits) < 0)
		return (void *)1;
	wrong = decode(&mv, "ocr-lure.png") != 0 ||
	    strstr(buf_cstr(&mv.text), "carte Vitale") == NULL;
	msgview_free(&mv);
	return (void *)wrong;
}

/* test_threads - six threads at once share the pool and all read the text */
static void
test_threads(void **state)
{
	(void)state;
	limits.ocr_max_ms = 20000;	/* queueing for an engine is not the test */
	assert_int_equal(test_threads_wrong(ocr_thread, NULL, 6), 0);
}

/* test_missing_language - no traineddata: nothing read, no failure */
static void
test_missing_language(void **state)
{
	struct msgview mv;

	(void)state;
	limits.ocr_languages = languages_missing;
	assert_int_equal(msgview_init(&mv, &limits), 0);
	assert_int_equal(decode(&mv, "ocr-lure.png"), 0);
	assert_null(strstr(buf_cstr(&mv.text), "Vitale"));
	msgview_free(&mv);
}

/* group_teardown - the pool's engines freed (the leak checker sees none) */
static int
group_teardown(void **state)
{
	(void)state;
	ocr_pool_free();
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_off_by_default),
		cmocka_unit_test_setup(test_png, reset_limits),
		cmocka_unit_test_setup(test_jpeg, reset_limits),
		cmocka_unit_test_setup(test_max_images, reset_limits),
		cmocka_unit_test_setup(test_downscale, reset_limits),
		cmocka_unit_test_setup(test_noise, reset_limits),
		cmocka_unit_test_setup(test_budget, reset_limits),
		cmocka_unit_test_setup(test_threads, reset_limits),
		cmocka_unit_test_setup(test_missing_language, reset_limits),
	};

	test_filter_from_env();
	return cmocka_run_group_tests(tests, NULL, group_teardown);
}
