/*
 * textnorm.c - normalisation for matching, with ICU (see textnorm.h).
 *
 * Pipeline, on UTF-16 as ICU wants it:
 *   0. with textnorm_fold_lexicon(), look-alikes of the lexicon's words
 *      replaced by the words (confusable.h), on the UTF-8 text;
 *   1. UTF-8 -> UTF-16, invalid sequences -> U+FFFD;
 *   2. per word: when a word mixes Latin letters with Cyrillic, Greek or
 *      Armenian ones, those are replaced by their confusable skeleton;
 *      before case folding, so that a Cyrillic capital М becomes a Latin
 *      M (its small letter looks like no Latin one);
 *   3. NFKC_Casefold (ICU's "nfkc_cf"): compatibility forms, case folding,
 *      default-ignorable code points removed;
 *   4. NFD, then nonspacing marks dropped: accent folding;
 *   5. back to UTF-8 while collapsing white space and joining runs of
 *      single letters separated by one space, dot, dash or underscore.
 * Long inputs are processed in slices cut at white space so that the
 * UTF-16 scratch stays small.
 *
 * Fast path: almost all mail is written with Latin letters, Latin-1
 * punctuation, general punctuation (’ – … narrow no-break space) and
 * currency signs. For those code points steps 2-4 are a fixed mapping of
 * each code point to a short string, computed once by textnorm_init()
 * with the full pipeline above (so ICU stays the only authority; nothing
 * is tabulated by hand). A slice made only of such code points is mapped
 * through the table; any other code point, or invalid UTF-8, sends the
 * whole slice through ICU. That the two agree is checked exhaustively on
 * every pair of table code points by the unit tests, and on arbitrary
 * input by the textnorm fuzz target (textnorm_fold_reference()).
 */
#include "textnorm.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uscript.h>
#include <unicode/uspoof.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

#include "buf.h"
#include "confusable.h"

#define TEXTNORM_SLICE	(64 * 1024)	/* UTF-8 bytes folded at a time */
#define TEXTNORM_MIN_SPELLED	4	/* "a m e l i": at least 4 letters */

#define FAST_MAX_OUT	3		/* UTF-16 units a table entry holds */

static const UNormalizer2 *textnorm_nfkc_cf;
static const UNormalizer2 *textnorm_nfd;
static USpoofChecker *textnorm_spoof;

/* the fast path's table: what steps 2-4 make of one code point */
struct fast_entry {
	unsigned char ok;		/* 0: this code point needs ICU */
	unsigned char len;		/* UTF-16 units in out (may be 0) */
	UChar	 out[FAST_MAX_OUT];
};

/* the code points tabulated: [lo, hi) ranges, laid end to end */
static const struct {
	UChar32 lo, hi;
} fast_ranges[] = {
	{ 0x0000, 0x0300 },	/* Latin, IPA, spacing modifiers */
	{ 0x2000, 0x2070 },	/* general punctuation */
	{ 0x20a0, 0x20d0 },	/* currency symbols */
};
#define FAST_SIZE	(0x300 + 0x70 + 0x30)	/* the ranges' lengths, summed */

static struct fast_entry fast_table[FAST_SIZE];

static int fast_table_build(void);

/* textnorm_init - fetch the ICU normalisers and the spoof checker */
int
textnorm_init(void)
{
	UErrorCode err = U_ZERO_ERROR;

	if (textnorm_nfkc_cf != NULL)
		return 0;
	textnorm_nfkc_cf = unorm2_getNFKCCasefoldInstance(&err);
	if (U_FAILURE(err))
		return -1;
	textnorm_nfd = unorm2_getNFDInstance(&err);
	if (U_FAILURE(err))
		return -1;
	textnorm_spoof = uspoof_open(&err);
	if (U_FAILURE(err))
		return -1;
	return fast_table_build();
}

/* utf16 scratch, grown as needed */
struct u16buf {
	UChar	*s;
	int32_t	 len;
	int32_t	 cap;
};

/* u16_reserve - room for n code units */
static int
u16_reserve(struct u16buf *u, int32_t n)
{
	UChar *p;

	if (n <= u->cap)
		return 0;
	if ((p = realloc(u->s, (size_t)n * sizeof(UChar))) == NULL)
		return -1;
	u->s = p;
	u->cap = n;
	return 0;
}

/* u16_normalize - dst = normalizer(src) */
static int
u16_normalize(const UNormalizer2 *n, const struct u16buf *src,
    struct u16buf *dst)
{
	UErrorCode err = U_ZERO_ERROR;
	int32_t need;

	need = unorm2_normalize(n, src->s, src->len, dst->s, dst->cap, &err);
	if (err == U_BUFFER_OVERFLOW_ERROR) {
		if (u16_reserve(dst, need + 1) < 0)
			return -1;
		err = U_ZERO_ERROR;
		need = unorm2_normalize(n, src->s, src->len, dst->s, dst->cap,
		    &err);
	}
	if (U_FAILURE(err))
		return -1;
	dst->len = need;
	return 0;
}

