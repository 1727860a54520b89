/*
 * detect_brand.c - brand impersonation detectors (see detect_brand.h).
 *
 * Look-alike domains are recognised four ways, each cheap and each
 * explainable: (1) the TR 39 confusable skeleton of the host's
 * registrable part equals a brand domain's ("arneli.fr", "аmeli.fr",
 * "amel1.fr"); (2) one edit away from a brand domain's registrable part
 * ("ameIi.fr", "amelli.fr"); (3) a brand token at the start or end of a
 * word of any label, where a word is a run of letters between dashes,
 * dots or digits ("ameli-remboursement.com", "amelifr-secure.net",
 * "ameli.fr.dossier.example", "ameli.com"), so that "camelia" or
 * "mesange" do not count, and a token written with dashes starting a
 * word ("assurance-maladie-remboursement.com"); (4) the whole of that applied to the Unicode
 * form of an internationalised host and to its normalised form (accents
 * removed: "améli.fr" is "ameli.fr" to a hurried reader); (5) rule (3) again
 * on skeletons, a brand token's in the host's, so that whole words of
 * other look-alike letters count too ("ɑlmerys-remboursement.com" with a
 * Latin alpha, "іреса-adherents.com" all Cyrillic, "vıamedıs-x.net" with
 * dotless i). Hosts inside any brand's genuine domains never count.
 */
#include "detect_brand.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "arena.h"
#include "buf.h"
#include "domain.h"
#include "facts.h"
#include "hostmemo.h"
#include "ruleset.h"
#include "scanctx.h"
#include "textnorm.h"

/* where_bits - "display,subject,body" to enum facts_claim bits; 0 if bad */
static unsigned
where_bits(const char *arg)
{
	unsigned bits = 0;
	const char *p = arg;
	size_t n;

	while (*p) {
		n = strcspn(p, ",");
		if (n == 7 && strncmp(p, "display", 7) == 0)
			bits |= CLAIM_DISPLAY;
		else if (n == 7 && strncmp(p, "subject", 7) == 0)
			bits |= CLAIM_SUBJECT;
		else if (n == 4 && strncmp(p, "body", 4) == 0)
			bits |= CLAIM_BODY;
		else
			return 0;
		p += n;
		if (*p == ',')
			p++;
	}
	return bits;
}

/* detect_brand_claim_check - see detect_brand.h */
int
detect_brand_claim_check(const char *arg, const struct ruleset *rs,
    char *why, size_t whylen)
{
	(void)rs;
	if (where_bits(arg) != 0)
		return 0;
	snprintf(why, whylen, "arg \"%s\": use display, subject and/or body, "
	    "comma-separated", arg);
	return -1;
}

/* claimed_by_outsider - brand claimed where *arg says, From outside it */
static int
claimed_by_outsider(struct scanctx *x, size_t i, const void *arg)
{
	const unsigned *where = arg;

	return (x->claims[i] & *where) &&
	    !facts_from_is_brand(x, &x->rules->brands[i]);
}

/*
 * detect_brand_claim_foreign - see detect_brand.h; excerpt: the words
 * that claimed the brand, as normalised for matching ("assurance
 * maladie", "c. p. a. m."), else the brand id
 */
int
detect_brand_claim_foreign(struct scanctx *x, const struct rule *r,
    const char **excerpt, size_t *elen)
{
	unsigned where = where_bits(r->detector_arg);
	size_t i;

	if (facts_ready(x) < 0)
		return -1;
	i = facts_first_brand(x, claimed_by_outsider, &where);
	if (i < x->rules->nbrands && facts_claim_text(x, i, where, excerpt,
	    elen))
		return 1;
	return facts_brand_excerpt(x, i, excerpt, elen);
}

/* detect_brand_authenticated - see detect_brand.h */
int
detect_brand_authenticated(struct scanctx *x, const struct rule *r,
    const char **excerpt, size_t *elen)
{
	(void)r;
	if (facts_ready(x) < 0)
		return -1;
	return facts_brand_excerpt(x, facts_first_brand(x, facts_authenticated_as, NULL),
	    excerpt, elen);
}

