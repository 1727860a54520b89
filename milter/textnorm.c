/*
 * textnorm.c - normalisation for matching, with ICU (see textnorm.h).
 *
 * Pipeline, on UTF-16 as ICU wants it:
 *   1. UTF-8 -> UTF-16, invalid sequences -> U+FFFD;
 *   2. NFKC_Casefold (ICU's "nfkc_cf"): compatibility forms, case folding,
 *      default-ignorable code points removed;
 *   3. NFD, then nonspacing marks dropped: accent folding;
 *   4. per word: when a word mixes Latin letters with Cyrillic, Greek or
 *      Armenian ones, those are replaced by their confusable skeleton;
 *   5. back to UTF-8 while collapsing white space and joining runs of
 *      single letters separated by one space, dot, dash or underscore.
 * Long inputs are processed in slices cut at white space so that the
 * UTF-16 scratch stays small.
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

#include "buf.h"

#define TEXTNORM_SLICE	(64 * 1024)	/* UTF-8 bytes folded at a time */
#define TEXTNORM_MIN_SPELLED	4	/* "a m e l i": at least 4 letters */

static const UNormalizer2 *textnorm_nfkc_cf;
static const UNormalizer2 *textnorm_nfd;
static USpoofChecker *textnorm_spoof;

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
	return 0;
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
			if (!is_letter(c))
				break;
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
	int32_t i = 0, end, k;
	UChar32 c;
	char tmp[4];

	while (i < u->len) {
		int at_word_start = i == 0 || !is_letter(u->s[i - 1]);

		if (at_word_start &&
		    (end = spelled_run_end(u->s, i, u->len)) > 0) {
			if (*pending_space && out->len > start &&
			    buf_append_char(out, ' ') < 0)
				return -1;
			*pending_space = 0;
			while (i < end) {
				U16_NEXT(u->s, i, u->len, c);
				if (!is_letter(c))
					continue;
				k = 0;
				U8_APPEND_UNSAFE(tmp, k, c);
				if (buf_append(out, tmp, (size_t)k) < 0)
					return -1;
			}
			continue;
		}
		U16_NEXT(u->s, i, u->len, c);
		if ((c < 0x80 ? c == ' ' || (c >= 0x09 && c <= 0x0d) :
		    u_isUWhiteSpace(c)) || c < 0x20) {
			*pending_space = 1;
			continue;
		}
		if (*pending_space && out->len > start &&
		    buf_append_char(out, ' ') < 0)
			return -1;
		*pending_space = 0;
		k = 0;
		U8_APPEND_UNSAFE(tmp, k, c);
		if (buf_append(out, tmp, (size_t)k) < 0)
			return -1;
	}
	return 0;
}

/* ascii_fold - an all-ASCII slice: lower case is the whole normalisation */
static int
ascii_fold(const char *in, size_t n, struct u16buf *u)
{
	size_t i;

	if (u16_reserve(u, (int32_t)n + 1) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)in[i];

		u->s[i] = (UChar)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	u->len = (int32_t)n;
	return 0;
}

/* is_ascii - no byte above 0x7f */
static int
is_ascii(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80)
			return 0;
	return 1;
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

/* textnorm_fold - see textnorm.h */
int
textnorm_fold(const char *in, size_t len, struct buf *out)
{
	struct u16buf a = { 0 }, b = { 0 };
	int pending_space = 0, rc = -1;
	size_t start = out->len;

	while (len > 0) {
		size_t n = slice_end(in, len);
		UErrorCode err = U_ZERO_ERROR;
		int32_t need;

		if (is_ascii(in, n)) {
			if (ascii_fold(in, n, &b) < 0 ||
			    emit_utf8(&b, out, start, &pending_space) < 0)
				goto done;
			in += n;
			len -= n;
			continue;
		}
		if (u16_reserve(&a, (int32_t)n + 1) < 0)
			goto done;
		u_strFromUTF8WithSub(a.s, a.cap, &need, in, (int32_t)n, 0xFFFD,
		    NULL, &err);
		if (U_FAILURE(err))
			goto done;
		a.len = need;
		if (u16_normalize(textnorm_nfkc_cf, &a, &b) < 0 ||
		    u16_normalize(textnorm_nfd, &b, &a) < 0)
			goto done;
		strip_marks(&a);
		if (unmask_mixed_words(&a, &b) < 0 ||
		    emit_utf8(&b, out, start, &pending_space) < 0)
			goto done;
		in += n;
		len -= n;
	}
	rc = 0;
done:
	if (rc < 0)
		out->len = start;
	free(a.s);
	free(b.s);
	return rc;
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
