/*
 * ocr.c - text drawn in images, read by tesseract (optional: ocr = true).
 *
 * A lure sent as a picture ("Votre carte Vitale expire...", a scanned
 * letter) shows the recipient words the filter never reads. With
 * ocr = true the grey image that qr.c (inline images, image attachments)
 * and pdf.c (pages without a text layer) already decoded is handed to
 * tesseract through its C API, in the languages of ocr_languages, and
 * what it reads becomes visible text with origin "ocr:imageN" or
 * "ocr:pdf:pageN". With ocr = false (the default) ocr_grey() returns
 * before any tesseract call: no engine is made, no traineddata loaded
 * (what remains is the linked library's own load-time set-up: 0.7 MiB of
 * private memory, measured in /proc/PID/smaps_rollup).
 *
 * Limits, per message: ocr_max_images images are read (tracking pixels
 * and other images too small to hold a word are not counted), an image
 * of more than ocr_max_pixels is box-averaged down to fit, and OCR stops
 * once ocr_max_ms of CPU time have gone into it. The budget is enforced
 * inside tesseract by its monitor (TessMonitorSetCancelFunc): the cancel
 * callback reads this thread's CPU clock, as attach.c's budget does, so a
 * hostile image cannot hold a thread and a message gets the same verdict
 * on a busy machine as on an idle one; a wall-clock deadline
 * (TessMonitorSetDeadlineMSecs, OCR_WALL_FACTOR times the budget) is the
 * backstop should the thread be starved. Skipping or cutting records
 * MV_ANOM_LIMIT_ATTACH_ITEMS or MV_ANOM_LIMIT_ATTACH_TIME and logs one
 * line per message. OCR's time is its own: it is taken out of the
 * attachment decoders' max_attach_ms, so reading one image does not leave
 * the PDF or archive that follows it unopened.
 *
 * tesseract's monitor is consulted between words only: its layout pass
 * (thresholding, connected components, text lines) runs uninterrupted,
 * at about 3 us of CPU per run of dark pixels (measured on noise: a
 * 1024 x 1024 random image, 260,000 runs, took 0.8 s before the first
 * check). Before tesseract sees an image, ocr_ink_runs() binarises it
 * (Otsu's threshold, as tesseract does) and counts the runs: above
 * OCR_MAX_INK_RUNS (a full A4 page of text at 150 dpi has about 70,000;
 * noise and dithered photos far more) the image is not read and
 * MV_ANOM_LIMIT_IMAGE_PIXELS is recorded, so what the monitor cannot stop
 * stays within about 0.3 s.
 *
 * Threads: a TessBaseAPI is not shareable, and making one (Init, loading
 * the traineddata) costs a hundred milliseconds and tens of MiB.
 * libmilter runs one thread per SMTP connection and ends it with the
 * connection, so an engine kept in thread-local storage would be made
 * again for almost every message. The engines live instead in a small
 * pool guarded by a mutex: made on first need, at most one per online CPU
 * (OCR is CPU-bound; more would only queue on the cores) and
 * OCR_POOL_MAX, borrowed for one image and given back. A thread that
 * finds them all busy waits for one within the message's budget, then
 * gives up as if the budget were spent. An engine made for other
 * languages (a reload changed ocr_languages) is initialised again.
 * tesseract finds its data where it was built to (Debian:
 * /usr/share/tesseract-ocr/5/tessdata) or under TESSDATA_PREFIX.
 *
 * Debian's tesseract is built with OpenMP: its recogniser forks a team of
 * threads at every small step, which spin while they wait. Measured on 3
 * images, that doubles the CPU spent (561 ms against 288 ms with
 * OMP_THREAD_LIMIT=1) and the extra threads' time escapes this thread's
 * CPU clock. libgomp reads OMP_THREAD_LIMIT when the process starts, too
 * early for this file to set it: vigie.service sets it, and the first
 * engine made logs a hint when it is not 1.
 */