/* detect_dmarc_fail_brand - see detect_brand.h */
int
detect_dmarc_fail_brand(struct scanctx *x, const struct rule *r,
    const char **excerpt, size_t *elen)
{
	(void)r;
	if (facts_ready(x) < 0)
		return -1;
	if (!x->authres.trusted || x->authres.dmarc != AUTHRES_FAIL ||
	    x->mv->nfrom != 1 ||
	    strcasecmp(x->authres.dmarc_from, x->mv->from[0].domain) != 0)
		return 0;
	return facts_brand_excerpt(x, facts_first_brand(x, facts_from_within, NULL), excerpt,
	    elen);
}

/* list_has_exactly - host is one of the listed domains itself */
static int
list_has_exactly(const struct strlist *l, const char *host)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcasecmp(l->v[i], host) == 0)
			return 1;
	return 0;
}

/* is_brand_domain - the domain *arg is exactly one of brand i's sender or
 * DMARC/DKIM domains */
static int
is_brand_domain(struct scanctx *x, size_t i, const void *arg)
{
	const struct brand *b = &x->rules->brands[i];

	return list_has_exactly(&b->sender_domains, arg) ||
	    list_has_exactly(&b->auth_domains, arg);
}

/*
 * detect_dmarc_enforced_brand - see detect_brand.h; the policy is vigie's
 * own check's (pct= already applied) or the one a trusted verifier wrote
 * in its field ("dmarc=fail (p=reject dis=none)", OpenDMARC's way)
 */
int
detect_dmarc_enforced_brand(struct scanctx *x, const struct rule *r,
    const char **excerpt, size_t *elen)
{
	const char *from;

	(void)r;
	if (facts_ready(x) < 0)
		return -1;
	if (!x->authres.trusted || x->authres.dmarc != AUTHRES_FAIL ||
	    (x->authres.dmarc_policy != 'r' &&
	    x->authres.dmarc_policy != 'q') || x->mv->nfrom != 1)
		return 0;
	from = x->mv->from[0].domain;
	if (strcasecmp(x->authres.dmarc_from, from) != 0)
		return 0;
	return facts_brand_excerpt(x, facts_first_brand(x, is_brand_domain, from),
	    excerpt, elen);
}

/*
 * next_domain_token - the next "label.label[.label]" looking like a
 * domain in s (letters, digits, dashes, at least one dot, ending in a
 * 2+ letter label); its bounds, 0 when none is left.
 */
static int
next_domain_token(const char *s, size_t *pos, size_t *start, size_t *end)
{
	size_t i = *pos, b, e, last_dot;

	while (s[i]) {
		while (s[i] && !(isalnum((unsigned char)s[i]) ||
		    (unsigned char)s[i] >= 0x80))
			i++;
		b = i;
		last_dot = 0;
		while (s[i] && (isalnum((unsigned char)s[i]) || s[i] == '-' ||
		    s[i] == '.' || (unsigned char)s[i] >= 0x80)) {
			if (s[i] == '.' && isalnum((unsigned char)s[i + 1]))
				last_dot = i;
			i++;
		}
		e = i;
		while (e > b && (s[e - 1] == '.' || s[e - 1] == '-'))
			e--;
		if (last_dot > b && e - last_dot > 2) {
			size_t k, alpha = 1;

			for (k = last_dot + 1; k < e; k++)
				if (!isalpha((unsigned char)s[k]))
					alpha = 0;
			if (alpha) {
				*start = b;
				*end = e;
				*pos = i;
				return 1;
			}
		}
	}
	*pos = i;
	return 0;
}

