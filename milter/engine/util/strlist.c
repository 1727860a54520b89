/*
 * strlist.c - a growable list of copied strings.
 */
#include "strlist.h"

#include <stdlib.h>
#include <string.h>

/* strlist_push - see strlist.h */
int
strlist_push(struct strlist *l, const char *s)
{
	char **v;

	if ((v = realloc(l->v, (l->n + 1) * sizeof(*v))) == NULL)
		return -1;
	l->v = v;
	if ((v[l->n] = strdup(s)) == NULL)
		return -1;
	l->n++;
	return 0;
}

/* strlist_free - see strlist.h */
void
strlist_free(struct strlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}
