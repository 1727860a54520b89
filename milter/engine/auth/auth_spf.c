/*
 * auth_spf.c - SPF with libspf2, its DNS through vigie's budget.
 *
 * libspf2 evaluates the record, macros, include: and redirect= and holds
 * the limits of RFC 7208 4.6.4 (10 look-ups of mechanisms, 10 MX, 10
 * PTR, set explicitly below); its DNS goes through a DNS layer of
 * vigie's own (struct SPF_dns_server_struct, the layer interface
 * libspf2 documents for its cache and zone layers) whose lookup calls
 * auth_dns_query(), so SPF shares the message's budget and the shared
 * cache. One SPF_server per checked message: the layer's hook is that
 * check's state.
 *
 * Two things are held here rather than trusted to libspf2 1.2.10, as
 * tests/auth showed: it counts the 10 DNS-querying terms per record, not
 * across include: and redirect= (a chain of 11 includes passed), so the
 * layer counts the records fetched (more than 10 after the first is a
 * permerror, RFC 7208 4.6.4) and bounds every look-up of one check; and
 * it turns a failed record look-up (TRY_AGAIN) into none, so any
 * temporary DNS failure during the check makes a result other than pass
 * a temperror (RFC 7208 4.4, 5.2: never fail on DNS trouble).
 */
#include "auth_spf.h"

#include <arpa/nameser.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <spf2/spf.h>
#include <spf2/spf_dns.h>

#include "auth.h"
#include "auth_dname.h"
#include "auth_dns.h"
#include "auth_txt.h"

#define AUTH_SPF_LIMIT	10		/* RFC 7208 4.6.4 */
#define AUTH_SPF_MAX_QUERIES	40	/* every look-up of one check */

/* one check, as its DNS layer sees it */
struct auth_spf_state {
	struct auth_dns_budget *budget;
	int	 essential;		/* MAIL FROM (or HELO) aligned with the From */
	unsigned records;		/* TXT look-ups: the record, include:, redirect= */
	unsigned queries;
	int	 over_limit;		/* more than 10 records after the first */
	int	 temp;			/* a look-up failed temporarily */
};

/* auth_spf_init - see auth_spf.h */
void
auth_spf_init(void)
{
	SPF_warning_handler = NULL;
	SPF_info_handler = NULL;
	SPF_debug_handler = NULL;
}

/* auth_spf_rdata - one record into rr slot i; -1 when unusable */
static int
auth_spf_rdata(SPF_dns_rr_t *rr, int i, ns_type type,
    const unsigned char *d, size_t len)
{
	char text[AUTH_DNS_MAX_DATA];
	long n;

	switch (type) {
	case ns_t_a:
		if (len != sizeof(struct in_addr) ||
		    SPF_dns_rr_buf_realloc(rr, i, len) != SPF_E_SUCCESS)
			return -1;
		memcpy(&rr->rr[i]->a, d, len);
		return 0;
	case ns_t_aaaa:
		if (len != sizeof(struct in6_addr) ||
		    SPF_dns_rr_buf_realloc(rr, i, len) != SPF_E_SUCCESS)
			return -1;
		memcpy(&rr->rr[i]->aaaa, d, len);
		return 0;
	case ns_t_txt:
		n = auth_txt_join(d, len, text, sizeof(text));
		break;
	case ns_t_mx:	/* preference, then the exchange's name */
		n = len > 2 ? auth_dname_text(d + 2, len - 2, text,
		    sizeof(text)) : -1;
		break;
	case ns_t_ptr:
		n = auth_dname_text(d, len, text, sizeof(text));
		break;
	default:
		return -1;
	}
	if (n < 0 || SPF_dns_rr_buf_realloc(rr, i, (size_t)n + 1) !=
	    SPF_E_SUCCESS)
		return -1;
	memcpy(rr->rr[i]->txt, text, (size_t)n + 1);
	return 0;
}

/* auth_spf_lookup - the DNS layer's lookup: vigie's resolver and budget */
static SPF_dns_rr_t *
auth_spf_lookup(SPF_dns_server_t *layer, const char *domain, ns_type type,
    int should_cache)
{
	struct auth_spf_state *st = layer->hook;
	struct auth_dns_answer *a;
	SPF_dns_rr_t *rr;
	size_t i;
	int n = 0;

	(void)should_cache;		/* libunbound caches everything */
	if (type == ns_t_txt && ++st->records > 1 + AUTH_SPF_LIMIT) {
		st->over_limit = 1;
		return SPF_dns_rr_new_init(layer, domain, type, 0,
		    HOST_NOT_FOUND);
	}
	if (++st->queries > AUTH_SPF_MAX_QUERIES ||
	    (a = malloc(sizeof(*a))) == NULL) {
		st->temp = 1;
		return SPF_dns_rr_new_init(layer, domain, type, 0, TRY_AGAIN);
	}
	auth_dns_query(st->budget, domain, (int)type, st->essential, a);
	if (a->status == AUTH_DNS_TEMP) {
		st->temp = 1;
		rr = SPF_dns_rr_new_init(layer, domain, type, 0, TRY_AGAIN);
	} else if (a->status == AUTH_DNS_NONE)
		rr = SPF_dns_rr_new_init(layer, domain, type, 0,
		    HOST_NOT_FOUND);
	else if ((rr = SPF_dns_rr_new_init(layer, domain, type, 0,
	    NETDB_SUCCESS)) != NULL) {
		for (i = 0; i < a->nrr; i++)
			if (auth_spf_rdata(rr, n, type, a->rr[i], a->len[i]) ==
			    0)
				n++;
		rr->num_rr = n;
		if (n == 0)
			rr->herrno = NO_DATA;
	}
	free(a);
	return rr;
}