/* detect_display_name_address - see detect_brand.h; excerpt: the domain shown */
int
detect_display_name_address(struct scanctx *x, const struct rule *r,
    const char **excerpt, size_t *elen)
{
	const struct msgview *mv = x->mv;
	size_t i, pos, b, e;
	const char *reg_from, *reg_shown, *ascii, *uni;
	char *shown;

	(void)r;
	for (i = 0; i < mv->nfrom; i++) {
		const char *d = mv->from[i].display;

		pos = 0;
		while (next_domain_token(d, &pos, &b, &e)) {
			if ((shown = arena_strndup(mv->arena, d + b, e - b)) ==
			    NULL || domain_forms(mv->arena, shown, &ascii,
			    &uni) < 0)
				return -1;
			/* "CR.docx" has no TLD; "jean.dupont via Liste" is a
			 * list's rewrite of a poster's name, not a domain */
			if (!domain_tld_known(ascii) ||
			    strncasecmp(d + e, " via ", 5) == 0)
				continue;
			reg_shown = domain_registrable(mv->arena, ascii);
			reg_from = domain_registrable(mv->arena,
			    mv->from[i].domain);
			if (reg_shown == NULL || reg_from == NULL)
				return -1;
			if (*reg_shown && strcasecmp(reg_shown, reg_from) != 0) {
				*excerpt = reg_shown;
				*elen = strlen(reg_shown);
				return 1;
			}
		}
	}
	return 0;
}

/* detect_reply_foreign_check - see detect_brand.h */
int
detect_reply_foreign_check(const char *arg, const struct ruleset *rs,
    char *why, size_t whylen)
{
	(void)rs;
	if (strcmp(arg, "reply_to") == 0 || strcmp(arg, "return_path") == 0)
		return 0;
	snprintf(why, whylen, "arg \"%s\": use reply_to or return_path", arg);
	return -1;
}

/* address_domain - lower-case domain of an address, "" if none */
static const char *
address_domain(struct arena *a, const char *addr)
{
	const char *at = strrchr(addr, '@'), *ascii, *uni;

	if (at == NULL || at[1] == '\0')
		return "";
	if (domain_forms(a, at + 1, &ascii, &uni) < 0)
		return NULL;
	return ascii;
}

/* detect_reply_foreign - see detect_brand.h; excerpt: the other domain */
int
detect_reply_foreign(struct scanctx *x, const struct rule *r,
    const char **excerpt, size_t *elen)
{
	const struct ruleset *rs = x->rules;
	const struct msgview *mv = x->mv;
	const char *other, *reg_other, *reg_from = "";
	size_t i, k;
	int claimed = 0, freemail = 0;

	if (facts_ready(x) < 0)
		return -1;
	for (i = 0; i < rs->nbrands; i++)
		if (x->claims[i] & (CLAIM_DISPLAY | CLAIM_SUBJECT))
			claimed = 1;
	if (!claimed)
		return 0;
	if (mv->nfrom > 0 && (reg_from = domain_registrable(mv->arena,
	    mv->from[0].domain)) == NULL)
		return -1;
	for (k = 0; ; k++) {
		if (strcmp(r->detector_arg, "reply_to") == 0) {
			if (k >= mv->nreply_to)
				return 0;
			other = mv->reply_to[k].domain;
		} else {
			if (k > 0)
				return 0;
			other = address_domain(mv->arena,
			    *x->envelope_sender ? x->envelope_sender :
			    mv->return_path);
			if (other == NULL)
				return -1;
		}
		if (*other == '\0' || facts_any_brand_domain(x, other))
			continue;
		if ((reg_other = domain_registrable(mv->arena, other)) == NULL)
			return -1;
		for (i = 0; i < rs->freemail.n; i++)
			if (domain_is_within(other, rs->freemail.v[i]))
				freemail = 1;
		if (freemail || strcasecmp(reg_other, reg_from) != 0) {
			*excerpt = reg_other;
			*elen = strlen(reg_other);
			return 1;
		}
	}
}

/* detect_lookalike_check - see detect_brand.h */
int
detect_lookalike_check(const char *arg, const struct ruleset *rs, char *why,
    size_t whylen)
{
	(void)rs;
	if (strcmp(arg, "from") == 0 || strcmp(arg, "link") == 0)
		return 0;
	snprintf(why, whylen, "arg \"%s\": use from or link", arg);
	return -1;
}

