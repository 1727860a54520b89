/*
 * auth_dns_memo.c - answers kept for their TTL in front of libunbound
 * (see auth_dns_memo.h). A fixed table of buckets, each a few entries;
 * readers share a read lock, a store takes the write lock.
 */
#include "auth_dns_memo.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

struct memo_entry {
	char	*name;			/* NULL: free */
	int	 type;
	time_t	 expires;		/* CLOCK_MONOTONIC seconds */
	enum auth_dns_status status;	/* AUTH_DNS_OK or AUTH_DNS_NONE */
	size_t	 nrr;
	size_t	 len[AUTH_DNS_MAX_RR];
	int	 truncated;
	size_t	 used;
	unsigned char *data;
};

struct auth_dns_memo {
	pthread_rwlock_t lock;
	struct memo_entry e[AUTH_DNS_MEMO_BUCKETS][AUTH_DNS_MEMO_WAYS];
};

/* memo_now - monotonic seconds */
static time_t
memo_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec;
}

/* memo_bucket - FNV-1a of the lower-cased name and the type */
static size_t
memo_bucket(const char *name, int type)
{
	uint32_t h = 2166136261u;
	const unsigned char *p;

	for (p = (const unsigned char *)name; *p; p++) {
		h ^= (uint32_t)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
		h *= 16777619u;
	}
	h ^= (uint32_t)type;
	h *= 16777619u;
	return h % AUTH_DNS_MEMO_BUCKETS;
}

/* memo_clear - free an entry's storage */
static void
memo_clear(struct memo_entry *m)
{
	free(m->name);
	free(m->data);
	memset(m, 0, sizeof(*m));
}

/* auth_dns_memo_new - see auth_dns_memo.h */
struct auth_dns_memo *
auth_dns_memo_new(void)
{
	struct auth_dns_memo *c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	if (pthread_rwlock_init(&c->lock, NULL) != 0) {
		free(c);
		return NULL;
	}
	return c;
}

/* auth_dns_memo_free - see auth_dns_memo.h */
void
auth_dns_memo_free(struct auth_dns_memo *c)
{
	size_t b, w;

	if (c == NULL)
		return;
	for (b = 0; b < AUTH_DNS_MEMO_BUCKETS; b++)
		for (w = 0; w < AUTH_DNS_MEMO_WAYS; w++)
			memo_clear(&c->e[b][w]);
	pthread_rwlock_destroy(&c->lock);
	free(c);
}

/* auth_dns_memo_get - see auth_dns_memo.h */
int
auth_dns_memo_get(struct auth_dns_memo *c, const char *name, int type,
    struct auth_dns_answer *out)
{
	struct memo_entry *m;
	time_t now = memo_now();
	size_t w, i, off;
	int hit = 0;

	pthread_rwlock_rdlock(&c->lock);
	for (w = 0; w < AUTH_DNS_MEMO_WAYS && !hit; w++) {
		m = &c->e[memo_bucket(name, type)][w];
		if (m->name == NULL || m->type != type || m->expires <= now ||
		    strcasecmp(m->name, name) != 0)
			continue;
		if (m->used > 0)
			memcpy(out->data, m->data, m->used);
		for (i = 0, off = 0; i < m->nrr; off += m->len[i], i++) {
			out->rr[i] = out->data + off;
			out->len[i] = m->len[i];
		}
		out->nrr = m->nrr;
		out->truncated = m->truncated;
		out->status = m->status;
		hit = 1;
	}
	pthread_rwlock_unlock(&c->lock);
	return hit;
}

/* auth_dns_memo_put - see auth_dns_memo.h */
void
auth_dns_memo_put(struct auth_dns_memo *c, const char *name, int type,
    const struct auth_dns_answer *a, unsigned ttl)
{
	struct memo_entry n = { 0 }, *slot = NULL, *m;
	time_t now = memo_now();
	size_t b = memo_bucket(name, type), w, i;

	if ((a->status != AUTH_DNS_OK && a->status != AUTH_DNS_NONE) ||
	    ttl == 0)
		return;
	for (i = 0; i < a->nrr; i++)
		n.used += a->len[i];
	if (n.used > AUTH_DNS_MEMO_MAX_DATA)
		return;
	if ((n.name = strdup(name)) == NULL ||
	    (n.used > 0 && (n.data = malloc(n.used)) == NULL)) {
		free(n.name);
		return;
	}
	if (n.used > 0)
		memcpy(n.data, a->data, n.used);	/* records are contiguous */
	n.type = type;
	n.status = a->status;
	n.nrr = a->nrr;
	memcpy(n.len, a->len, sizeof(n.len));
	n.truncated = a->truncated;
	n.expires = now + (ttl < AUTH_DNS_MEMO_MAX_TTL ? ttl :
	    AUTH_DNS_MEMO_MAX_TTL);
	pthread_rwlock_wrlock(&c->lock);
	/* the same name and type, else a free or expired way, else the oldest */
	for (w = 0; w < AUTH_DNS_MEMO_WAYS && slot == NULL; w++) {
		m = &c->e[b][w];
		if (m->name != NULL && m->type == type &&
		    strcasecmp(m->name, name) == 0)
			slot = m;
	}
	for (w = 0; w < AUTH_DNS_MEMO_WAYS && slot == NULL; w++) {
		m = &c->e[b][w];
		if (m->name == NULL || m->expires <= now)
			slot = m;
	}
	if (slot == NULL) {
		slot = &c->e[b][0];
		for (w = 1; w < AUTH_DNS_MEMO_WAYS; w++)
			if (c->e[b][w].expires < slot->expires)
				slot = &c->e[b][w];
	}
	memo_clear(slot);
	*slot = n;
	pthread_rwlock_unlock(&c->lock);
}