#include "ocr.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <tesseract/capi.h>
#include <time.h>
#include <unistd.h>

#include "attach.h"
#include "log.h"
#include "msgview.h"

#define OCR_POOL_MAX	8	/* engines kept, whatever the CPU count */
#define OCR_MIN_SIDE	16	/* narrower or shorter: no word to read */
#define OCR_WALL_FACTOR	4	/* wall-clock backstop, times the CPU budget */
#define OCR_PPI		96	/* what a mail client displays images at */
#define OCR_DEFAULT_LANGUAGES	"fra"
#define OCR_MAX_INK_RUNS	100000	/* more: noise or a photo, not read */

struct ocr_engine {
	TessBaseAPI *api;		/* NULL until made */
	char	*languages;		/* what api was initialised with */
	int	 busy;			/* lent to a thread */
};

static pthread_mutex_t ocr_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t ocr_returned = PTHREAD_COND_INITIALIZER;
static struct ocr_engine ocr_pool[OCR_POOL_MAX];
static unsigned ocr_pool_made;		/* slots handed out at least once */
static unsigned ocr_pool_cap;		/* 0 until the first borrow */
static int ocr_init_failed_logged;
static int ocr_atexit_done;		/* ocr_pool_free() registered */

/* the CPU deadline the cancel callback checks */
struct ocr_deadline {
	clockid_t clock;		/* the OCR thread's CPU clock */
	double	 end;			/* seconds on that clock */
	int	 cancelled;
};

/* ocr_clock_now - seconds on clock (a CPU clock, or CLOCK_MONOTONIC) */
static double
ocr_clock_now(clockid_t clock)
{
	struct timespec ts;

	if (clock_gettime(clock, &ts) != 0)
		clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ocr_cancel - tesseract's monitor: stop once the CPU budget is spent */
static bool
ocr_cancel(void *arg, int words)
{
	struct ocr_deadline *d = arg;

	(void)words;
	if (ocr_clock_now(d->clock) >= d->end)
		d->cancelled = 1;
	return d->cancelled != 0;
}

/* ocr_pool_free - see ocr.h */
void
ocr_pool_free(void)
{
	unsigned i;

	pthread_mutex_lock(&ocr_lock);
	for (i = 0; i < OCR_POOL_MAX; i++) {
		if (ocr_pool[i].api != NULL) {
			TessBaseAPIEnd(ocr_pool[i].api);
			TessBaseAPIDelete(ocr_pool[i].api);
		}
		free(ocr_pool[i].languages);
		memset(&ocr_pool[i], 0, sizeof(ocr_pool[i]));
	}
	ocr_pool_made = 0;
	pthread_mutex_unlock(&ocr_lock);
}

/* ocr_pool_size - engines allowed: one per online CPU, within OCR_POOL_MAX */
static unsigned
ocr_pool_size(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	if (n < 1)
		return 1;
	return n > OCR_POOL_MAX ? OCR_POOL_MAX : (unsigned)n;
}

/*
 * ocr_borrow - an engine slot for this thread, waiting at most wait_s
 * seconds for one to come back; NULL when none did. The caller makes or
 * re-initialises the slot's engine, outside the lock.
 */
static struct ocr_engine *
ocr_borrow(const char *languages, double wait_s)
{
	struct ocr_engine *e = NULL;
	struct timespec until;
	unsigned i;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += (time_t)wait_s;
	until.tv_nsec += (long)((wait_s - (double)(time_t)wait_s) * 1e9);
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&ocr_lock);
	if (ocr_pool_cap == 0)
		ocr_pool_cap = ocr_pool_size();
	for (;;) {
		/* a free engine, one made for these languages first */
		for (i = 0; i < ocr_pool_made; i++)
			if (!ocr_pool[i].busy && (e == NULL ||
			    (ocr_pool[i].languages != NULL &&
			    strcmp(ocr_pool[i].languages, languages) == 0)))
				e = &ocr_pool[i];
		if (e == NULL && ocr_pool_made < ocr_pool_cap)
			e = &ocr_pool[ocr_pool_made++];
		if (e != NULL || pthread_cond_timedwait(&ocr_returned,
		    &ocr_lock, &until) == ETIMEDOUT)
			break;
	}
	if (e != NULL)
		e->busy = 1;
	pthread_mutex_unlock(&ocr_lock);
	return e;
}

