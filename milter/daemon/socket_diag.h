/*
 * socket_diag.h - why the milter's listening socket could not be opened.
 *
 * libmilter's smfi_opensocket() only says that it failed. socket_diag()
 * tries the same thing itself and puts the reason in words an admin can
 * act on: a missing or closed directory for a unix socket; a port that
 * is in use, reserved for root, or an address that is not this host's,
 * for inet and inet6.
 */
#ifndef VIGIE_SOCKET_DIAG_H
#define VIGIE_SOCKET_DIAG_H

#include <stddef.h>

/* socket_diag - write the reason SPEC cannot be listened on into WHY */
void	socket_diag(const char *spec, char *why, size_t whylen);

#endif
