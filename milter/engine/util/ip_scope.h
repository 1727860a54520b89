/*
 * ip_scope.h - is an IP literal one that only reaches inside a site?
 *
 * Loopback, private (RFC 1918, IPv6 unique local), link-local and
 * "this network" addresses: a link to them goes to the reader's own
 * machine or network (a router page, a dev server), never to a phishing
 * site on the Internet, so link detectors leave them out.
 */
#ifndef VIGIE_IP_SCOPE_H
#define VIGIE_IP_SCOPE_H

/* ip_scope_is_internal - 1 for such an address ("10.0.0.1", "[::1]"), else 0 */
int	ip_scope_is_internal(const char *ip);

#endif