/* ocr_give_back - the engine is free for another thread */
static void
ocr_give_back(struct ocr_engine *e)
{
	pthread_mutex_lock(&ocr_lock);
	e->busy = 0;
	pthread_cond_signal(&ocr_returned);
	pthread_mutex_unlock(&ocr_lock);
}

/* ocr_omp_hint - once per process: OpenMP threads not limited to one */
static void
ocr_omp_hint(void)
{
	static int said;
	const char *limit = getenv("OMP_THREAD_LIMIT");
	int say;

	pthread_mutex_lock(&ocr_lock);
	say = !said;
	said = 1;
	pthread_mutex_unlock(&ocr_lock);
	if (say && (limit == NULL || strcmp(limit, "1") != 0))
		log_msg(LOG_INFO, "ocr: OMP_THREAD_LIMIT is not 1: tesseract's "
		    "OpenMP threads about double the CPU time of each image "
		    "(set OMP_THREAD_LIMIT=1 in the environment)");
}

/* ocr_ready - e's engine made and initialised for languages; 0 or -1 */
static int
ocr_ready(struct ocr_engine *e, const char *languages)
{
	int logged;

	if (e->api != NULL && e->languages != NULL &&
	    strcmp(e->languages, languages) == 0)
		return 0;
	if (e->api == NULL && (e->api = TessBaseAPICreate()) == NULL)
		return -1;
	ocr_omp_hint();
	free(e->languages);
	e->languages = NULL;
	if (TessBaseAPIInit3(e->api, NULL, languages) != 0) {
		pthread_mutex_lock(&ocr_lock);
		logged = ocr_init_failed_logged;
		ocr_init_failed_logged = 1;
		pthread_mutex_unlock(&ocr_lock);
		if (!logged)
			log_msg(LOG_ERR, "ocr: tesseract cannot load languages "
			    "\"%s\" (install tesseract-ocr-%s or set "
			    "TESSDATA_PREFIX); images are not read",
			    languages, languages);
		TessBaseAPIDelete(e->api);
		e->api = NULL;
		return -1;
	}
	/*
	 * Freed at exit, before tesseract's own dictionary cache, which the
	 * first Init made (exit handlers run last registered first): an
	 * engine ended after that cache is gone leaks the dictionaries it
	 * held, and one ended before releases them.
	 */
	pthread_mutex_lock(&ocr_lock);
	if (!ocr_atexit_done)
		ocr_atexit_done = atexit(ocr_pool_free) == 0;
	pthread_mutex_unlock(&ocr_lock);
	/* tesseract's warnings are not ours to print */
	(void)TessBaseAPISetVariable(e->api, "debug_file", "/dev/null");
	if ((e->languages = strdup(languages)) == NULL) {
		TessBaseAPIEnd(e->api);
		TessBaseAPIDelete(e->api);
		e->api = NULL;
		return -1;
	}
	return 0;
}

/*
 * ocr_shrink - grey box-averaged by the smallest whole factor that brings
 * it within max pixels; the new size in *w, *h. NULL on memory failure.
 */
static unsigned char *
ocr_shrink(const unsigned char *grey, unsigned *w, unsigned *h,
    unsigned long max)
{
	unsigned k = 2, nw, nh, x, y, i, j;
	unsigned long sum;
	unsigned char *out;

	while ((unsigned long)(*w / k) * (*h / k) > max)
		k++;
	nw = *w / k;
	nh = *h / k;
	if ((out = malloc((size_t)nw * nh)) == NULL)
		return NULL;
	for (y = 0; y < nh; y++)
		for (x = 0; x < nw; x++) {
			sum = 0;
			for (j = 0; j < k; j++)
				for (i = 0; i < k; i++)
					sum += grey[((size_t)y * k + j) * *w +
					    (size_t)x * k + i];
			out[(size_t)y * nw + x] =
			    (unsigned char)(sum / ((unsigned long)k * k));
		}
	*w = nw;
	*h = nh;
	return out;
}

