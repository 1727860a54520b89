/*
 * auth_dmarc.h - DMARC (RFC 7489) for the From domain of one message.
 */
#ifndef VIGIE_AUTH_DMARC_H
#define VIGIE_AUTH_DMARC_H

struct auth_dns_budget;
struct auth_input;
struct auth_result;

/*
 * auth_dmarc_evaluate - find the policy record (From domain, else its
 * organisational domain), check the alignment of out's DKIM and SPF
 * results and set out->dmarc, dmarc_from, dmarc_policy and dmarc_pct
 */
void	auth_dmarc_evaluate(struct auth_dns_budget *, const struct auth_input *,
	    struct auth_result *out);

#endif
