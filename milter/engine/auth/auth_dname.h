/*
 * auth_dname.h - a domain name in DNS wire form (RFC 1035 3.1) as text.
 *
 * libunbound hands back MX and PTR rdata with their names uncompressed,
 * as length-prefixed labels ending with the root's empty label. The
 * rdata comes from the network: a label running past the end, a label
 * over 63 bytes, a name over 253 characters or a byte that has no place
 * in a host name makes the name unusable, never a crash.
 */
#ifndef VIGIE_AUTH_DNAME_H
#define VIGIE_AUTH_DNAME_H

#include <stddef.h>

/*
 * auth_dname_text - the name at wire[0..len) as "mx1.example.org" (no
 * final dot; "" for the root) into out (cap bytes with its NUL); its
 * length, or -1 when malformed or too long
 */
long	auth_dname_text(const unsigned char *wire, size_t len, char *out,
	    size_t cap);

#endif
