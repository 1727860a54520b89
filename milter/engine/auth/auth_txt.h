/*
 * auth_txt.h - TXT records (RFC 1035 3.3.14) as the text they carry.
 *
 * A TXT record's rdata is a run of <length><bytes> character-strings; a
 * DKIM key, an SPF or a DMARC record is their concatenation (RFC 6376
 * 3.6.2.2, RFC 7208 3.3, RFC 7489 6.6.3). The rdata comes from the
 * network: a length running past the end, a NUL byte or a text longer
 * than the caller's cap makes the record unusable, never a crash.
 */
#ifndef VIGIE_AUTH_TXT_H
#define VIGIE_AUTH_TXT_H

#include <stddef.h>

struct auth_dns_answer;

/*
 * auth_txt_join - the text of one TXT rdata into out (cap bytes with its
 * NUL); its length, or -1 when malformed or too long for out
 */
long	auth_txt_join(const unsigned char *rdata, size_t len, char *out,
	    size_t cap);

/*
 * auth_txt_pick - the one record of the answer whose text begins with
 * prefix (followed by the end, ';' or white space: "v=DMARC1"), into
 * out; 1 found, 0 none, -1 more than one or a matching record unusable
 * (RFC 7489 6.6.3: several DMARC records mean none; RFC 7208 4.5: several
 * SPF records are a permerror). An empty prefix takes the first usable
 * record (DKIM keys, RFC 6376 3.6.2.2).
 */
int	auth_txt_pick(const struct auth_dns_answer *, const char *prefix,
	    char *out, size_t cap);

#endif
