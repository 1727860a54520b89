/*
 * confusable.c - brand words through look-alike letters (see confusable.h).
 *
 * The lexicon is a small open-addressing hash table of skeletons. ICU's
 * spoof checker is the only authority on what looks like what: the
 * skeletons of the lexicon words, of every non-ASCII word of the text,
 * and the 128-entry table of ASCII skeletons (built from it once, so that
 * the plain ASCII words that make up most mail are looked up without a
 * call into ICU: an ASCII skeleton is the concatenation of its letters'
 * skeletons, TR 39 section 4) all come from uspoof_getSkeleton(). Every
 * buffer is bounded: a word longer than the longest skeleton is not a
 * candidate and is skipped without being copied.
 */
#include "confusable.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uspoof.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

#include "buf.h"

#define SKEL_MAX	(4 * CONFUSABLE_MAX_WORD)	/* skeleton bytes kept */
#define WORD_U16_MAX	(2 * SKEL_MAX)		/* UTF-16 units of one word */
#define ASCII_SKEL_MAX	4			/* bytes of one ASCII skeleton */

struct lex_entry {
	char	skel[SKEL_MAX];
	size_t	skel_len;
	char	word[CONFUSABLE_MAX_WORD + 1];
	size_t	word_len;
};

struct confusable_lexicon {
	USpoofChecker	*spoof;
	const UNormalizer2 *nfkc;
	/* the skeleton of each ASCII character; len 0: not usable alone */
	char		 ascii_skel[128][ASCII_SKEL_MAX];
	unsigned char	 ascii_len[128];
	struct lex_entry *entries;
	size_t		 n, cap;
	uint32_t	*slots;		/* entry index + 1; 0 is empty */
	size_t		 nslots;	/* a power of two, >= 2 n + 2 */
	size_t		 max_skel;	/* longest skeleton, in bytes */
	uint32_t	 first[8];	/* first skeleton bytes seen (bit set) */
};

