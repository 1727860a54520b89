/*
 * auth_dns_memo.h - the answers of a resolver, kept in the process for
 * their TTL, in front of libunbound.
 *
 * libunbound caches too, but reaching its cache goes through its thread
 * and a pipe: about 45 system calls and 0.3 ms per ordinary message
 * (make bench, DNS rows). Here a cached answer is a hash look-up under a
 * read lock. Only definite answers are kept (records, NXDOMAIN, no
 * record of the type), for the TTL libunbound reports (negative ones
 * included), at most AUTH_DNS_MEMO_MAX_TTL seconds; temporary failures
 * never are. Memory is bounded: AUTH_DNS_MEMO_BUCKETS buckets of
 * AUTH_DNS_MEMO_WAYS entries (the oldest of a full bucket gives way),
 * answers over AUTH_DNS_MEMO_MAX_DATA bytes are not kept: about 10 MiB
 * at worst, whatever senders publish.
 */
#ifndef VIGIE_AUTH_DNS_MEMO_H
#define VIGIE_AUTH_DNS_MEMO_H

#include "auth_dns.h"

#define AUTH_DNS_MEMO_BUCKETS	1024
#define AUTH_DNS_MEMO_WAYS	4
#define AUTH_DNS_MEMO_MAX_DATA	2048
#define AUTH_DNS_MEMO_MAX_TTL	3600

struct auth_dns_memo;

/* auth_dns_memo_new - an empty memo; NULL on memory failure */
struct auth_dns_memo *auth_dns_memo_new(void);
void	auth_dns_memo_free(struct auth_dns_memo *);

/* auth_dns_memo_get - 1 and the answer in out when name/type is kept */
int	auth_dns_memo_get(struct auth_dns_memo *, const char *name, int type,
	    struct auth_dns_answer *out);

/* auth_dns_memo_put - keep a definite answer for ttl seconds */
void	auth_dns_memo_put(struct auth_dns_memo *, const char *name, int type,
	    const struct auth_dns_answer *, unsigned ttl);

#endif
