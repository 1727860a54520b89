/*
 * detect_links.c - link detectors (see detect_links.h).
 */
#include "detect_links.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "arena.h"
#include "domain.h"
#include "facts.h"
#include "ip_scope.h"
#include "ruleset.h"
#include "scanctx.h"

/* is_link - a URL the reader can follow (not an image source) */
static int
is_link(const struct mv_url *u)
{
	return u->source != MV_URL_IMG;
}

/*
 * shown_domain - the registrable domain of a host-looking word in a
 * link's visible text ("www.ameli.fr", "https://ameli.fr/x"), or NULL.
 */
static const char *
shown_domain(struct arena *a, const char *text)
{
	const char *p = text, *b, *ascii, *uni;
	char *host;
	size_t n;
	int dots;

	while (*p) {
		while (*p && !isalnum((unsigned char)*p))
			p++;
		b = p;
		dots = 0;
		while (*p && (isalnum((unsigned char)*p) || *p == '-' ||
		    *p == '.')) {
			if (*p == '.' && isalpha((unsigned char)p[1]))
				dots++;
			p++;
		}
		n = (size_t)(p - b);
		while (n > 0 && (b[n - 1] == '.' || b[n - 1] == '-'))
			n--;
		/* "https" before "://" is not a host: skip scheme words */
		if (dots == 0 || n < 4 || (p[0] == ':' && p[1] == '/'))
			continue;
		/* "booking.com-cadeau": the host shown ends at the dash */
		if (memchr(b, '.', n) != NULL) {
			const char *last = b + n;

			while (last > b && last[-1] != '.')
				last--;
			if (memchr(last, '-', (size_t)(b + n - last)) != NULL &&
			    strncasecmp(last, "xn--", 4) != 0 &&
			    (size_t)(last - b) + 2 < n)
				n = (size_t)((const char *)memchr(last, '-',
				    (size_t)(b + n - last)) - b);
		}
		if ((host = arena_strndup(a, b, n)) == NULL ||
		    domain_forms(a, host, &ascii, &uni) < 0)
			return NULL;
		/* the last label must be a TLD: "Document.pdf" is a file */
		if (strlen(strrchr(ascii, '.') ? strrchr(ascii, '.') + 1 :
		    "") < 2 || !domain_tld_known(ascii))
			continue;
		return domain_registrable(a, ascii);
	}
	return NULL;
}

/* detect_link_text_mismatch - see detect_links.h; excerpt: the shown domain */
int
detect_link_text_mismatch(struct scanctx *x, const struct rule *r,
    const char **excerpt, size_t *elen)
{
	const struct msgview *mv = x->mv;
	const char *shown;
	size_t i;

	(void)r;
	for (i = 0; i < mv->nurls; i++) {
		const struct mv_url *u = &mv->urls[i];

		if (u->source != MV_URL_HREF || u->text == NULL ||
		    *u->domain == '\0')
			continue;
		shown = shown_domain(mv->arena, u->text);
		if (shown != NULL && *shown && strcasecmp(shown, u->domain) != 0) {
			*excerpt = shown;
			*elen = strlen(shown);
			return 1;
		}
	}
	return 0;
}

/* first_flagged - first followable URL with a flag; excerpt: its host */
static int
first_flagged(const struct msgview *mv, unsigned flag, const char **excerpt,
    size_t *elen)
{
	size_t i;

	for (i = 0; i < mv->nurls; i++)
		if (is_link(&mv->urls[i]) && (mv->urls[i].flags & flag)) {
			*excerpt = mv->urls[i].host_ascii;
			*elen = strlen(*excerpt);
			return 1;
		}
	return 0;
}

/* detect_ip_link - see detect_links.h; internal addresses lead nowhere */
int
detect_ip_link(struct scanctx *x, const struct rule *r, const char **excerpt,
    size_t *elen)
{
	const struct msgview *mv = x->mv;
	size_t i;

	(void)r;
	for (i = 0; i < mv->nurls; i++)
		if (is_link(&mv->urls[i]) &&
		    (mv->urls[i].flags & MV_URL_IP_HOST) &&
		    !ip_scope_is_internal(mv->urls[i].host_ascii)) {
			*excerpt = mv->urls[i].host_ascii;
			*elen = strlen(*excerpt);
			return 1;
		}
	return 0;
}

/* detect_userinfo_link - see detect_links.h */
int
detect_userinfo_link(struct scanctx *x, const struct rule *r,
    const char **excerpt, size_t *elen)
{
	(void)r;
	return first_flagged(x->mv, MV_URL_USERINFO, excerpt, elen);
}

/* detect_brand_foreign_link - see detect_links.h; excerpt: the foreign domain */
int
detect_brand_foreign_link(struct scanctx *x, const struct rule *r,
    const char **excerpt, size_t *elen)
{
	const struct ruleset *rs = x->rules;
	const struct msgview *mv = x->mv;
	size_t b, i;

	(void)r;
	if (facts_ready(x) < 0)
		return -1;
	for (b = 0; b < rs->nbrands; b++) {
		if (!(x->claims[b] & (CLAIM_DISPLAY | CLAIM_SUBJECT)))
			continue;
		for (i = 0; i < mv->nurls; i++) {
			const struct mv_url *u = &mv->urls[i];

			/* a rewriter is not where the click ends: its target follows */
			if (u->source == MV_URL_IMG || *u->host_ascii == '\0' ||
			    (u->flags & MV_URL_WRAPPER) ||
			    facts_domain_is_brand(&rs->brands[b],
			    u->host_ascii))
				continue;
			*excerpt = u->domain;
			*elen = strlen(u->domain);
			return 1;
		}
	}
	return 0;
}

/* detect_credential_form - see detect_links.h */
int
detect_credential_form(struct scanctx *x, const struct rule *r,
    const char **excerpt, size_t *elen)
{
	static const char *const asks[] = {
		"mot de passe", "password", "numero de carte", "n de carte",
		"cryptogramme", "cvv", "code secret", "securite sociale",
		"code confidentiel", NULL
	};
	const struct msgview *mv = x->mv;
	const char *const *a;
	size_t i;

	(void)r;
	for (i = 0; i < mv->nurls; i++)
		if (mv->urls[i].source == MV_URL_FORM)
			break;
	if (i == mv->nurls || x->body.s == NULL)
		return 0;
	for (a = asks; *a != NULL; a++)
		if (strstr(x->body.s, *a) != NULL) {
			*excerpt = *a;
			*elen = strlen(*a);
			return 1;
		}
	return 0;
}
