/*
 * hostmemo.h - a bounded, thread-safe memo of per-host answers.
 *
 * Some checks on a host name are pure functions of the host and the rule
 * set (does it imitate a brand?) yet cost tens of microseconds, and the
 * same hosts come back in message after message (a company's own links,
 * the newsletters it receives). A rule set owns one memo per such check;
 * threads share it under a mutex. It holds at most the capacity it was
 * made with and forgets everything when full, so memory stays bounded
 * whatever the traffic; a key too long to be a host is never kept.
 */
#ifndef VIGIE_HOSTMEMO_H
#define VIGIE_HOSTMEMO_H

#include <stddef.h>

struct hostmemo;

/* hostmemo_new - an empty memo for up to capacity keys; NULL on failure */
struct hostmemo *hostmemo_new(size_t capacity);
void	hostmemo_free(struct hostmemo *);

/* hostmemo_get - 1 with *answer set when (a, b) is known, else 0 */
int	hostmemo_get(struct hostmemo *, const char *a, const char *b,
	    int *answer);

/* hostmemo_put - remember answer for (a, b) (silently not, on failure) */
void	hostmemo_put(struct hostmemo *, const char *a, const char *b,
	    int answer);

/* hostmemo_count - keys held now (for tests and statistics) */
size_t	hostmemo_count(struct hostmemo *);

#endif
