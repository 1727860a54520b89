/*
 * received.h - the SMTP client of the topmost Received field, for an
 * approximate SPF check of a message file (vigie-scan --spf-from-headers).
 *
 * RFC 5321 4.4's time-stamp line: "from" HELO-name "(" TCP-info ")",
 * where the MTAs write the client's address as an address literal
 * ("[192.0.2.5]", "[IPv6:2001:db8::1]") in the comment: Postfix and
 * Sendmail "from helo (rdns [ip])", Exim "from rdns ([ip] helo=helo)".
 * Only the topmost field counts: it is the one this site's MTA wrote;
 * every field below it may be the sender's invention. The result is
 * approximate: a file may have passed through other hosts since.
 */
#ifndef VIGIE_RECEIVED_H
#define VIGIE_RECEIVED_H

#include <stddef.h>

#define RECEIVED_NAME_MAX	256
#define RECEIVED_IP_MAX		64	/* INET6_ADDRSTRLEN and more */

struct msgview;

struct received_client {
	char	 helo[RECEIVED_NAME_MAX];	/* "" when the field has none */
	char	 ip[RECEIVED_IP_MAX];	/* checked with inet_pton */
};

/*
 * received_parse - the client of one Received value; 0 when an address
 * was found, -1 otherwise (out then empty)
 */
int	received_parse(const char *value, struct received_client *out);

/* received_topmost - received_parse() of the view's first Received field */
int	received_topmost(const struct msgview *, struct received_client *out);

#endif