/* strip_marks - drop nonspacing marks in place (after NFD: accents) */
static void
strip_marks(struct u16buf *u)
{
	int32_t i = 0, o = 0;
	UChar32 c;

	while (i < u->len) {
		int32_t start = i;

		U16_NEXT(u->s, i, u->len, c);
		if (u_charType(c) == U_NON_SPACING_MARK)
			continue;
		while (start < i)
			u->s[o++] = u->s[start++];
	}
	u->len = o;
}

/* is_letter - u_isalpha with the ASCII answer computed here */
static int
is_letter(UChar32 c)
{
	if (c < 0x80)
		return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
	return u_isalpha(c);
}

/* is_lookalike_script - scripts whose letters pass for Latin ones */
static int
is_lookalike_script(UScriptCode s)
{
	return s == USCRIPT_CYRILLIC || s == USCRIPT_GREEK ||
	    s == USCRIPT_ARMENIAN || s == USCRIPT_CHEROKEE;
}

/* skeleton_char - the Latin skeleton of one code point, or the code point */
static int32_t
skeleton_char(UChar32 c, UChar *out, int32_t cap)
{
	UChar in[2];
	int32_t n = 0, len;
	UErrorCode err = U_ZERO_ERROR;

	U16_APPEND_UNSAFE(in, n, c);
	len = uspoof_getSkeleton(textnorm_spoof, 0, in, n, out, cap, &err);
	if (U_FAILURE(err) || len <= 0 || len > cap) {
		n = 0;
		U16_APPEND_UNSAFE(out, n, c);
		return n;
	}
	return len;
}

/* is_ignorable - invisible code points that do not cut a word (ZWSP, SHY) */
static int
is_ignorable(UChar32 c)
{
	return c >= 0x80 && u_hasBinaryProperty(c,
	    UCHAR_DEFAULT_IGNORABLE_CODE_POINT);
}

/* unmask_mixed_words - map look-alike letters inside Latin words */
static int
unmask_mixed_words(const struct u16buf *src, struct u16buf *dst)
{
	int32_t i = 0, w, j;
	UChar32 c;

	if (u16_reserve(dst, src->len * 4 + 1) < 0)
		return -1;
	dst->len = 0;
	while (i < src->len) {
		int latin = 0, other = 0;
		UErrorCode err = U_ZERO_ERROR;

		/* one word: a run of letters */
		w = i;
		for (j = i; j < src->len; ) {
			int32_t k = j;
			UScriptCode sc;

			U16_NEXT(src->s, k, src->len, c);
			if (!is_letter(c)) {
				if (j > w && is_ignorable(c)) {
					j = k;	/* "a\u00admeli" is one word */
					continue;
				}
				break;
			}
			sc = uscript_getScript(c, &err);
			if (sc == USCRIPT_LATIN)
				latin = 1;
			else if (is_lookalike_script(sc))
				other = 1;
			j = k;
		}
		if (j == w) {		/* not a letter: copy one code point */
			U16_NEXT(src->s, j, src->len, c);
			while (w < j)
				dst->s[dst->len++] = src->s[w++];
			i = j;
			continue;
		}
		while (w < j) {
			int32_t k = w;

			U16_NEXT(src->s, k, src->len, c);
			err = U_ZERO_ERROR;
			if (latin && other &&
			    is_lookalike_script(uscript_getScript(c, &err)))
				dst->len += skeleton_char(c, dst->s + dst->len, 4);
			else
				while (w < k)
					dst->s[dst->len++] = src->s[w++];
			w = k;
		}
		i = j;
	}
	return 0;
}

/* is_spell_sep - separators people put between spelled-out letters */
static int
is_spell_sep(UChar32 c)
{
	return c == ' ' || c == '.' || c == '-' || c == '_' || c == '*' ||
	    c == '\xa0';
}

/*
 * spelled_run_end - if a run of >= TEXTNORM_MIN_SPELLED single letters,
 * each separated by one separator, starts at i, return the index after
 * its last letter; else -1.
 */
static int32_t
spelled_run_end(const UChar *s, int32_t i, int32_t len)
{
	int32_t letters = 0, last = -1, k;
	UChar32 c;

	for (;;) {
		k = i;
		if (k >= len)
			break;
		U16_NEXT(s, k, len, c);
		if (!is_letter(c))
			break;
		/* the letter must stand alone */
		if (k < len) {
			int32_t m = k;
			UChar32 d;

			U16_NEXT(s, m, len, d);
			if (is_letter(d))
				break;
		}
		letters++;
		last = k;
		if (k >= len)
			break;
		{
			int32_t m = k;
			UChar32 d;

			U16_NEXT(s, m, len, d);
			if (!is_spell_sep(d))
				break;
			i = m;
		}
	}
	return letters >= TEXTNORM_MIN_SPELLED ? last : -1;
}

