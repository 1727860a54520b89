/*
 * arena.h - per-message memory pool.
 *
 * Everything the engine derives from one message (decoded headers,
 * addresses, URLs, attachment names) is allocated from the message's
 * arena and freed at once with it, so no per-string free is ever missed
 * on the many error paths of a hostile message. Allocation failure
 * returns NULL.
 */
#ifndef VIGIE_ARENA_H
#define VIGIE_ARENA_H

#include <stddef.h>

struct arena;

struct arena *arena_new(void);
void	 arena_free(struct arena *);
void	*arena_alloc(struct arena *, size_t);
char	*arena_strndup(struct arena *, const char *, size_t);
char	*arena_strdup(struct arena *, const char *);

#endif
