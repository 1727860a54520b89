/*
 * auth_dkim.h - DKIM signatures of a raw message checked with libopendkim.
 */
#ifndef VIGIE_AUTH_DKIM_H
#define VIGIE_AUTH_DKIM_H

struct auth_dns_budget;
struct auth_input;
struct auth_result;

/* auth_dkim_init - the shared library handle; -1 on failure */
int	auth_dkim_init(void);

/*
 * auth_dkim_verify - every DKIM-Signature (at most max) into out->dkim;
 * a message without one costs a scan of its header block only
 */
void	auth_dkim_verify(struct auth_dns_budget *, unsigned max,
	    const struct auth_input *, struct auth_result *out);

#endif
