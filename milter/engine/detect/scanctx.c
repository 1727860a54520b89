/*
 * scanctx.c - recording hits on the message being judged.
 *
 * Excerpts are cut short (never inside a UTF-8 sequence), redacted and
 * copied into the message's arena, so that whatever shows a hit later
 * (vigie-scan --explain) never sees more than a few words of the message.
 */
#include "scanctx.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "prefilter.h"
#include "redact.h"
#include "ruleset.h"

#define EXCERPT_MAX	60	/* bytes of message text shown for a hit */
#define EXCERPT_SLACK	64	/* more bytes redacted than shown */

/* scanctx_hit - see scanctx.h; a rule is recorded once */
int
scanctx_hit(struct scanctx *x, const struct rule *r, const char *excerpt,
    size_t excerpt_len)
{
	struct hit *h;
	struct buf red;
	size_t i, cut;

	for (i = 0; i < x->nhits; i++)
		if (x->hits[i].rule == r)
			return 0;
	if (x->nhits == x->cap_hits) {
		size_t cap = x->cap_hits ? x->cap_hits * 2 : 16;

		if ((h = realloc(x->hits, cap * sizeof(*h))) == NULL)
			return -1;
		x->hits = h;
		x->cap_hits = cap;
	}
	h = &x->hits[x->nhits];
	h->rule = r;
	h->score = r->score;
	h->excerpt = "";
	if (excerpt != NULL && excerpt_len > 0) {
		/*
		 * Redact first, then cut: a number is masked whole only if
		 * the redaction sees all of it, so it gets EXCERPT_SLACK more
		 * bytes than are shown (longer than any NIR, card or IBAN
		 * written with separators).
		 */
		buf_init(&red);
		if (redact_text(excerpt, excerpt_len < EXCERPT_MAX +
		    EXCERPT_SLACK ? excerpt_len : EXCERPT_MAX + EXCERPT_SLACK,
		    &red) < 0) {
			buf_free(&red);
			return -1;
		}
		cut = red.len < EXCERPT_MAX ? red.len : EXCERPT_MAX;
		while (cut > 0 && cut < red.len &&
		    ((unsigned char)red.data[cut] & 0xC0) == 0x80)
			cut--;
		h->excerpt = arena_strndup(x->mv->arena, buf_cstr(&red), cut);
		buf_free(&red);
		if (h->excerpt == NULL)
			return -1;
	}
	x->nhits++;
	return 0;
}

/* scanctx_free - see scanctx.h */
void
scanctx_free(struct scanctx *x)
{
	free(x->hits);
	free(x->from_display);
	free(x->link_text);
	free(x->attachment_name);
	free(x->claims);
	free(x->claim_text);
	free(x->body_maybe);
	memset(x, 0, sizeof(*x));
}

/* scanctx_anomalies - see scanctx.h */
unsigned
scanctx_anomalies(const struct scanctx *x)
{
	return x->mv->anomalies | x->anomalies;
}

/* scanctx_body_may_match - see scanctx.h; without memory, everything may */
int
scanctx_body_may_match(struct scanctx *x, int slot)
{
	const struct ruleset *rs = x->rules;

	if (slot < 0 || rs->body_prefilter == NULL)
		return 1;
	if (x->body_maybe == NULL) {
		if ((x->body_maybe = malloc(rs->body_slots)) == NULL)
			return 1;
		prefilter_scan(rs->body_prefilter, x->body.s ? x->body.s : "",
		    x->body.len, x->body_maybe);
	}
	return x->body_maybe[slot];
}
