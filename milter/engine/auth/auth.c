/*
 * auth.c - vigie's own verification, put together (see auth.h).
 */
#include "auth.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "auth_dkim.h"
#include "auth_dmarc.h"
#include "auth_dns.h"
#include "auth_spf.h"
#include "authres.h"
#include "domain.h"

_Static_assert(AUTH_DOMAIN_MAX == AUTHRES_DOMAIN_MAX, "one domain size");

/* auth_init - see auth.h */
int
auth_init(void)
{
	auth_spf_init();
	return auth_dkim_init();
}

/* auth_domain_copy - see auth.h */
void
auth_domain_copy(char dst[AUTH_DOMAIN_MAX], const char *src)
{
	size_t i;

	for (i = 0; src[i] != '\0' && i + 1 < AUTH_DOMAIN_MAX; i++) {
		unsigned char c = (unsigned char)tolower((unsigned char)src[i]);

		dst[i] = isalnum(c) || c == '.' || c == '-' || c == '_' ?
		    (char)c : '?';
	}
	dst[i] = '\0';
}

/* auth_aligned - see auth.h */
int
auth_aligned(const struct auth_input *in, const char *d, const char *f,
    int strict)
{
	const char *od, *of;

	if (d == NULL || f == NULL || *d == '\0' || *f == '\0')
		return 0;
	if (strcasecmp(d, f) == 0)
		return 1;
	if (strict)
		return 0;
	od = domain_registrable(in->arena, d);
	of = domain_registrable(in->arena, f);
	return od != NULL && of != NULL && *od != '\0' &&
	    strcasecmp(od, of) == 0;
}

/* auth_essential - see auth.h */
int
auth_essential(const struct auth_input *in, const char *d)
{
	return in->nfrom == 1 && auth_aligned(in, d, in->from_domain, 0);
}

/* auth_verdict_name - see auth.h */
const char *
auth_verdict_name(enum auth_verdict v)
{
	static const char *const names[] = { "none", "pass", "fail",
	    "softfail", "neutral", "temperror", "permerror" };

	return (size_t)v < sizeof(names) / sizeof(names[0]) ? names[v] :
	    "none";
}

/* auth_verify - see auth.h */
void
auth_verify(const struct auth_params *p, const struct auth_input *in,
    struct auth_result *out)
{
	struct auth_dns_budget budget;
	unsigned max = p->max_dkim < AUTH_DKIM_MAX ? p->max_dkim :
	    AUTH_DKIM_MAX;

	memset(out, 0, sizeof(*out));
	out->checked = 1;
	auth_dns_budget_start(&budget, p->dns,
	    p->budget_ms, p->max_queries);
	auth_dkim_verify(&budget, max, in, out);
	auth_spf_check(&budget, in, out);
	out->dns_spent = budget.spent;
	auth_dmarc_evaluate(&budget, in, out);
	out->dns_spent = budget.spent;
}

/* auth_result_of - the detectors' three-way reading of a verdict */
static enum authres_result
auth_result_of(enum auth_verdict v)
{
	switch (v) {
	case AUTH_NONE:
		return AUTHRES_NONE;
	case AUTH_PASS:
		return AUTHRES_PASS;
	case AUTH_FAIL:
		return AUTHRES_FAIL;
	default:
		return AUTHRES_OTHER;
	}
}

/* auth_to_authres - see auth.h */
void
auth_to_authres(const struct auth_result *r, struct authres *ar)
{
	size_t i;

	memset(ar, 0, sizeof(*ar));
	ar->trusted = 1;
	ar->dmarc = auth_result_of(r->dmarc);
	memcpy(ar->dmarc_from, r->dmarc_from, sizeof(ar->dmarc_from));
	ar->dmarc_policy = r->dmarc_policy;
	for (i = 0; i < r->ndkim && ar->ndkim_pass < AUTHRES_DKIM_MAX; i++)
		if (r->dkim[i].result == AUTH_PASS)
			memcpy(ar->dkim_pass[ar->ndkim_pass++], r->dkim[i].domain,
			    AUTHRES_DOMAIN_MAX);
}
