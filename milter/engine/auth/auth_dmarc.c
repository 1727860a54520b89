/*
 * auth_dmarc.c - DMARC policy discovery and alignment (RFC 7489).
 *
 * libopendmarc parses the record (opendmarc_policy_parse_dmarc and the
 * fetch_* getters); the rest is here, in a few lines, because the rest of
 * its API does not fit: opendmarc_policy_query_dmarc() resolves with the
 * blocking res_* calls, outside the message's DNS budget and the shared
 * cache; its organisational domain comes from its own TLD file, where the
 * engine already has the public suffix list (domain.c); and
 * opendmarc_get_policy_to_enforce() samples pct= with random(), which
 * would make vigie-scan and vigie-milter disagree on one message. Here
 * pct= below 100 applies the next milder policy (RFC 7489 6.6.4: reject
 * becomes quarantine, quarantine becomes none), the same every time.
 *
 * Several From addresses cannot be judged (RFC 7489 6.6.1; OpenDMARC's
 * CVE-2019-16378 accepted the first and let the MUA show the second):
 * permerror, never pass. A DNS failure anywhere on the way is temperror.
 */
#include "auth_dmarc.h"

#include <opendmarc/dmarc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "auth.h"
#include "auth_dns.h"
#include "auth_txt.h"
#include "domain.h"

#define AUTH_DMARC_RECORD_MAX	1024	/* longer policy records are refused */

/* auth_dmarc_lookup - the record at _dmarc.domain: 1, 0 none, -1 temp */
static int
auth_dmarc_lookup(struct auth_dns_budget *b, const char *domain,
    char record[AUTH_DMARC_RECORD_MAX])
{
	struct auth_dns_answer *a;
	char name[AUTH_DOMAIN_MAX + 8];
	int rc;

	if ((size_t)snprintf(name, sizeof(name), "_dmarc.%s", domain) >=
	    sizeof(name) || (a = malloc(sizeof(*a))) == NULL)
		return -1;
	auth_dns_query(b, name, AUTH_DNS_TXT, 1, a);
	if (a->status == AUTH_DNS_TEMP)
		rc = -1;
	else if (a->status == AUTH_DNS_NONE)
		rc = 0;
	else	/* several records, or an oversized one, mean none */
		rc = auth_txt_pick(a, "v=DMARC1", record,
		    AUTH_DMARC_RECORD_MAX) == 1;
	free(a);
	return rc;
}

/* auth_dmarc_record_parse - see auth_dmarc.h */
int
auth_dmarc_record_parse(const char *domain, const char *text,
    struct auth_dmarc_record *r)
{
	DMARC_POLICY_T *pctx;
	int rc = -1;

	if ((pctx = opendmarc_policy_connect_init((u_char *)"0.0.0.0", 0)) ==
	    NULL)
		return -1;
	if (opendmarc_policy_parse_dmarc(pctx, (u_char *)domain,
	    (u_char *)text) == DMARC_PARSE_OKAY &&
	    opendmarc_policy_fetch_p(pctx, &r->p) == DMARC_PARSE_OKAY &&
	    opendmarc_policy_fetch_sp(pctx, &r->sp) == DMARC_PARSE_OKAY &&
	    opendmarc_policy_fetch_pct(pctx, &r->pct) == DMARC_PARSE_OKAY &&
	    opendmarc_policy_fetch_adkim(pctx, &r->adkim) ==
	    DMARC_PARSE_OKAY &&
	    opendmarc_policy_fetch_aspf(pctx, &r->aspf) == DMARC_PARSE_OKAY)
		rc = 0;
	(void)opendmarc_policy_connect_shutdown(pctx);
	return rc;
}

/* auth_dmarc_policy - the policy applied: sp= at the organisational domain, pct= */
static char
auth_dmarc_policy(const struct auth_dmarc_record *r)
{
	int p = r->p;

	if (r->at_org && r->sp != DMARC_RECORD_P_UNSPECIFIED)
		p = r->sp;
	if (r->pct < 100 && p == DMARC_RECORD_P_REJECT)
		p = DMARC_RECORD_P_QUARANTINE;
	else if (r->pct < 100 && p == DMARC_RECORD_P_QUARANTINE)
		p = DMARC_RECORD_P_NONE;
	switch (p) {
	case DMARC_RECORD_P_REJECT:
		return 'r';
	case DMARC_RECORD_P_QUARANTINE:
		return 'q';
	default:
		return 'n';
	}
}

/* auth_dmarc_outcome - pass, fail or temperror from the aligned results */
static enum auth_verdict
auth_dmarc_outcome(const struct auth_input *in, const struct auth_result *out,
    const struct auth_dmarc_record *r)
{
	const char *f = out->dmarc_from;
	int unsure = 0;
	size_t i;

	for (i = 0; i < out->ndkim; i++) {
		if (!auth_aligned(in, out->dkim[i].domain, f,
		    r->adkim == DMARC_RECORD_A_STRICT))
			continue;
		if (out->dkim[i].result == AUTH_PASS)
			return AUTH_PASS;
		if (out->dkim[i].result == AUTH_TEMPERROR)
			unsure = 1;
	}
	if (auth_aligned(in, out->spf_domain, f,
	    r->aspf == DMARC_RECORD_A_STRICT)) {
		if (out->spf == AUTH_PASS)
			return AUTH_PASS;
		if (out->spf == AUTH_TEMPERROR)
			unsure = 1;
	}
	/*
	 * an aligned signature left unchecked (past dkim_max_signatures), or
	 * SPF not checked though the client is known: no fail on half the
	 * facts. A look-up refused by the budget already shows as the
	 * temperror of its own check; unaligned ones do not matter here.
	 */
	if (out->dkim_skipped_aligned > 0 ||
	    (!out->spf_evaluated && in->client_ip != NULL &&
	    *in->client_ip != '\0'))
		unsure = 1;
	return unsure ? AUTH_TEMPERROR : AUTH_FAIL;
}

/* auth_dmarc_evaluate - see auth_dmarc.h */
void
auth_dmarc_evaluate(struct auth_dns_budget *b, const struct auth_input *in,
    struct auth_result *out)
{
	char record[AUTH_DMARC_RECORD_MAX];
	struct auth_dmarc_record r = { 0 };
	const char *f, *org;
	int found;

	out->dmarc = AUTH_NONE;
	if (in->nfrom != 1 || in->from_domain == NULL) {
		if (in->nfrom > 1)
			out->dmarc = AUTH_PERMERROR;
		return;
	}
	auth_domain_copy(out->dmarc_from, in->from_domain);
	f = out->dmarc_from;
	if (*f == '\0' || strchr(f, '?') != NULL || strchr(f, '.') == NULL) {
		out->dmarc = AUTH_PERMERROR;
		return;
	}
	found = auth_dmarc_lookup(b, f, record);
	org = domain_registrable(in->arena, f);
	if (found == 0 && org != NULL && *org != '\0' &&
	    strcasecmp(org, f) != 0) {
		found = auth_dmarc_lookup(b, org, record);
		r.at_org = 1;
	}
	if (found < 0) {
		out->dmarc = AUTH_TEMPERROR;
		return;
	}
	if (found == 0)
		return;
	if (auth_dmarc_record_parse(r.at_org ? org : f, record, &r) < 0) {
		out->dmarc = AUTH_PERMERROR;
		return;
	}
	out->dmarc_pct = r.pct;
	out->dmarc_policy = auth_dmarc_policy(&r);
	out->dmarc = auth_dmarc_outcome(in, out, &r);
}
