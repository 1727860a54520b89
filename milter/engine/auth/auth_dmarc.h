/*
 * auth_dmarc.h - DMARC (RFC 7489) for the From domain of one message.
 */
#ifndef VIGIE_AUTH_DMARC_H
#define VIGIE_AUTH_DMARC_H

struct auth_dns_budget;
struct auth_input;
struct auth_result;

/* a policy record's tags, as libopendmarc's DMARC_RECORD_* values */
struct auth_dmarc_record {
	int	 p, sp, pct, adkim, aspf;
	int	 at_org;		/* found at the organisational domain */
};

/*
 * auth_dmarc_record_parse - the text of a record published for domain,
 * read by libopendmarc's parser; -1 when it is not a valid DMARC record
 */
int	auth_dmarc_record_parse(const char *domain, const char *text,
	    struct auth_dmarc_record *r);

/*
 * auth_dmarc_evaluate - find the policy record (From domain, else its
 * organisational domain), check the alignment of out's DKIM and SPF
 * results and set out->dmarc, dmarc_from, dmarc_policy and dmarc_pct
 */
void	auth_dmarc_evaluate(struct auth_dns_budget *, const struct auth_input *,
	    struct auth_result *out);

#endif
