/*
 * socket_diag.c - why the milter's listening socket could not be opened
 * (see socket_diag.h). Called only after smfi_opensocket() failed, at
 * start-up, so it may take the time to try a bind of its own.
 */
#include "socket_diag.h"

#include <errno.h>
#include <libgen.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

/*
 * unix_diag - a unix socket: a path too long for a socket, or its
 * directory missing, not a directory, or closed to this user
 */
static void
unix_diag(const char *path, char *why, size_t whylen)
{
	const size_t maxpath = sizeof(((struct sockaddr_un *)0)->sun_path) - 1;
	char copy[sizeof(((struct sockaddr_un *)0)->sun_path)], *dir;
	struct stat st;

	if (strlen(path) > maxpath) {
		snprintf(why, whylen, "the path has %zu bytes; a unix socket's "
		    "may have at most %zu", strlen(path), maxpath);
		return;
	}
	snprintf(copy, sizeof(copy), "%s", path);
	dir = dirname(copy);
	if (stat(dir, &st) < 0)
		snprintf(why, whylen, "directory %s: %s", dir, strerror(errno));
	else if (!S_ISDIR(st.st_mode))
		snprintf(why, whylen, "%s is not a directory", dir);
	else if (access(dir, W_OK | X_OK) < 0)
		snprintf(why, whylen, "directory %s: %s", dir, strerror(errno));
	else
		snprintf(why, whylen, "directory %s is open to this user; see "
		    "the system log for libmilter's reason", dir);
}

/* inet_diag - bind PORT@HOST ourselves and say what went wrong */
static void
inet_diag(const char *addr, int family, char *why, size_t whylen)
{
	char port[64], *at;
	const char *host = NULL;
	struct addrinfo hints, *res = NULL;
	int fd, one = 1, rc, err;

	if (snprintf(port, sizeof(port), "%s", addr) >= (int)sizeof(port)) {
		snprintf(why, whylen, "the address is too long");
		return;
	}
	if ((at = strchr(port, '@')) != NULL) {
		*at = '\0';
		host = addr + (at - port) + 1;
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = family;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE;
	if ((rc = getaddrinfo(host, port, &hints, &res)) != 0) {
		snprintf(why, whylen, "address %s port %s: %s",
		    host != NULL ? host : "*", port, gai_strerror(rc));
		return;
	}
	if ((fd = socket(res->ai_family, SOCK_STREAM, 0)) < 0) {
		err = errno;
		snprintf(why, whylen, "socket: %s", strerror(err));
	} else {
		(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(fd, res->ai_addr, res->ai_addrlen) == 0)
			snprintf(why, whylen, "port %s on %s can be bound now; "
			    "try again", port, host != NULL ? host : "*");
		else if ((err = errno) == EADDRINUSE)
			snprintf(why, whylen, "port %s on %s is in use by another "
			    "program (see: ss -ltnp 'sport = :%s')", port,
			    host != NULL ? host : "*", port);
		else if (err == EACCES)
			snprintf(why, whylen, "port %s is below 1024 and needs "
			    "root", port);
		else if (err == EADDRNOTAVAIL)
			snprintf(why, whylen, "%s is not an address of this host",
			    host != NULL ? host : "*");
		else
			snprintf(why, whylen, "bind: %s", strerror(err));
		(void)close(fd);
	}
	freeaddrinfo(res);
}

/* socket_diag - see socket_diag.h */
void
socket_diag(const char *spec, char *why, size_t whylen)
{
	if (strncmp(spec, "unix:", 5) == 0)
		unix_diag(spec + 5, why, whylen);
	else if (strncmp(spec, "local:", 6) == 0)
		unix_diag(spec + 6, why, whylen);
	else if (spec[0] == '/')
		unix_diag(spec, why, whylen);
	else if (strncmp(spec, "inet:", 5) == 0)
		inet_diag(spec + 5, AF_INET, why, whylen);
	else if (strncmp(spec, "inet6:", 6) == 0)
		inet_diag(spec + 6, AF_INET6, why, whylen);
	else
		snprintf(why, whylen, "unknown socket kind");
}
