/*
 * ip_scope.c - internal (non-routable) IP literals (see ip_scope.h).
 */
#include "ip_scope.h"

#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

/* v4_internal - 0/8, 10/8, 127/8, 169.254/16, 172.16/12, 192.168/16 */
static int
v4_internal(const unsigned char *a)
{
	return a[0] == 0 || a[0] == 10 || a[0] == 127 ||
	    (a[0] == 169 && a[1] == 254) ||
	    (a[0] == 172 && (a[1] & 0xf0) == 16) ||
	    (a[0] == 192 && a[1] == 168);
}

/* ip_scope_is_internal - see ip_scope.h */
int
ip_scope_is_internal(const char *ip)
{
	static const unsigned char loopback6[16] = { [15] = 1 };
	static const unsigned char mapped[12] = { [10] = 0xff, [11] = 0xff };
	char host[INET6_ADDRSTRLEN + 1];
	unsigned char a[16];
	size_t n = strlen(ip);

	if (n >= 2 && ip[0] == '[' && ip[n - 1] == ']') {
		ip++;
		n -= 2;
	}
	if (n >= sizeof(host))
		return 0;
	memcpy(host, ip, n);
	host[n] = '\0';
	if (inet_pton(AF_INET, host, a) == 1)
		return v4_internal(a);
	if (inet_pton(AF_INET6, host, a) != 1)
		return 0;
	if (memcmp(a, mapped, sizeof(mapped)) == 0)
		return v4_internal(a + 12);
	return memcmp(a, loopback6, 16) == 0 || (a[0] & 0xfe) == 0xfc ||
	    (a[0] == 0xfe && (a[1] & 0xc0) == 0x80);
}
