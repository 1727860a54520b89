/*
 * auth_dns.c - libunbound behind a per-message budget (see auth_dns.h).
 *
 * libunbound resolves in its own thread (ub_ctx_async) and hands answers
 * back through a pipe; ub_process() runs the callbacks. Every thread
 * waiting for an answer polls that pipe in short slices and runs
 * ub_process() under the resolver's lock, so the answer of any thread
 * reaches it whoever reads the pipe, and a thread whose deadline passes
 * cancels its query under the same lock (after which its callback can
 * no longer run). Nobody waits past its own deadline and no session
 * waits on another's slow look-up.
 *
 * In front of it, each resolver keeps definite answers in the process for
 * their TTL (auth_dns_memo.c): a cached answer then costs a hash look-up
 * instead of a round trip through libunbound's thread.
 *
 * Each configuration holds a reference to its resolver; the last
 * release (the old configuration freed after a reload that named
 * another dns_resolver) deletes the libunbound context, its thread and
 * its cache.
 */
#include "auth_dns.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unbound.h>

#include "auth_dns_memo.h"

#define AUTH_DNS_SLICE_MS	5	/* longest nap between two checks */

struct auth_dns {
	char	*address;		/* as configured */
	struct ub_ctx *ctx;		/* NULL for "none" */
	struct auth_dns_memo *memo;	/* answers kept for their TTL */
	pthread_mutex_t lock;		/* ub_process, ub_cancel, query states */
	unsigned refs;			/* under auth_dns_list_lock */
	struct auth_dns *next;
};

/* one query in flight: written by the callback, read under the lock */
struct auth_dns_pending {
	int	 done;
	int	 err;
	struct ub_result *result;
};

static pthread_mutex_t auth_dns_list_lock = PTHREAD_MUTEX_INITIALIZER;
static struct auth_dns *auth_dns_list;

/* auth_dns_context - a libunbound context forwarding to the resolver */
static struct ub_ctx *
auth_dns_context(const char *address)
{
	struct ub_ctx *ctx;

	if ((ctx = ub_ctx_create()) == NULL)
		return NULL;
	/* a resolver on loopback (the usual local cache, or the tests') */
	if (ub_ctx_set_option(ctx, "do-not-query-localhost:", "no") != 0 ||
	    ub_ctx_async(ctx, 1) != 0 ||
	    (*address == '\0' ? ub_ctx_resolvconf(ctx, NULL) :
	    ub_ctx_set_fwd(ctx, address)) != 0) {
		ub_ctx_delete(ctx);
		return NULL;
	}
	return ctx;
}

/* auth_dns_get - see auth_dns.h */
struct auth_dns *
auth_dns_get(const char *resolver)
{
	struct auth_dns *d;

	pthread_mutex_lock(&auth_dns_list_lock);
	for (d = auth_dns_list; d != NULL; d = d->next)
		if (strcmp(d->address, resolver) == 0) {
			d->refs++;
			goto out;
		}
	if ((d = calloc(1, sizeof(*d))) == NULL)
		goto out;
	if ((d->address = strdup(resolver)) == NULL ||
	    (strcmp(resolver, "none") != 0 &&
	    ((d->memo = auth_dns_memo_new()) == NULL ||
	    (d->ctx = auth_dns_context(resolver)) == NULL))) {
		auth_dns_memo_free(d->memo);
		free(d->address);
		free(d);
		d = NULL;
		goto out;
	}
	pthread_mutex_init(&d->lock, NULL);
	d->refs = 1;
	d->next = auth_dns_list;
	auth_dns_list = d;
out:
	pthread_mutex_unlock(&auth_dns_list_lock);
	return d;
}

/* auth_dns_release - see auth_dns.h */
void
auth_dns_release(struct auth_dns *d)
{
	struct auth_dns **pp;

	if (d == NULL)
		return;
	pthread_mutex_lock(&auth_dns_list_lock);
	if (--d->refs > 0) {
		pthread_mutex_unlock(&auth_dns_list_lock);
		return;
	}
	for (pp = &auth_dns_list; *pp != d; pp = &(*pp)->next)
		;
	*pp = d->next;
	pthread_mutex_unlock(&auth_dns_list_lock);
	if (d->ctx != NULL)
		ub_ctx_delete(d->ctx);
	auth_dns_memo_free(d->memo);
	pthread_mutex_destroy(&d->lock);
	free(d->address);
	free(d);
}

/* auth_dns_count - see auth_dns.h */
size_t
auth_dns_count(void)
{
	const struct auth_dns *d;
	size_t n = 0;

	pthread_mutex_lock(&auth_dns_list_lock);
	for (d = auth_dns_list; d != NULL; d = d->next)
		n++;
	pthread_mutex_unlock(&auth_dns_list_lock);
	return n;
}