/* skel_hash - FNV-1a of a skeleton */
static uint32_t
skel_hash(const char *s, size_t n)
{
	uint32_t h = 2166136261u;

	while (n-- > 0)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

/* lex_find - the entry with this skeleton, or NULL */
static const struct lex_entry *
lex_find(const struct confusable_lexicon *lx, const char *skel, size_t n)
{
	size_t i;

	if (lx->nslots == 0)
		return NULL;
	for (i = skel_hash(skel, n) & (lx->nslots - 1); lx->slots[i] != 0;
	    i = (i + 1) & (lx->nslots - 1)) {
		const struct lex_entry *e = &lx->entries[lx->slots[i] - 1];

		if (e->skel_len == n && memcmp(e->skel, skel, n) == 0)
			return e;
	}
	return NULL;
}

/* lex_rehash - a new slot table, four times the entries, all placed */
static int
lex_rehash(struct confusable_lexicon *lx)
{
	uint32_t *slots;
	size_t nslots = 16, k, i;

	while (nslots < 4 * lx->n + 4)
		nslots *= 2;
	if ((slots = calloc(nslots, sizeof(*slots))) == NULL)
		return -1;
	for (k = 0; k < lx->n; k++) {
		for (i = skel_hash(lx->entries[k].skel,
		    lx->entries[k].skel_len) & (nslots - 1); slots[i] != 0;
		    i = (i + 1) & (nslots - 1))
			;
		slots[i] = (uint32_t)k + 1;
	}
	free(lx->slots);
	lx->slots = slots;
	lx->nslots = nslots;
	return 0;
}

/*
 * icu_skeleton - skeleton of UTF-16 text, as UTF-8; -1: too long. With
 * nfkc, of its NFKC form: full-width and styled letters are in no
 * confusables table, but NFKC would turn a lunate sigma (which is a C)
 * into a sigma, so callers try both.
 */
static int
icu_skeleton(const struct confusable_lexicon *lx, const UChar *w, int32_t n,
    int nfkc, char *skel, size_t *skel_len)
{
	UChar nf[WORD_U16_MAX], sk[WORD_U16_MAX];
	UErrorCode err = U_ZERO_ERROR;
	int32_t nfn, skn, len;

	if (nfkc) {
		nfn = unorm2_normalize(lx->nfkc, w, n, nf, WORD_U16_MAX, &err);
		if (U_FAILURE(err) || nfn >= WORD_U16_MAX)
			return -1;
		w = nf;
		n = nfn;
	}
	skn = uspoof_getSkeleton(lx->spoof, 0, w, n, sk, WORD_U16_MAX,
	    &err);
	if (U_FAILURE(err) || skn >= WORD_U16_MAX)
		return -1;
	u_strToUTF8(skel, SKEL_MAX, &len, sk, skn, &err);
	if (U_FAILURE(err) || len >= SKEL_MAX)
		return -1;
	*skel_len = (size_t)len;
	return 0;
}

/* ascii_table_build - each ASCII character's skeleton, from ICU */
static void
ascii_table_build(struct confusable_lexicon *lx)
{
	int c;

	for (c = 0; c < 128; c++) {
		UChar u = (UChar)c;
		char skel[SKEL_MAX];
		size_t n, i;

		lx->ascii_len[c] = 0;
		if (icu_skeleton(lx, &u, 1, 0, skel, &n) < 0 || n == 0 ||
		    n > ASCII_SKEL_MAX)
			continue;
		for (i = 0; i < n; i++)
			if ((unsigned char)skel[i] >= 0x80)
				break;
		if (i < n)
			continue;
		memcpy(lx->ascii_skel[c], skel, n);
		lx->ascii_len[c] = (unsigned char)n;
	}
}

/* confusable_lexicon_new - see confusable.h */
struct confusable_lexicon *
confusable_lexicon_new(void)
{
	struct confusable_lexicon *lx;
	UErrorCode err = U_ZERO_ERROR;

	if ((lx = calloc(1, sizeof(*lx))) == NULL)
		return NULL;
	lx->nfkc = unorm2_getNFKCInstance(&err);
	if (U_SUCCESS(err))
		lx->spoof = uspoof_open(&err);
	if (U_FAILURE(err)) {
		confusable_lexicon_free(lx);
		return NULL;
	}
	ascii_table_build(lx);
	return lx;
}

/* confusable_lexicon_free - see confusable.h */
void
confusable_lexicon_free(struct confusable_lexicon *lx)
{
	if (lx == NULL)
		return;
	if (lx->spoof != NULL)
		uspoof_close(lx->spoof);
	free(lx->entries);
	free(lx->slots);
	free(lx);
}

/* lex_put - one spelling of a word, by its skeleton */
static int
lex_put(struct confusable_lexicon *lx, const char *spelling,
    const char *word, size_t len)
{
	UChar w[CONFUSABLE_MAX_WORD];
	struct lex_entry e;
	size_t i;

	for (i = 0; i < len; i++)
		w[i] = (UChar)(unsigned char)spelling[i];
	if (icu_skeleton(lx, w, (int32_t)len, 0, e.skel, &e.skel_len) < 0 ||
	    e.skel_len == 0)
		return -1;
	if (lex_find(lx, e.skel, e.skel_len) != NULL)
		return 0;
	memcpy(e.word, word, len);
	e.word[len] = '\0';
	e.word_len = len;
	if (lx->n == lx->cap) {
		size_t cap = lx->cap ? 2 * lx->cap : 32;
		struct lex_entry *p;

		if ((p = realloc(lx->entries, cap * sizeof(*p))) == NULL)
			return -1;
		lx->entries = p;
		lx->cap = cap;
	}
	lx->entries[lx->n++] = e;
	if (2 * lx->n + 2 > lx->nslots) {
		/* a larger table, with every entry placed: the new one too */
		if (lex_rehash(lx) < 0) {
			lx->n--;
			return -1;
		}
	} else {
		for (i = skel_hash(e.skel, e.skel_len) & (lx->nslots - 1);
		    lx->slots[i] != 0; i = (i + 1) & (lx->nslots - 1))
			;
		lx->slots[i] = (uint32_t)lx->n;
	}
	if (e.skel_len > lx->max_skel)
		lx->max_skel = e.skel_len;
	lx->first[(unsigned char)e.skel[0] >> 5] |=
	    1u << ((unsigned char)e.skel[0] & 31);
	return 0;
}

/* confusable_lexicon_add - see confusable.h */
int
confusable_lexicon_add(struct confusable_lexicon *lx, const char *word)
{
	char lower[CONFUSABLE_MAX_WORD + 1], upper[CONFUSABLE_MAX_WORD + 1];
	char title[CONFUSABLE_MAX_WORD + 1];
	size_t len = strlen(word), i;

	if (len < CONFUSABLE_MIN_WORD || len > CONFUSABLE_MAX_WORD)
		return 0;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)word[i];

		if (!((c | 0x20) >= 'a' && (c | 0x20) <= 'z'))
			return 0;
		lower[i] = (char)(c | 0x20);
		upper[i] = (char)(c & ~0x20);
	}
	memcpy(title, lower, len);
	title[0] = upper[0];
	if (lex_put(lx, lower, lower, len) < 0 ||
	    lex_put(lx, upper, lower, len) < 0 ||
	    lex_put(lx, title, lower, len) < 0)
		return -1;
	return 0;
}

/* is_word_char - letters, digits and marks make words */
static int
is_word_char(UChar32 c)
{
	int8_t t;

	if (c < 0x80)
		return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' &&
		    (c | 0x20) <= 'z');
	if (u_isalnum(c))
		return 1;
	t = u_charType(c);
	return t == U_NON_SPACING_MARK || t == U_COMBINING_SPACING_MARK;
}