/* emit_utf8 - UTF-16 to UTF-8 with white space collapsed and spellings joined */
static int
emit_utf8(const struct u16buf *u, struct buf *out, size_t start,
    int *pending_space)
{
	int32_t i = 0, end;
	UChar32 c;
	char *o;
	size_t n;

	/* at most 3 UTF-8 bytes per UTF-16 unit, one space before each */
	if (buf_reserve(out, (size_t)u->len * 4) < 0)
		return -1;
	o = out->data;
	n = out->len;
	while (i < u->len) {
		int at_word_start = i == 0 || !is_letter(u->s[i - 1]);

		if (at_word_start && (U16_IS_LEAD(u->s[i]) ||
		    is_letter(u->s[i])) &&
		    (end = spelled_run_end(u->s, i, u->len)) > 0) {
			if (*pending_space && n > start)
				o[n++] = ' ';
			*pending_space = 0;
			while (i < end) {
				U16_NEXT(u->s, i, u->len, c);
				if (is_letter(c))
					U8_APPEND_UNSAFE(o, n, c);
			}
			continue;
		}
		U16_NEXT(u->s, i, u->len, c);
		if ((c < 0x80 ? c == ' ' || (c >= 0x09 && c <= 0x0d) :
		    u_isUWhiteSpace(c)) || c < 0x20) {
			*pending_space = 1;
			continue;
		}
		if (*pending_space && n > start)
			o[n++] = ' ';
		*pending_space = 0;
		if (c < 0x80)
			o[n++] = (char)c;
		else
			U8_APPEND_UNSAFE(o, n, c);
		/* the rest of an ASCII word: no spelling starts inside a word */
		if (is_letter(c))
			while (i < u->len && u->s[i] < 0x80 &&
			    is_letter(u->s[i]))
				o[n++] = (char)u->s[i++];
	}
	out->len = n;
	o[n] = '\0';
	return 0;
}

/* icu_slice - steps 1-4 with ICU: b = the folded slice, a is scratch */
static int
icu_slice(const char *in, size_t n, struct u16buf *a, struct u16buf *b)
{
	UErrorCode err = U_ZERO_ERROR;
	int32_t need;

	if (u16_reserve(a, (int32_t)n + 1) < 0)
		return -1;
	u_strFromUTF8WithSub(a->s, a->cap, &need, in, (int32_t)n, 0xFFFD,
	    NULL, &err);
	if (U_FAILURE(err))
		return -1;
	a->len = need;
	if (unmask_mixed_words(a, b) < 0 ||
	    u16_normalize(textnorm_nfkc_cf, b, a) < 0 ||
	    u16_normalize(textnorm_nfd, a, b) < 0)
		return -1;
	strip_marks(b);
	return 0;
}

/* fast_index - a code point's place in fast_table, or -1 */
static int
fast_index(UChar32 c)
{
	size_t r;
	int base = 0;

	for (r = 0; r < sizeof(fast_ranges) / sizeof(fast_ranges[0]); r++) {
		if (c >= fast_ranges[r].lo && c < fast_ranges[r].hi)
			return base + (int)(c - fast_ranges[r].lo);
		base += (int)(fast_ranges[r].hi - fast_ranges[r].lo);
	}
	return -1;
}

/* fast_slice - steps 1-4 by table: 0 done, 1 needs ICU, -1 no memory */
static int
fast_slice(const char *in, size_t n, struct u16buf *u)
{
	const struct fast_entry *e;
	int32_t i = 0, len = (int32_t)n, o = 0, k, idx;
	UChar32 c;

	if (u16_reserve(u, len * FAST_MAX_OUT + 1) < 0)
		return -1;
	while (i < len) {
		c = (unsigned char)in[i];
		if (c < 0x80)
			i++;
		else
			U8_NEXT(in, i, len, c);
		if (c < 0 || (idx = fast_index(c)) < 0 ||
		    !(e = &fast_table[idx])->ok)
			return 1;
		for (k = 0; k < e->len; k++)
			u->s[o++] = e->out[k];
	}
	u->len = o;
	return 0;
}

/*
 * fast_table_build - run each tabulated code point through ICU; keep it
 * when the result is short and holds no letter of a look-alike script
 * (those depend on the neighbouring letters: step 2).
 */
