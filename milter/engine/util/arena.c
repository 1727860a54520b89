/*
 * arena.c - per-message memory pool: a list of chunks, freed together.
 *
 * Small requests are carved from 16 KiB chunks; a request larger than a
 * quarter chunk gets a chunk of its own so that large strings waste
 * nothing.
 */
#include "arena.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_CHUNK	(16 * 1024)

struct arena_chunk {
	struct arena_chunk *next;
	size_t	 size;
	size_t	 used;
	alignas(max_align_t) unsigned char data[];
};

struct arena {
	struct arena_chunk *head;
};

/* arena_new - an empty pool */
struct arena *
arena_new(void)
{
	return calloc(1, sizeof(struct arena));
}

/* arena_free - release the pool and everything allocated from it */
void
arena_free(struct arena *a)
{
	struct arena_chunk *c, *next;

	if (a == NULL)
		return;
	for (c = a->head; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	free(a);
}

/* arena_new_chunk - add a chunk able to hold at least size bytes */
static struct arena_chunk *
arena_new_chunk(struct arena *a, size_t size, int in_front)
{
	struct arena_chunk *c;

	if (size > SIZE_MAX - sizeof(*c))
		return NULL;
	if ((c = malloc(sizeof(*c) + size)) == NULL)
		return NULL;
	c->size = size;
	c->used = 0;
	if (in_front || a->head == NULL) {
		c->next = a->head;
		a->head = c;
	} else {
		/* keep the partly used small chunk at the front */
		c->next = a->head->next;
		a->head->next = c;
	}
	return c;
}

/* arena_alloc - size bytes aligned for any type */
void *
arena_alloc(struct arena *a, size_t size)
{
	const size_t align = alignof(max_align_t);
	struct arena_chunk *c;
	size_t off;

	if (size == 0)
		size = 1;
	if (size > SIZE_MAX - align)
		return NULL;
	size = (size + align - 1) & ~(align - 1);
	if (size > ARENA_CHUNK / 4) {
		if ((c = arena_new_chunk(a, size, 0)) == NULL)
			return NULL;
		c->used = size;
		return c->data;
	}
	c = a->head;
	off = c != NULL ? c->used : 0;
	if (c == NULL || c->size - off < size) {
		if ((c = arena_new_chunk(a, ARENA_CHUNK, 1)) == NULL)
			return NULL;
		off = 0;
	}
	c->used = off + size;
	return c->data + off;
}

/* arena_strndup - copy of at most n bytes of s, NUL-terminated */
char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p;

	if (n == SIZE_MAX || (p = arena_alloc(a, n + 1)) == NULL)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

/* arena_strdup - copy of a C string */
char *
arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