/* is_ignorable - invisible code points that do not cut a word (ZWSP, SHY) */
static int
is_ignorable(UChar32 c)
{
	return c >= 0x80 && u_hasBinaryProperty(c,
	    UCHAR_DEFAULT_IGNORABLE_CODE_POINT);
}

/* ascii_word_skeleton - by the table; -1 when too long or not tabulated */
static int
ascii_word_skeleton(const struct confusable_lexicon *lx, const char *w,
    size_t n, char *skel, size_t *skel_len)
{
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)w[i];
		size_t k = lx->ascii_len[c];

		if (k == 0 || o + k > lx->max_skel)
			return -1;
		memcpy(skel + o, lx->ascii_skel[c], k);
		o += k;
	}
	*skel_len = o;
	return 0;
}

/* word_find - a non-ASCII word's entry, ignorables left out, or NULL */
static const struct lex_entry *
word_find(const struct confusable_lexicon *lx, const char *w, size_t n)
{
	const struct lex_entry *e = NULL;
	char skel[SKEL_MAX];
	size_t skel_len;
	UChar u[WORD_U16_MAX];
	int32_t i = 0, o = 0;
	UChar32 c;

	while (i < (int32_t)n) {
		U8_NEXT(w, i, (int32_t)n, c);
		if (c < 0 || is_ignorable(c))
			continue;
		if (o + 2 > WORD_U16_MAX)
			return NULL;
		U16_APPEND_UNSAFE(u, o, c);
	}
	if (icu_skeleton(lx, u, o, 0, skel, &skel_len) == 0)
		e = lex_find(lx, skel, skel_len);
	if (e == NULL && icu_skeleton(lx, u, o, 1, skel, &skel_len) == 0)
		e = lex_find(lx, skel, skel_len);
	return e;
}

/* word_end - end of the word starting at i, and its count of code points */
static size_t
word_end(const char *in, size_t len, size_t i, size_t *ncp, int *ascii)
{
	int32_t k = (int32_t)i;
	UChar32 c;

	*ncp = 0;
	*ascii = 1;
	while ((size_t)k < len) {
		int32_t next = k;

		if ((unsigned char)in[k] < 0x80) {
			c = (unsigned char)in[k];
			next++;
		} else
			U8_NEXT(in, next, (int32_t)len, c);
		if (c < 0 || !(is_word_char(c) || (*ncp > 0 && is_ignorable(c))))
			break;
		if (c >= 0x80)
			*ascii = 0;
		if (!is_ignorable(c))
			(*ncp)++;
		k = next;
	}
	return (size_t)k;
}

/* lookalike_of - the lexicon word this word imitates, or NULL */
static const struct lex_entry *
lookalike_of(const struct confusable_lexicon *lx, const char *w, size_t n,
    size_t ncp, int ascii)
{
	char skel[SKEL_MAX];
	size_t skel_len;
	const struct lex_entry *e;

	if (ncp < 2 || ncp > lx->max_skel)
		return NULL;
	if (ascii) {
		unsigned char c0 = (unsigned char)w[0];

		if (lx->ascii_len[c0] == 0 || !(lx->first[(unsigned char)
		    lx->ascii_skel[c0][0] >> 5] & (1u << ((unsigned char)
		    lx->ascii_skel[c0][0] & 31))))
			return NULL;
		if (ascii_word_skeleton(lx, w, n, skel, &skel_len) < 0)
			return NULL;
		e = lex_find(lx, skel, skel_len);
	} else
		e = word_find(lx, w, n);
	if (e == NULL)
		return NULL;
	/* the word itself, in whatever case, needs no rewriting */
	if (n == e->word_len && strncasecmp(w, e->word, n) == 0)
		return NULL;
	return e;
}

/* confusable_rewrite - see confusable.h */
int
confusable_rewrite(const struct confusable_lexicon *lx, const char *in,
    size_t len, struct buf *out)
{
	size_t i = 0, copied = 0, start = out->len;
	int hit = 0;

	if (lx == NULL || lx->n == 0)
		return 0;
	while (i < len) {
		const struct lex_entry *e;
		size_t end, ncp;
		int ascii;

		end = word_end(in, len, i, &ncp, &ascii);
		if (end == i) {		/* not a word: step over one byte */
			i++;
			continue;
		}
		if ((e = lookalike_of(lx, in + i, end - i, ncp, ascii)) !=
		    NULL) {
			if (buf_append(out, in + copied, i - copied) < 0 ||
			    buf_append(out, e->word, e->word_len) < 0)
				goto fail;
			copied = end;
			hit = 1;
		}
		i = end;
	}
	if (hit && buf_append(out, in + copied, len - copied) < 0)
		goto fail;
	return hit;
fail:
	out->len = start;
	if (out->data != NULL)
		out->data[start] = '\0';
	return -1;
}