/* ocr_otsu - the grey level that best splits grey's histogram in two */
static unsigned
ocr_otsu(const unsigned char *grey, size_t n)
{
	unsigned long hist[256] = { 0 };
	double sum = 0, sum_below = 0, best = -1, between, mean_below,
	    mean_above;
	unsigned long below = 0;
	unsigned t, threshold = 128;
	size_t i;

	for (i = 0; i < n; i++)
		hist[grey[i]]++;
	for (t = 0; t < 256; t++)
		sum += (double)t * (double)hist[t];
	for (t = 0; t < 255; t++) {
		below += hist[t];
		sum_below += (double)t * (double)hist[t];
		if (below == 0 || below == n)
			continue;
		mean_below = sum_below / (double)below;
		mean_above = (sum - sum_below) / (double)(n - below);
		between = (double)below * (double)(n - below) *
		    (mean_below - mean_above) * (mean_below - mean_above);
		if (between > best) {
			best = between;
			threshold = t + 1;
		}
	}
	return threshold;
}

/*
 * ocr_ink_runs - the runs of dark pixels along grey's rows once
 * binarised, counted up to just past limit
 */
static unsigned long
ocr_ink_runs(const unsigned char *grey, unsigned w, unsigned h,
    unsigned long limit)
{
	unsigned threshold = ocr_otsu(grey, (size_t)w * h), x, y;
	const unsigned char *row;
	unsigned long runs = 0;
	int dark, was_dark;

	for (y = 0; y < h && runs <= limit; y++) {
		row = grey + (size_t)y * w;
		was_dark = 0;
		for (x = 0; x < w; x++) {
			dark = row[x] < threshold;
			runs += dark && !was_dark;
			was_dark = dark;
		}
	}
	return runs;
}

/* ocr_cut - record that OCR work was skipped, with one log line per message */
static void
ocr_cut(struct msgview *mv, enum mv_anomaly why, const char *what)
{
	msgview_anomaly(mv, why);
	if (mv->ocr_logged)
		return;
	mv->ocr_logged = 1;
	log_msg(LOG_INFO, "ocr: %s after %u image(s), %.0f ms; the rest of "
	    "the message's images are not read", what, mv->ocr_images,
	    mv->ocr_spent * 1000.0);
}

/* ocr_read - tesseract on one grey image within d; text added under where */
static int
ocr_read(const struct attach_ctx *ctx, TessBaseAPI *api,
    const unsigned char *grey, unsigned w, unsigned h, const char *where,
    struct ocr_deadline *d, unsigned wall_ms)
{
	ETEXT_DESC *monitor;
	char *text;
	int r = 0;

	if ((monitor = TessMonitorCreate()) == NULL)
		return -1;
	TessMonitorSetCancelFunc(monitor, ocr_cancel);
	TessMonitorSetCancelThis(monitor, d);
	TessMonitorSetDeadlineMSecs(monitor, (int)wall_ms);
	TessBaseAPISetImage(api, grey, (int)w, (int)h, 1, (int)w);
	TessBaseAPISetSourceResolution(api, OCR_PPI);
	(void)TessBaseAPIRecognize(api, monitor);
	if ((text = TessBaseAPIGetUTF8Text(api)) != NULL) {
		r = attach_text(ctx, where, text, strlen(text));
		TessDeleteText(text);
	}
	TessBaseAPIClear(api);
	TessMonitorDelete(monitor);
	return r;
}

