/*
 * fuzz_textnorm.c - libFuzzer target: textnorm_fold() on arbitrary bytes,
 * checked against textnorm_fold_reference() (the table fast path must
 * fold exactly as ICU does), nir_find() and nir_labelled() over the
 * folded text, and
 * textnorm_skeleton() on the first line of the input (it is meant for
 * short strings such as host names), and textnorm_fold_lexicon() with a
 * lexicon of brand words (confusable_rewrite() writes nothing when it
 * finds nothing to rewrite).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "confusable.h"
#include "fuzz_common.h"
#include "nir.h"
#include "textnorm.h"

#define TN_INPUT_MAX	(256 * 1024)
#define TN_SKELETON_MAX	1024

/* fuzz_tn_nirs - every NIR of the folded text, bounds checked */
static void
fuzz_tn_nirs(const struct buf *t)
{
	size_t from = 0, start, end;
	const char *s = buf_cstr(t);

	while (from <= t->len && nir_find(s, t->len, from, &start, &end)) {
		if (start < from || end <= start || end > t->len)
			abort();
		(void)nir_labelled(s, start);
		from = end;
	}
}

static const char *const fuzz_tn_words[] = {
	"ameli", "cpam", "ipeca", "urssaf", "franceconnect", "vitale",
	"almerys", "viamedis",
};

/* fuzz_tn_lexicon - rewrite and fold with brand words */
static void
fuzz_tn_lexicon(const struct confusable_lexicon *lx, const char *in,
    size_t size)
{
	struct buf out;
	int rc;

	buf_init(&out);
	rc = confusable_rewrite(lx, in, size, &out);
	if (rc == 0 && out.len != 0)
		abort();	/* nothing to rewrite, yet something written */
	buf_reset(&out);
	(void)textnorm_fold_lexicon(in, size, lx, &out);
	buf_free(&out);
}

/* the brand words the lexicon pass looks for, built once */
static struct confusable_lexicon *lx;

/* fuzz_tn_init - textnorm and the lexicon of fuzz_tn_words */
static int
fuzz_tn_init(void)
{
	size_t n;

	if (textnorm_init() < 0 || (lx = confusable_lexicon_new()) == NULL)
		return -1;
	for (n = 0; n < sizeof(fuzz_tn_words) / sizeof(*fuzz_tn_words); n++)
		if (confusable_lexicon_add(lx, fuzz_tn_words[n]) < 0)
			return -1;
	return 0;
}

/* LLVMFuzzerTestOneInput - fold, look for NIRs, take a skeleton */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data, *nl;
	struct buf out, line;
	size_t n;

	fuzz_once(fuzz_tn_init);
	if (size > TN_INPUT_MAX)
		return 0;
	buf_init(&out);
	buf_init(&line);
	if (textnorm_fold(in, size, &out) == 0) {
		if (textnorm_fold_reference(in, size, &line) == 0 &&
		    (line.len != out.len ||
		    memcmp(buf_cstr(&line), buf_cstr(&out), out.len) != 0))
			abort();	/* the fast path disagrees with ICU */
		fuzz_tn_nirs(&out);
	}
	buf_free(&out);
	buf_free(&line);
	fuzz_tn_lexicon(lx, in, size);

	n = (nl = memchr(in, '\n', size)) != NULL ? (size_t)(nl - in) : size;
	if (n > TN_SKELETON_MAX)
		n = TN_SKELETON_MAX;
	buf_init(&line);
	buf_init(&out);
	if (buf_append(&line, in, n) == 0 && buf_append(&line, "", 0) == 0)
		(void)textnorm_skeleton(buf_cstr(&line), &out);
	buf_free(&line);
	buf_free(&out);
	return 0;
}