/* auth_spf_verdict - libspf2's result in vigie's words */
static enum auth_verdict
auth_spf_verdict(SPF_result_t r)
{
	switch (r) {
	case SPF_RESULT_PASS:
		return AUTH_PASS;
	case SPF_RESULT_FAIL:
		return AUTH_FAIL;
	case SPF_RESULT_SOFTFAIL:
		return AUTH_SOFTFAIL;
	case SPF_RESULT_NEUTRAL:
		return AUTH_NEUTRAL;
	case SPF_RESULT_TEMPERROR:
		return AUTH_TEMPERROR;
	case SPF_RESULT_PERMERROR:
		return AUTH_PERMERROR;
	default:
		return AUTH_NONE;
	}
}

/* auth_spf_identity - the domain checked: MAIL FROM's, else HELO's */
static const char *
auth_spf_identity(const struct auth_input *in)
{
	const char *at;

	if (in->mail_from != NULL && (at = strrchr(in->mail_from, '@')) !=
	    NULL && at[1] != '\0')
		return at + 1;
	return in->helo != NULL ? in->helo : "";
}

/* auth_spf_check - see auth_spf.h */
void
auth_spf_check(struct auth_dns_budget *budget, const struct auth_input *in,
    struct auth_result *out)
{
	struct auth_spf_state st = { .budget = budget };
	SPF_dns_server_t layer = { 0 };
	SPF_server_t *server;
	SPF_request_t *req = NULL;
	SPF_response_t *resp = NULL;
	const char *ip = in->client_ip;

	if (ip == NULL || *ip == '\0')
		return;
	out->spf_evaluated = 1;
	out->spf = AUTH_TEMPERROR;
	auth_domain_copy(out->spf_domain, auth_spf_identity(in));
	st.essential = auth_essential(in, out->spf_domain);
	if (strncasecmp(ip, "IPv6:", 5) == 0)
		ip += 5;
	layer.lookup = auth_spf_lookup;
	layer.name = "vigie";
	layer.hook = &st;
	if ((server = SPF_server_new_dns(&layer, 0)) == NULL)
		return;
	(void)SPF_server_set_max_dns_mech(server, AUTH_SPF_LIMIT);
	(void)SPF_server_set_max_dns_mx(server, AUTH_SPF_LIMIT);
	(void)SPF_server_set_max_dns_ptr(server, AUTH_SPF_LIMIT);
	if ((req = SPF_request_new(server)) == NULL)
		goto out;
	if ((strchr(ip, ':') != NULL ? SPF_request_set_ipv6_str(req, ip) :
	    SPF_request_set_ipv4_str(req, ip)) != SPF_E_SUCCESS) {
		out->spf = AUTH_PERMERROR;
		goto out;
	}
	if (in->helo != NULL && *in->helo != '\0')
		(void)SPF_request_set_helo_dom(req, in->helo);
	if (in->mail_from != NULL && *in->mail_from != '\0')
		(void)SPF_request_set_env_from(req, in->mail_from);
	(void)SPF_request_query_mailfrom(req, &resp);
	if (resp != NULL && SPF_response_reason(resp) == SPF_REASON_LOCALHOST) {
		/*
		 * libspf2 passes any loopback client ("localhost always gets
		 * a free ride") without a look-up: a message re-injected on
		 * 127.0.0.1 would pass SPF for any domain, hence DMARC.
		 * The real client is unknown: SPF not checked.
		 */
		out->spf_evaluated = 0;
		out->spf = AUTH_NONE;
		goto out;
	}
	if (resp != NULL)
		out->spf = auth_spf_verdict(SPF_response_result(resp));
	if (st.over_limit)
		out->spf = AUTH_PERMERROR;
	else if (st.temp && out->spf != AUTH_PASS)
		out->spf = AUTH_TEMPERROR;
out:
	if (resp != NULL)
		SPF_response_free(resp);
	if (req != NULL)
		SPF_request_free(req);
	SPF_server_free(server);
}