/* edit_distance_le1 - a and b differ by at most one edit (or one swap) */
static int
edit_distance_le1(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i = 0;

	if (la > lb + 1 || lb > la + 1)
		return 0;
	while (i < la && i < lb && a[i] == b[i])
		i++;
	if (i == la && i == lb)
		return 1;
	if (la == lb)
		return strcmp(a + i + 1, b + i + 1) == 0 ||
		    (i + 1 < la && a[i] == b[i + 1] && a[i + 1] == b[i] &&
		    strcmp(a + i + 2, b + i + 2) == 0);
	if (la > lb)
		return strcmp(a + i + 1, b + i) == 0;
	return strcmp(a + i, b + i + 1) == 0;
}

/*
 * dashed_token_in_host - a token written with dashes ("assurance-maladie")
 * starting a word of host, each dash matching a dash or a dot there:
 * "assurance-maladie-remboursement.com", "assurance.maladie.example"
 */
static int
dashed_token_in_host(const char *host, const char *token)
{
	size_t i, k;

	for (i = 0; host[i]; i++) {
		if (i > 0 && isalpha((unsigned char)host[i - 1]))
			continue;
		for (k = 0; token[k] && host[i + k]; k++)
			if (token[k] == '-' ? host[i + k] != '-' &&
			    host[i + k] != '.' : tolower((unsigned char)
			    host[i + k]) != token[k])
				break;
		if (token[k] == '\0')
			return 1;
	}
	return 0;
}

/* token_in_words - token at the start or end of a letter-word of host */
static int
token_in_words(const char *host, const char *token)
{
	size_t tl = strlen(token), i = 0, b;

	if (tl == 0)
		return 0;
	if (strchr(token, '-') != NULL)
		return dashed_token_in_host(host, token);
	while (host[i]) {
		while (host[i] && !isalpha((unsigned char)host[i]))
			i++;
		b = i;
		while (isalpha((unsigned char)host[i]))
			i++;
		if (i - b >= tl && (strncasecmp(host + b, token, tl) == 0 ||
		    strncasecmp(host + i - tl, token, tl) == 0))
			return 1;
	}
	return 0;
}

/* registrable_label - length of the part of a domain before its first dot */
static size_t
registrable_label(const char *domain)
{
	return strcspn(domain, ".");
}

/* imitates_brand - do one brand's domains or tokens show in this host? */
static int
imitates_brand(const struct brand *b, const char *reg, const char *host,
    const char *host_unicode, const char *skel_reg, const char *skel_host)
{
	const struct strlist *lists[2] = { &b->sender_domains,
	    &b->link_domains };
	size_t l, i;

	for (i = 0; i < b->tokens.n; i++)
		if (token_in_words(host, b->tokens.v[i]) ||
		    token_in_words(host_unicode, b->tokens.v[i]))
			return 1;
	for (i = 0; i < b->skeletons.n; i++)
		if (strcmp(skel_reg, b->skeletons.v[i]) == 0 ||
		    strcmp(skel_host, b->skeletons.v[i]) == 0)
			return 1;
	for (i = 0; i < b->token_skeletons.n; i++)
		if (token_in_words(skel_host, b->token_skeletons.v[i]))
			return 1;
	for (l = 0; l < 2; l++)
		for (i = 0; i < lists[l]->n; i++) {
			const char *d = lists[l]->v[i];

			if (registrable_label(reg) >= 4 &&
			    registrable_label(d) >= 4 &&
			    edit_distance_le1(reg, d))
				return 1;
		}
	return 0;
}

