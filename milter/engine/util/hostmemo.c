/*
 * hostmemo.c - a bounded, thread-safe memo of per-host answers (see
 * hostmemo.h).
 *
 * Open addressing with linear probing over twice as many slots as the
 * capacity (so probes stay short), FNV-1a hashing of the two strings with
 * a separator, one mutex. When the capacity is reached every key is
 * dropped at once: no eviction bookkeeping, and a host that matters
 * comes back on its next message.
 */
#include "hostmemo.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define HOSTMEMO_KEY_MAX	1024	/* bytes of a + b: longer is no host */

struct slot {
	char	*key;			/* a, NUL, b, NUL; NULL when empty */
	size_t	 len;			/* bytes of key, both NULs included */
	uint32_t hash;
	int	 answer;
};

struct hostmemo {
	pthread_mutex_t lock;
	struct slot *slots;
	size_t	 nslots;		/* a power of two */
	size_t	 count, capacity;
};

/* hostmemo_new - see hostmemo.h */
struct hostmemo *
hostmemo_new(size_t capacity)
{
	struct hostmemo *m;
	size_t n = 16;

	while (n < capacity * 2)
		n *= 2;
	if ((m = calloc(1, sizeof(*m))) == NULL)
		return NULL;
	if ((m->slots = calloc(n, sizeof(*m->slots))) == NULL) {
		free(m);
		return NULL;
	}
	m->nslots = n;
	m->capacity = capacity;
	(void)pthread_mutex_init(&m->lock, NULL);
	return m;
}

/* forget_all - empty every slot (lock held) */
static void
forget_all(struct hostmemo *m)
{
	size_t i;

	for (i = 0; i < m->nslots; i++) {
		free(m->slots[i].key);
		m->slots[i].key = NULL;
	}
	m->count = 0;
}

/* hostmemo_free - see hostmemo.h */
void
hostmemo_free(struct hostmemo *m)
{
	if (m == NULL)
		return;
	forget_all(m);
	free(m->slots);
	(void)pthread_mutex_destroy(&m->lock);
	free(m);
}

/* make_key - "a\0b\0" in buf; its length, or 0 when too long */
static size_t
make_key(const char *a, const char *b, char *buf, uint32_t *hash)
{
	size_t la = strlen(a), lb = strlen(b), i;
	uint32_t h = 2166136261u;

	if (la + lb + 2 > HOSTMEMO_KEY_MAX)
		return 0;
	memcpy(buf, a, la + 1);
	memcpy(buf + la + 1, b, lb + 1);
	for (i = 0; i < la + lb + 2; i++)
		h = (h ^ (unsigned char)buf[i]) * 16777619u;
	*hash = h;
	return la + lb + 2;
}

/* find - the slot holding key, or the empty slot where it would go */
static struct slot *
find(struct hostmemo *m, const char *key, size_t len, uint32_t hash)
{
	size_t i = hash & (m->nslots - 1);

	for (;;) {
		struct slot *s = &m->slots[i];

		if (s->key == NULL || (s->hash == hash && s->len == len &&
		    memcmp(s->key, key, len) == 0))
			return s;
		i = (i + 1) & (m->nslots - 1);
	}
}

/* hostmemo_get - see hostmemo.h */
int
hostmemo_get(struct hostmemo *m, const char *a, const char *b, int *answer)
{
	char key[HOSTMEMO_KEY_MAX];
	struct slot *s;
	uint32_t hash;
	size_t len;
	int found = 0;

	if ((len = make_key(a, b, key, &hash)) == 0)
		return 0;
	pthread_mutex_lock(&m->lock);
	s = find(m, key, len, hash);
	if (s->key != NULL) {
		*answer = s->answer;
		found = 1;
	}
	pthread_mutex_unlock(&m->lock);
	return found;
}

/* hostmemo_put - see hostmemo.h */
void
hostmemo_put(struct hostmemo *m, const char *a, const char *b, int answer)
{
	char key[HOSTMEMO_KEY_MAX], *copy;
	struct slot *s;
	uint32_t hash;
	size_t len;

	if ((len = make_key(a, b, key, &hash)) == 0 ||
	    (copy = malloc(len)) == NULL)
		return;
	memcpy(copy, key, len);
	pthread_mutex_lock(&m->lock);
	if (m->count >= m->capacity)
		forget_all(m);
	s = find(m, key, len, hash);
	if (s->key == NULL) {
		s->key = copy;
		s->len = len;
		s->hash = hash;
		m->count++;
		copy = NULL;
	}
	s->answer = answer;
	pthread_mutex_unlock(&m->lock);
	free(copy);
}

/* hostmemo_count - see hostmemo.h */
size_t
hostmemo_count(struct hostmemo *m)
{
	size_t n;

	pthread_mutex_lock(&m->lock);
	n = m->count;
	pthread_mutex_unlock(&m->lock);
	return n;
}
