/*
 * domain.c - IDNA forms and registrable domains via libidn2 and libpsl.
 */
#include "domain.h"

#include <ctype.h>
#include <idn2.h>
#include <libpsl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "arena.h"

static const psl_ctx_t *domain_psl;

/* domain_init - prefer the system's current list, fall back to the built-in one */
int
domain_init(void)
{
	if (domain_psl != NULL)
		return 0;
	domain_psl = psl_latest(NULL);
	if (domain_psl == NULL)
		domain_psl = psl_builtin();
	return domain_psl != NULL ? 0 : -1;
}

/* domain_lower - lower-case ASCII copy; other bytes unchanged */
static char *
domain_lower(struct arena *a, const char *s)
{
	char *p, *q;

	if ((p = arena_strdup(a, s)) == NULL)
		return NULL;
	for (q = p; *q; q++)
		*q = (char)tolower((unsigned char)*q);
	/* a trailing dot names the same host */
	if (q > p && q[-1] == '.')
		q[-1] = '\0';
	return p;
}

/* domain_forms - see domain.h */
int
domain_forms(struct arena *a, const char *host, const char **ascii,
    const char **unicode)
{
	char *lower, *out = NULL;
	int idn = 0;
	const char *p;

	if ((lower = domain_lower(a, host)) == NULL)
		return -1;
	for (p = lower; *p; p++)
		if ((unsigned char)*p >= 0x80)
			idn = 1;
	if (strncmp(lower, "xn--", 4) == 0 || strstr(lower, ".xn--") != NULL)
		idn = 1;
	*ascii = *unicode = lower;
	if (!idn)
		return 0;
	if (idn2_to_ascii_8z(lower, &out, IDN2_NONTRANSITIONAL |
	    IDN2_NFC_INPUT) == IDN2_OK ||
	    idn2_to_ascii_8z(lower, &out, IDN2_TRANSITIONAL) == IDN2_OK) {
		*ascii = domain_lower(a, out);
		free(out);
		out = NULL;
	}
	if (idn2_to_unicode_8z8z(*ascii, &out, 0) == IDN2_OK) {
		*unicode = arena_strdup(a, out);
		free(out);
	}
	if (*ascii == NULL || *unicode == NULL)
		return -1;
	return 1;
}

/* domain_registrable - see domain.h */
const char *
domain_registrable(struct arena *a, const char *ascii)
{
	const char *r;

	if (domain_psl == NULL || *ascii == '\0')
		return "";
	r = psl_registrable_domain(domain_psl, ascii);
	if (r == NULL)
		return arena_strdup(a, ascii);
	return arena_strdup(a, r);
}

/* domain_tld_known - see domain.h */
int
domain_tld_known(const char *ascii)
{
	const char *dot = strrchr(ascii, '.');
	const char *tld = dot != NULL ? dot + 1 : ascii;

	if (domain_psl == NULL || *tld == '\0')
		return 0;
	return psl_is_public_suffix2(domain_psl, tld,
	    PSL_TYPE_ANY | PSL_TYPE_NO_STAR_RULE);
}

/* domain_is_within - see domain.h */
int
domain_is_within(const char *host, const char *domain)
{
	size_t hl = strlen(host), dl = strlen(domain);

	if (dl == 0 || hl < dl)
		return 0;
	if (strcasecmp(host + hl - dl, domain) != 0)
		return 0;
	return hl == dl || host[hl - dl - 1] == '.';
}
