/*
 * auth_report.c - authentication results as one line (see auth_report.h).
 */
#include "auth_report.h"

#include "auth.h"
#include "authres.h"
#include "buf.h"

/* auth_policy_name - a DMARC policy letter in words */
static const char *
auth_policy_name(char p)
{
	switch (p) {
	case 'r':
		return "reject";
	case 'q':
		return "quarantine";
	default:
		return "none";
	}
}

/* auth_report_own - see auth_report.h */
int
auth_report_own(const struct auth_result *r, struct buf *b)
{
	size_t i;
	int rc = 0;

	rc |= buf_append_str(b, "auth=vigie");
	if (r->dns_spent > 0)
		rc |= buf_printf(b, "(dns_budget_spent=%u)", r->dns_spent);
	if (!r->spf_evaluated)
		rc |= buf_append_str(b, " spf=none(not checked)");
	else
		rc |= buf_printf(b, " spf=%s(%s)", auth_verdict_name(r->spf),
		    r->spf_domain[0] ? r->spf_domain : "-");
	rc |= buf_append_str(b, " dkim=");
	if (r->ndkim == 0)
		rc |= buf_append_str(b, "none");
	for (i = 0; i < r->ndkim; i++)
		rc |= buf_printf(b, "%s%s(d=%s)", i ? "," : "",
		    auth_verdict_name(r->dkim[i].result), r->dkim[i].domain);
	if (r->dkim_skipped > 0)
		rc |= buf_printf(b, ",skipped=%zu", r->dkim_skipped);
	rc |= buf_printf(b, " dmarc=%s", auth_verdict_name(r->dmarc));
	if (r->dmarc_policy != 0)
		rc |= buf_printf(b, "(p=%s%s,from=%s)",
		    auth_policy_name(r->dmarc_policy),
		    r->dmarc_pct < 100 ? ",pct<100" : "", r->dmarc_from);
	else if (r->dmarc_from[0] != '\0')
		rc |= buf_printf(b, "(from=%s)", r->dmarc_from);
	return rc < 0 ? -1 : 0;
}

/* auth_report_field - see auth_report.h */
int
auth_report_field(const struct auth_result *r, const char *authserv_id,
    struct buf *b)
{
	char id[AUTH_DOMAIN_MAX];
	size_t i;
	int rc = 0;

	auth_domain_copy(id, authserv_id);
	rc |= buf_printf(b, "%s; spf=%s", id, r->spf_evaluated ?
	    auth_verdict_name(r->spf) : "none");
	if (r->spf_evaluated && r->spf_domain[0] != '\0')
		rc |= buf_printf(b, " smtp.mailfrom=%s", r->spf_domain);
	if (r->ndkim == 0)
		rc |= buf_append_str(b, "; dkim=none");
	for (i = 0; i < r->ndkim; i++)
		rc |= buf_printf(b, "; dkim=%s header.d=%s",
		    auth_verdict_name(r->dkim[i].result), r->dkim[i].domain);
	rc |= buf_printf(b, "; dmarc=%s", auth_verdict_name(r->dmarc));
	if (r->dmarc_policy != 0)
		rc |= buf_printf(b, " policy.dmarc=%s",
		    auth_policy_name(r->dmarc_policy));
	if (r->dmarc_from[0] != '\0')
		rc |= buf_printf(b, " header.from=%s", r->dmarc_from);
	return rc < 0 ? -1 : 0;
}

/* auth_result_word - the three-way reading of an upstream field */
static const char *
auth_result_word(enum authres_result r)
{
	switch (r) {
	case AUTHRES_PASS:
		return "pass";
	case AUTHRES_FAIL:
		return "fail";
	case AUTHRES_OTHER:
		return "other";
	default:
		return "none";
	}
}

/* auth_report_none - see auth_report.h */
int
auth_report_none(struct buf *b)
{
	return buf_append_str(b, "auth=none spf=- dkim=- dmarc=-");
}

/* auth_report_upstream - see auth_report.h */
int
auth_report_upstream(const struct authres *ar, struct buf *b)
{
	char d[AUTH_DOMAIN_MAX];
	size_t i;
	int rc = 0;

	rc |= buf_append_str(b, "auth=upstream spf=- dkim=");
	if (ar->ndkim_pass == 0)
		rc |= buf_append_str(b, "none");
	for (i = 0; i < ar->ndkim_pass; i++) {
		auth_domain_copy(d, ar->dkim_pass[i]);
		rc |= buf_printf(b, "%spass(d=%s)", i ? "," : "", d);
	}
	auth_domain_copy(d, ar->dmarc_from);
	rc |= buf_printf(b, " dmarc=%s(", auth_result_word(ar->dmarc));
	if (ar->dmarc_policy != 0)
		rc |= buf_printf(b, "p=%s,", auth_policy_name(ar->dmarc_policy));
	rc |= buf_printf(b, "from=%s)", d[0] ? d : "-");
	return rc < 0 ? -1 : 0;
}