/* ocr_image - ocr_grey() within the message's OCR limits */
static int
ocr_image(const struct attach_ctx *ctx, const unsigned char *grey,
    unsigned width, unsigned height, const char *where)
{
	struct msgview *mv = ctx->mv;
	const struct scan_limits *l = mv->limits;
	const char *languages;
	struct ocr_deadline d;
	struct ocr_engine *e;
	unsigned char *small = NULL;
	double budget, started;
	pthread_t self = pthread_self();
	int r = 0;

	budget = (double)l->ocr_max_ms / 1000.0 - mv->ocr_spent;
	if (mv->ocr_images >= l->ocr_max_images) {
		ocr_cut(mv, MV_ANOM_LIMIT_ATTACH_ITEMS, "ocr_max_images reached");
		return 0;
	}
	if (budget <= 0) {
		ocr_cut(mv, MV_ANOM_LIMIT_ATTACH_TIME, "ocr_max_ms spent");
		return 0;
	}
	if ((unsigned long)width * height > l->ocr_max_pixels) {
		log_msg(LOG_INFO, "ocr: %s of %ux%u pixels read downscaled "
		    "to fit ocr_max_pixels", where, width, height);
		if ((small = ocr_shrink(grey, &width, &height,
		    l->ocr_max_pixels)) == NULL)
			return -1;
		grey = small;
	}
	if (ocr_ink_runs(grey, width, height, OCR_MAX_INK_RUNS) >
	    OCR_MAX_INK_RUNS) {
		free(small);
		msgview_anomaly(mv, MV_ANOM_LIMIT_IMAGE_PIXELS);
		log_msg(LOG_INFO, "ocr: %s of %ux%u pixels not read: more than "
		    "%u runs of ink (noise or a photo)", where, width, height,
		    OCR_MAX_INK_RUNS);
		return 0;
	}
	mv->ocr_images++;
	languages = l->ocr_languages != NULL && *l->ocr_languages != '\0' ?
	    l->ocr_languages : OCR_DEFAULT_LANGUAGES;
	started = ocr_clock_now(CLOCK_MONOTONIC);
	if ((e = ocr_borrow(languages, budget)) == NULL) {
		free(small);
		mv->ocr_spent += ocr_clock_now(CLOCK_MONOTONIC) - started;
		ocr_cut(mv, MV_ANOM_LIMIT_ATTACH_TIME,
		    "no tesseract engine free within ocr_max_ms");
		return 0;
	}
	if (pthread_getcpuclockid(self, &d.clock) != 0)
		d.clock = CLOCK_MONOTONIC;
	d.cancelled = 0;
	/* making the engine is the process's cost, not the message's */
	if (ocr_ready(e, languages) == 0) {
		started = ocr_clock_now(d.clock);
		d.end = started + budget;
		r = ocr_read(ctx, e->api, grey, width, height, where, &d,
		    (unsigned)(budget * 1000.0 * OCR_WALL_FACTOR) + 1);
		mv->ocr_spent += ocr_clock_now(d.clock) - started;
	}
	ocr_give_back(e);
	free(small);
	if (d.cancelled)
		ocr_cut(mv, MV_ANOM_LIMIT_ATTACH_TIME, "ocr_max_ms spent");
	return r;
}

/* ocr_grey - see ocr.h */
int
ocr_grey(const struct attach_ctx *ctx, const unsigned char *grey,
    unsigned width, unsigned height, const char *where)
{
	struct msgview *mv = ctx->mv;
	const struct scan_limits *l = mv->limits;
	double cpu_at_entry;
	int r;

	if (!l->ocr || width < OCR_MIN_SIDE || height < OCR_MIN_SIDE)
		return 0;
	cpu_at_entry = ocr_clock_now(CLOCK_THREAD_CPUTIME_ID);
	r = ocr_image(ctx, grey, width, height, where);
	/* OCR has its own budget: max_attach_ms goes on counting the rest */
	if (mv->attach_started != 0)
		mv->attach_started += ocr_clock_now(CLOCK_THREAD_CPUTIME_ID) -
		    cpu_at_entry;
	return r;
}