/* auth_dns_after - t plus ms milliseconds */
static struct timespec
auth_dns_after(struct timespec t, unsigned ms)
{
	t.tv_sec += ms / 1000;
	t.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (t.tv_nsec >= 1000000000L) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000L;
	}
	return t;
}

/* auth_dns_budget_start - see auth_dns.h */
void
auth_dns_budget_start(struct auth_dns_budget *b, struct auth_dns *dns,
    unsigned ms, unsigned n)
{
	struct timespec now;

	memset(b, 0, sizeof(*b));
	b->dns = dns;
	clock_gettime(CLOCK_MONOTONIC, &now);
	b->deadline = auth_dns_after(now, ms);
	b->half = auth_dns_after(now, ms / 2);
	b->max_queries = n;
}

/* auth_dns_ms_left - milliseconds to the deadline, 0 when past */
static long
auth_dns_ms_left(const struct timespec *deadline)
{
	struct timespec now;
	long ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (long)(deadline->tv_sec - now.tv_sec) * 1000 +
	    (deadline->tv_nsec - now.tv_nsec) / 1000000L;
	return ms > 0 ? ms : 0;
}

/* auth_dns_done - libunbound's callback: keep the answer for its waiter */
static void
auth_dns_done(void *arg, int err, struct ub_result *result)
{
	struct auth_dns_pending *p = arg;

	p->err = err;
	p->result = result;
	p->done = 1;
}

/* auth_dns_copy - the answer's records into out, within its caps */
static void
auth_dns_copy(const struct ub_result *r, struct auth_dns_answer *out)
{
	size_t used = 0, i;

	for (i = 0; r->data[i] != NULL; i++) {
		size_t len = (size_t)r->len[i];

		if (out->nrr == AUTH_DNS_MAX_RR ||
		    len > AUTH_DNS_MAX_DATA - used) {
			out->truncated = 1;
			break;
		}
		memcpy(out->data + used, r->data[i], len);
		out->rr[out->nrr] = out->data + used;
		out->len[out->nrr++] = len;
		used += len;
	}
	out->status = out->nrr > 0 ? AUTH_DNS_OK : AUTH_DNS_NONE;
}

/* auth_dns_wait - until p is done or the deadline; 0 when done */
static int
auth_dns_wait(struct auth_dns_budget *b, const struct timespec *deadline,
    struct auth_dns_pending *p, int id)
{
	struct auth_dns *d = b->dns;
	struct pollfd pfd = { .fd = ub_fd(d->ctx), .events = POLLIN };
	long left;

	for (;;) {
		pthread_mutex_lock(&d->lock);
		if (!p->done)
			(void)ub_process(d->ctx);
		if (p->done) {
			pthread_mutex_unlock(&d->lock);
			return 0;
		}
		if ((left = auth_dns_ms_left(deadline)) == 0) {
			(void)ub_cancel(d->ctx, id);
			pthread_mutex_unlock(&d->lock);
			return -1;
		}
		pthread_mutex_unlock(&d->lock);
		(void)poll(&pfd, 1, (int)(left < AUTH_DNS_SLICE_MS ? left :
		    AUTH_DNS_SLICE_MS));
	}
}

/* auth_dns_query - see auth_dns.h */
void
auth_dns_query(struct auth_dns_budget *b, const char *name, int type,
    int essential, struct auth_dns_answer *out)
{
	const struct timespec *deadline = essential ? &b->deadline : &b->half;
	unsigned max = essential ? b->max_queries : b->max_queries / 2;
	struct auth_dns_pending p = { 0 };
	struct auth_dns *d = b->dns;
	int id, rc;

	out->status = AUTH_DNS_TEMP;
	out->nrr = 0;
	out->truncated = 0;
	if (d == NULL || d->ctx == NULL || b->queries >= max ||
	    auth_dns_ms_left(deadline) == 0) {
		b->spent++;
		return;
	}
	b->queries++;
	if (auth_dns_memo_get(d->memo, name, type, out))
		return;
	pthread_mutex_lock(&d->lock);
	rc = ub_resolve_async(d->ctx, name, type, 1 /* IN */, &p,
	    auth_dns_done, &id);
	pthread_mutex_unlock(&d->lock);
	if (rc != 0 || auth_dns_wait(b, deadline, &p, id) < 0)
		return;
	if (p.err == 0 && p.result != NULL && p.result->rcode == 0)
		auth_dns_copy(p.result, out);
	else if (p.err == 0 && p.result != NULL && p.result->rcode == 3)
		out->status = AUTH_DNS_NONE;	/* NXDOMAIN */
	if (p.result != NULL) {
		if (p.result->ttl > 0)
			auth_dns_memo_put(d->memo, name, type, out,
			    (unsigned)p.result->ttl);
		ub_resolve_free(p.result);
	}
}
