/*
 * auth_spf.h - SPF (RFC 7208) of the envelope, checked with libspf2.
 */
#ifndef VIGIE_AUTH_SPF_H
#define VIGIE_AUTH_SPF_H

struct auth_dns_budget;
struct auth_input;
struct auth_result;

/* auth_spf_init - quiet libspf2's warnings; once, before any thread */
void	auth_spf_init(void);

/*
 * auth_spf_check - SPF of MAIL FROM (of HELO for the null sender) from
 * the client IP; nothing when the client IP is unknown. Sets out->spf,
 * spf_domain and spf_evaluated.
 */
void	auth_spf_check(struct auth_dns_budget *, const struct auth_input *,
	    struct auth_result *out);

#endif
