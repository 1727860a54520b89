/*
 * auth_dns.h - DNS look-ups for authentication, bounded in time and work.
 *
 * One resolver per configured address (dns_resolver; "" = the system's
 * /etc/resolv.conf, "none" = no DNS at all, every look-up a temporary
 * failure), shared by every thread and every message: libunbound's cache
 * behind it honours the TTLs of answers, negative ones included (RFC
 * 2308). Each message carries a budget (a deadline and a query count);
 * a look-up that would exceed it, a timeout, SERVFAIL or any other error
 * is AUTH_DNS_TEMP, which the callers turn into a temperror, never a
 * fail.
 *
 * Half of the budget is reserved for the look-ups DMARC depends on (the
 * From domain's record, keys of signatures aligned with it, SPF of an
 * aligned envelope sender): the sender controls the DNS of everything
 * else, and must not be able to spend the whole budget there so that
 * the look-ups that could prove the From forged time out (temperror, no
 * fail). A look-up that is not essential gets at most half the time and
 * half the queries.
 */
#ifndef VIGIE_AUTH_DNS_H
#define VIGIE_AUTH_DNS_H

#include <stddef.h>
#include <time.h>

#define AUTH_DNS_MAX_RR		16	/* answer records kept per look-up */
#define AUTH_DNS_MAX_DATA	8192	/* rdata bytes kept per look-up */

/* RR types used (RFC 1035, 3596) */
#define AUTH_DNS_A		1
#define AUTH_DNS_PTR		12
#define AUTH_DNS_MX		15
#define AUTH_DNS_TXT		16
#define AUTH_DNS_AAAA		28

enum auth_dns_status {
	AUTH_DNS_OK,			/* records in the answer */
	AUTH_DNS_NONE,			/* NXDOMAIN or no record of the type */
	AUTH_DNS_TEMP,			/* timeout, SERVFAIL, budget spent, error */
};

struct auth_dns;

struct auth_dns_budget {
	struct auth_dns *dns;
	struct timespec deadline;	/* CLOCK_MONOTONIC */
	struct timespec half;		/* the end of the non-essential half */
	unsigned queries;		/* made so far */
	unsigned max_queries;
	unsigned spent;			/* look-ups refused for lack of budget */
};

struct auth_dns_answer {
	enum auth_dns_status status;
	size_t	 nrr;
	const unsigned char *rr[AUTH_DNS_MAX_RR];	/* into data */
	size_t	 len[AUTH_DNS_MAX_RR];
	int	 truncated;		/* records or bytes dropped at the caps */
	unsigned char data[AUTH_DNS_MAX_DATA];
};

/*
 * auth_dns_get - a reference to the shared resolver for this address
 * ("" the system's, "none", or "IP" / "IP@port"), created on first use.
 * NULL on failure (bad address, memory).
 */
struct auth_dns *auth_dns_get(const char *resolver);

/* auth_dns_release - drop a reference; the last one deletes the resolver */
void	auth_dns_release(struct auth_dns *);

/* auth_dns_count - resolvers alive (the reload log line shows it) */
size_t	auth_dns_count(void);

/* auth_dns_budget_start - a fresh budget of ms milliseconds and n queries */
void	auth_dns_budget_start(struct auth_dns_budget *, struct auth_dns *,
	    unsigned ms, unsigned n);

/*
 * auth_dns_query - one look-up of name/type within the budget; essential
 * (DMARC depends on it) may use the whole budget, else half of it
 */
void	auth_dns_query(struct auth_dns_budget *, const char *name, int type,
	    int essential, struct auth_dns_answer *out);

#endif
