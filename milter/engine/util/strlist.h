/*
 * strlist.h - a growable list of copied strings (domains, ids, examples).
 */
#ifndef VIGIE_STRLIST_H
#define VIGIE_STRLIST_H

#include <stddef.h>

struct strlist {
	char	**v;
	size_t	 n;
};

/* strlist_push - append a copy of s; -1 on memory failure */
int	strlist_push(struct strlist *, const char *s);
void	strlist_free(struct strlist *);

#endif
