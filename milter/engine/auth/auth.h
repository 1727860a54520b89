/*
 * auth.h - vigie's own SPF, DKIM and DMARC verification of one message.
 *
 * auth_verify() checks the DKIM signatures of the raw message
 * (auth_dkim.c), SPF of the envelope when the caller knows it
 * (auth_spf.c) and from them DMARC for the single From domain
 * (auth_dmarc.c), all within one DNS budget (auth_dns.c). DNS trouble
 * gives temperror, never fail. The results are words and domains only
 * (domains reduced to [a-z0-9._-]), so they may be logged as they are.
 */
#ifndef VIGIE_AUTH_H
#define VIGIE_AUTH_H

#include <stddef.h>

#define AUTH_DOMAIN_MAX		254
#define AUTH_DKIM_MAX		8	/* signatures checked at most */

struct arena;
struct auth_dns;
struct authres;
struct buf;

enum auth_verdict {
	AUTH_NONE,
	AUTH_PASS,
	AUTH_FAIL,
	AUTH_SOFTFAIL,			/* SPF only */
	AUTH_NEUTRAL,			/* SPF only */
	AUTH_TEMPERROR,
	AUTH_PERMERROR,
};

struct auth_dkim_sig {
	enum auth_verdict result;
	char	 domain[AUTH_DOMAIN_MAX];	/* d= */
};

struct auth_result {
	int	 checked;		/* auth_verify() ran */
	enum auth_verdict spf;		/* AUTH_NONE also when not evaluated */
	int	 spf_evaluated;		/* client IP known: SPF was checked */
	char	 spf_domain[AUTH_DOMAIN_MAX];	/* MAIL FROM's, else HELO's */
	size_t	 ndkim;
	struct auth_dkim_sig dkim[AUTH_DKIM_MAX];
	size_t	 dkim_skipped;		/* signatures past max_dkim_signatures */
	size_t	 dkim_skipped_aligned;	/* of which aligned with the From */
	enum auth_verdict dmarc;
	char	 dmarc_from[AUTH_DOMAIN_MAX];	/* the From domain judged */
	char	 dmarc_policy;		/* 'n', 'q', 'r', or 0 without record */
	int	 dmarc_pct;
	unsigned dns_spent;		/* look-ups refused by the budget */
};

/* the configuration of verification (conf.c's keys) */
struct auth_params {
	const char *resolver;		/* dns_resolver */
	struct auth_dns *dns;		/* its resolver (a reference), or NULL */
	unsigned budget_ms;		/* dns_budget_ms, for the whole message */
	unsigned max_queries;		/* dns_max_queries */
	unsigned max_dkim;		/* dkim_max_signatures, <= AUTH_DKIM_MAX */
};

/* what one message offers to verification */
struct auth_input {
	const char *raw;		/* header block, blank line, body */
	size_t	 len;
	int	 body_cut;		/* raw lost bytes at max_scan_bytes */
	const char *client_ip;		/* NULL or "": no SPF */
	const char *helo;
	const char *mail_from;		/* envelope sender, "" for <> */
	size_t	 nfrom;			/* From addresses */
	const char *from_domain;	/* the From's domain when nfrom == 1 */
	struct arena *arena;		/* for registrable domains */
};

/* auth_init - the libraries, once before any thread; -1 on failure */
int	auth_init(void);

/* auth_verify - judge the message; fills out entirely */
void	auth_verify(const struct auth_params *, const struct auth_input *,
	    struct auth_result *out);

/* auth_to_authres - the result as the detectors read it */
void	auth_to_authres(const struct auth_result *, struct authres *);

/* auth_verdict_name - "pass", "temperror", ... */
const char *auth_verdict_name(enum auth_verdict);

/*
 * auth_aligned - identifier domain d aligned with From domain f (RFC 7489
 * 3.1): the same name, or (relaxed) the same organisational domain
 */
int	auth_aligned(const struct auth_input *, const char *d, const char *f,
	    int strict);

/* auth_essential - d aligned (relaxed) with the single From domain, if any */
int	auth_essential(const struct auth_input *, const char *d);

/* auth_domain_copy - lower-cased, [a-z0-9._-] kept, others '?', bounded */
void	auth_domain_copy(char dst[AUTH_DOMAIN_MAX], const char *src);

#endif