static int
fast_table_build(void)
{
	struct u16buf a = { 0 }, b = { 0 };
	size_t r;
	int idx = 0, rc = 0;

	for (r = 0; r < sizeof(fast_ranges) / sizeof(fast_ranges[0]) &&
	    rc == 0; r++) {
		UChar32 c;

		for (c = fast_ranges[r].lo; c < fast_ranges[r].hi; c++, idx++) {
			struct fast_entry *e;
			char in[4];
			int32_t n = 0, i = 0;
			UChar32 d;

			if (idx >= FAST_SIZE) {	/* FAST_SIZE out of step */
				rc = -1;
				break;
			}
			e = &fast_table[idx];

			e->ok = 0;
			if (U_IS_SURROGATE(c))
				continue;
			U8_APPEND_UNSAFE(in, n, c);
			if (icu_slice(in, (size_t)n, &a, &b) < 0) {
				rc = -1;
				break;
			}
			if (b.len > FAST_MAX_OUT)
				continue;
			e->ok = 1;
			while (i < b.len) {
				UErrorCode err = U_ZERO_ERROR;

				U16_NEXT(b.s, i, b.len, d);
				if (is_lookalike_script(uscript_getScript(d,
				    &err)))
					e->ok = 0;
			}
			e->len = (unsigned char)b.len;
			memcpy(e->out, b.s, (size_t)b.len * sizeof(UChar));
		}
	}
	free(a.s);
	free(b.s);
	return rc;
}

/* slice_end - cut at white space near the slice size, never inside UTF-8 */
static size_t
slice_end(const char *in, size_t len)
{
	size_t cut;

	if (len <= TEXTNORM_SLICE)
		return len;
	for (cut = TEXTNORM_SLICE; cut > TEXTNORM_SLICE / 2; cut--)
		if (in[cut] == ' ' || in[cut] == '\n')
			return cut;
	cut = TEXTNORM_SLICE;
	while (cut > 0 && ((unsigned char)in[cut] & 0xC0) == 0x80)
		cut--;
	return cut;
}

/* fold - textnorm_fold_lexicon, with or without the fast path */
static int
fold(const char *in, size_t len, const struct confusable_lexicon *lex,
    struct buf *out, int fast)
{
	struct u16buf a = { 0 }, b = { 0 };
	struct buf rewritten;
	int pending_space = 0, rc = -1, r;
	size_t start = out->len;

	buf_init(&rewritten);
	while (len > 0) {
		size_t n = slice_end(in, len), m = n;
		const char *s = in;

		buf_reset(&rewritten);
		if (lex != NULL) {
			if ((r = confusable_rewrite(lex, in, n, &rewritten)) < 0)
				goto done;
			if (r > 0) {
				s = rewritten.data;
				m = rewritten.len;
			}
		}
		r = fast ? fast_slice(s, m, &b) : 1;
		if (r < 0 || (r > 0 && icu_slice(s, m, &a, &b) < 0) ||
		    emit_utf8(&b, out, start, &pending_space) < 0)
			goto done;
		in += n;
		len -= n;
	}
	rc = 0;
done:
	buf_free(&rewritten);
	if (rc < 0) {
		out->len = start;
		if (out->data != NULL)
			out->data[start] = '\0';
	}
	free(a.s);
	free(b.s);
	return rc;
}

/* textnorm_fold - see textnorm.h */
int
textnorm_fold(const char *in, size_t len, struct buf *out)
{
	return fold(in, len, NULL, out, 1);
}

/* textnorm_fold_lexicon - see textnorm.h */
int
textnorm_fold_lexicon(const char *in, size_t len,
    const struct confusable_lexicon *lex, struct buf *out)
{
	return fold(in, len, lex, out, 1);
}

/* textnorm_fold_reference - see textnorm.h */
int
textnorm_fold_reference(const char *in, size_t len, struct buf *out)
{
	return fold(in, len, NULL, out, 0);
}

/* textnorm_skeleton - see textnorm.h */
int
textnorm_skeleton(const char *in, struct buf *out)
{
	char small[256], *big = NULL;
	UErrorCode err = U_ZERO_ERROR;
	int32_t need;
	size_t start = out->len, i;
	int rc = -1;

	need = uspoof_getSkeletonUTF8(textnorm_spoof, 0, in, -1, small,
	    (int32_t)sizeof(small), &err);
	if (err == U_BUFFER_OVERFLOW_ERROR) {
		if ((big = malloc((size_t)need + 1)) == NULL)
			return -1;
		err = U_ZERO_ERROR;
		need = uspoof_getSkeletonUTF8(textnorm_spoof, 0, in, -1, big,
		    need + 1, &err);
	}
	if (U_SUCCESS(err) && buf_append(out, big ? big : small,
	    (size_t)need) == 0) {
		/* skeletons keep case: fold ASCII so "ameli" == "AMELI" */
		for (i = start; i < out->len; i++)
			if (out->data[i] >= 'A' && out->data[i] <= 'Z')
				out->data[i] = (char)(out->data[i] - 'A' + 'a');
		rc = 0;
	}
	free(big);
	return rc;
}