/* lookalike_judge - detect_lookalike_host without the memo */
static int
lookalike_judge(const struct ruleset *rs, const char *host,
    const char *host_unicode)
{
	struct arena *a;
	struct buf skel_reg, skel_host, folded;
	const char *reg;
	size_t i;
	int hit = 0, same;

	for (i = 0; i < rs->nbrands; i++)
		if (facts_domain_is_brand(&rs->brands[i], host))
			return 0;
	if ((a = arena_new()) == NULL)
		return -1;
	buf_init(&skel_reg);
	buf_init(&skel_host);
	buf_init(&folded);
	/* "améli.fr" folds to "ameli.fr": accents are no disguise either */
	if ((reg = domain_registrable(a, host)) == NULL ||
	    textnorm_skeleton(reg, &skel_reg) < 0 ||
	    textnorm_skeleton(host_unicode, &skel_host) < 0 ||
	    textnorm_fold(host_unicode, strlen(host_unicode), &folded) < 0)
		hit = -1;
	/* the folded form needs its own look when folding changed it */
	same = hit == 0 && strcmp(buf_cstr(&folded), host_unicode) == 0;
	for (i = 0; i < rs->nbrands && hit == 0; i++)
		hit = (strcmp(buf_cstr(&folded), host) != 0 &&
		    facts_domain_is_brand(&rs->brands[i], buf_cstr(&folded))) ||
		    imitates_brand(&rs->brands[i], reg, host, host_unicode,
		    buf_cstr(&skel_reg), buf_cstr(&skel_host)) ||
		    (!same && imitates_brand(&rs->brands[i], reg, host,
		    buf_cstr(&folded), buf_cstr(&skel_reg),
		    buf_cstr(&skel_host)));
	buf_free(&skel_reg);
	buf_free(&skel_host);
	buf_free(&folded);
	arena_free(a);
	return hit;
}

/*
 * detect_lookalike_host - see detect_brand.h; the verdict depends only on
 * the host and the rule set, so the rule set's memo keeps it.
 */
int
detect_lookalike_host(const struct ruleset *rs, const char *host,
    const char *host_unicode)
{
	int hit;

	if (*host == '\0')
		return 0;
	if (rs->lookalike_memo != NULL &&
	    hostmemo_get(rs->lookalike_memo, host, host_unicode, &hit))
		return hit;
	hit = lookalike_judge(rs, host, host_unicode);
	if (hit >= 0 && rs->lookalike_memo != NULL)
		hostmemo_put(rs->lookalike_memo, host, host_unicode, hit);
	return hit;
}

/* url_host_cmp - qsort order of URLs by ASCII host */
static int
url_host_cmp(const void *a, const void *b)
{
	return strcmp((*(const struct mv_url *const *)a)->host_ascii,
	    (*(const struct mv_url *const *)b)->host_ascii);
}

/* detect_lookalike_domain - see detect_brand.h; excerpt: the host */
int
detect_lookalike_domain(struct scanctx *x, const struct rule *r,
    const char **excerpt, size_t *elen)
{
	const struct msgview *mv = x->mv;
	const struct ruleset *rs = x->rules;
	const struct mv_url **order;
	const char *ascii, *uni;
	size_t i, n = 0;
	int hit = 0;

	if (strcmp(r->detector_arg, "from") == 0) {
		for (i = 0; i < mv->nfrom; i++) {
			if (domain_forms(mv->arena, mv->from[i].domain, &ascii,
			    &uni) < 0)
				return -1;
			if ((hit = detect_lookalike_host(rs, ascii, uni)) != 0) {
				*excerpt = mv->from[i].domain;
				*elen = strlen(*excerpt);
				return hit;
			}
		}
		return 0;
	}
	/* each distinct host once: the same links recur in text and HTML */
	if (mv->nurls == 0)
		return 0;
	if ((order = calloc(mv->nurls, sizeof(*order))) == NULL)
		return -1;
	for (i = 0; i < mv->nurls; i++)
		if (mv->urls[i].source != MV_URL_IMG)
			order[n++] = &mv->urls[i];
	qsort(order, n, sizeof(*order), url_host_cmp);
	for (i = 0; i < n && hit == 0; i++) {
		if (i > 0 && strcmp(order[i]->host_ascii,
		    order[i - 1]->host_ascii) == 0)
			continue;
		if ((hit = detect_lookalike_host(rs, order[i]->host_ascii,
		    order[i]->host)) > 0) {
			*excerpt = order[i]->host_ascii;
			*elen = strlen(*excerpt);
		}
	}
	free(order);
	return hit;
}
