/*
 * buf.h - growable byte buffer, always NUL-terminated.
 *
 * A buf holds bytes that may contain NULs; buf_cstr() is valid as a C
 * string only for text that has none. Appends fail (return -1) instead of
 * aborting when memory runs out, so that a message that cannot be held
 * gets the configured on_error disposition rather than killing the daemon.
 */
#ifndef VIGIE_BUF_H
#define VIGIE_BUF_H

#include <stddef.h>

struct buf {
	char	*data;
	size_t	 len;
	size_t	 cap;
};

void	buf_init(struct buf *);
void	buf_free(struct buf *);
void	buf_reset(struct buf *);
/* buf_reserve - room for extra more bytes (and the NUL) at data + len */
int	buf_reserve(struct buf *, size_t extra);
int	buf_append(struct buf *, const void *, size_t);
int	buf_append_str(struct buf *, const char *);
int	buf_append_char(struct buf *, char);
int	buf_printf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
const char *buf_cstr(const struct buf *);

#endif
